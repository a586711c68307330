"""`jigai match`: match every enterprise with the open guideline now (免申即享 / 政策匹配, issue 13);
`--schedule` also queues the nightly run for the background worker (it then queues itself each night)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "按当前受理的申报指南为全部企业测算政策匹配；--schedule 只安排每晚由后台任务自动执行"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--schedule", action="store_true", help="只安排每晚自动执行，不立即测算")

    def handle(self, *args: Any, **options: Any) -> None:
        from jigai.funding.matching.services import refresh_all
        from jigai.funding.matching.tasks import next_night, schedule_next

        if options["schedule"]:
            queued = schedule_next()
            self.stdout.write(
                f"{'已安排' if queued else '已有安排'}：每晚 {next_night():%H:%M} 由后台任务测算政策匹配。"
            )
            return
        kept = refresh_all()
        self.stdout.write(self.style.SUCCESS(f"政策匹配已更新：{kept} 条。"))
