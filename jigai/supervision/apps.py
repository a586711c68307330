from typing import Any

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jigai.supervision"
    verbose_name = "督办"

    def ready(self) -> None:
        from jigai.accounts.menu import MenuItem, side_register
        from jigai.accounts.workbench import register
        from jigai.registry.excel.importers import IMPORTERS
        from jigai.web.help import HOWTO

        from .help import PAGE_HOWTO
        from .importer import GreenDataImporter

        importer = GreenDataImporter()
        IMPORTERS.setdefault(importer.kind, importer)

        group = "目标监测"
        side_register(group, MenuItem("督办事项", "supervision:ticket_list", ("supervision.view",)))
        side_register(
            group, MenuItem("服务企业问题", "supervision:visit_list", ("supervision.view", "visit.rate"))
        )
        side_register(group, MenuItem("绿色发展排行榜", "supervision:ranking_index", ("supervision.view",)))
        side_register(group, MenuItem("典型做法", "supervision:practice_list", ("supervision.view",)))
        side_register(group, MenuItem("绿色发展排行榜（公开）", "supervision:public_rankings", public=True))
        side_register(group, MenuItem("典型做法（公开）", "supervision:public_practices", public=True))

        register(
            ["county", "city", "province", "leader"],
            "督办事项",
            "supervision:ticket_list",
            group=group,
            description="督办的答复、办结与逾期",
        )
        register(
            ["county", "city", "province", "enterprise"],
            "服务企业问题",
            "supervision:visit_list",
            group=group,
            description="万人助万企走访中企业反映的问题",
        )
        register(
            "province",
            "绿色发展排行榜",
            "supervision:ranking_index",
            group=group,
            description="数据、评分规则、测算与审定发布",
        )
        register(
            ["city", "province"],
            "典型做法",
            "supervision:practice_list",
            group=group,
            description="地市报送，省工信厅发布",
        )
        self._counters()
        HOWTO.update(PAGE_HOWTO)

    @staticmethod
    def _counters() -> None:
        from jigai.accounts.workbench import register_counter

        from . import selectors

        def live(overdue: bool = False, visits: bool = False) -> Any:
            return lambda actor: selectors.live_count(actor=actor, overdue=overdue, visits=visits)

        register_counter(["county", "city"], "待办督办", "supervision:ticket_list?status=live", live())
        register_counter("province", "督办跟踪", "supervision:ticket_list?status=live", live())
        register_counter(
            ["county", "city", "province"], "逾期督办", "supervision:ticket_list?overdue=1", live(True)
        )
        register_counter(
            ["county", "city"], "待办企业问题", "supervision:visit_list?status=live", live(visits=True)
        )
