"""`jigai backup <目录>`: a consistent snapshot of the database, uploaded files and audit anchors."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jigai.audit.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库、上传文件和审计锚点到指定目录（生成 jigai-backup-时间/ 子目录和校验清单）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("target", help="备份存放的目录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = backup(options["target"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"已备份到 {folder}"))
