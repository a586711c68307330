"""`jigai restore <备份目录>`: restore a backup into an empty database and media folder, then verify."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jigai.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = "从 jigai backup 生成的备份目录恢复到空数据库和空的上传文件目录，并校验审计链"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", help="jigai-backup-… 备份目录")
        parser.add_argument("--force", action="store_true", help="目标不为空时也覆盖（慎用）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["folder"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        from jigai.audit.services import audit_verify

        result = audit_verify()
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份（{len(manifest['migrations'])} 个数据库迁移）。"
        )
        if not result.ok:
            raise CommandError(f"恢复后审计链校验失败：{result.reason}")
        self.stdout.write(self.style.SUCCESS(result.reason))
        self.stdout.write("请运行 jigai migrate（如本版本有新的迁移）和 jigai audit protect。")
