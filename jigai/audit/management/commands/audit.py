"""`jigai audit verify`: check the audit trail's SM3 hash chain; exit code 0 when intact, 1 when not."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jigai.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计日志工具。子命令：verify（校验哈希链，完好返回 0，被篡改返回 1）"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}", title="子命令")
        sub.add_parser("verify", help="校验审计记录的哈希链是否完整")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify()

    def _verify(self) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.reason))
            return
        self.stderr.write(self.style.ERROR(f"审计链校验失败：{result.reason}"))
        raise SystemExit(1)
