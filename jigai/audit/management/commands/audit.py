"""`jigai audit …`: verify the keyed chain and its anchors (exit 1 when broken), write an anchor, install
the database's protection of the audit table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jigai.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "审计日志工具。子命令：verify（校验密钥哈希链与锚点，完好返回 0，被篡改返回 1）；"
        "anchor（写入今天的签名锚点，--schedule 同时安排每日自动写入）；"
        "archive（归档超过保存期的日志）；"
        "protect（安装数据库触发器，审计表只能追加；--app-role 同时收回该数据库角色的修改、删除权限）"
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,anchor,protect,archive}", title="子命令"
        )
        sub.add_parser("verify", help="校验审计记录的密钥哈希链和锚点是否完整")
        anchor = sub.add_parser("anchor", help="把审计链头写入今天的签名锚点文件")
        anchor.add_argument("--schedule", action="store_true", help="并由后台任务每天零点后自动写入")
        sub.add_parser("archive", help="归档超过保存期（至少 6 个月）的登录日志和操作日志")
        protect = sub.add_parser("protect", help="安装触发器：审计表拒绝修改和删除")
        protect.add_argument(
            "--app-role", default="", help="PostgreSQL：本系统使用的数据库角色（非表所有者）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "verify":
            self._verify()
        elif command == "anchor":
            from jigai.audit.anchors import write_anchor

            path = write_anchor()
            self.stdout.write(self.style.SUCCESS(f"已写入审计锚点：{path}"))
            if options["schedule"]:
                from jigai.audit.tasks import next_run, schedule_next

                queued = schedule_next()
                when = f"{next_run():%Y-%m-%d %H:%M}"
                self.stdout.write(
                    f"{'已安排' if queued else '已有安排'}：下次自动写入 {when} 之后（由后台任务执行）。"
                )
        elif command == "archive":
            from jigai.audit.archive import archive_login_log, archive_operation_log

            for label, (rows, path) in (
                ("登录日志", archive_login_log()),
                ("操作日志", archive_operation_log()),
            ):
                done = f"归档 {rows} 条至 {path}" if rows else "没有超过保存期的记录"
                self.stdout.write(f"{label}：{done}。")
        elif command == "protect":
            from jigai.audit.protect import install

            for line in install(options["app_role"]):
                self.stdout.write(self.style.SUCCESS(line))

    def _verify(self) -> None:
        result = audit_verify()
        if result.ok:
            from jigai.audit.protect import installed

            self.stdout.write(self.style.SUCCESS(result.reason))
            if not installed():
                self.stdout.write(
                    self.style.WARNING("提示：审计表的数据库保护未安装，请运行 jigai audit protect。")
                )
            return
        self.stderr.write(self.style.ERROR(f"审计链校验失败：{result.reason}"))
        raise SystemExit(1)
