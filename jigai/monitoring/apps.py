from typing import Any

from django.apps import AppConfig

HOWTO = {
    "monitoring.indicators": {
        "*": (
            "指标体系按政策一（二）主要目标和二（一）-（四）四个专项列出每项指标的口径、单位、汇总方式、"
            "数据来源和条款；“系统计算”的指标由项目库、产品库、平台库、称号库、资质和资金拨付记录自动生成。"
        ),
    },
    "monitoring.targets": {
        "province": (
            "先填写全省目标，再逐市填写或按权重分解；可相加的指标各市合计必须等于全省目标（下方实时显示差额），"
            "不相等时不能下达。下达后各市签订目标责任书或申请调整。"
        ),
        "city": "省下达的本市目标需签订目标责任书后生效；本市可按同样方式把目标分解到各县（市、区）并下达。",
        "*": "年度目标由上一级下达，签订目标责任书后生效。",
    },
    "monitoring.letters": {
        "*": (
            "目标责任书即对年度目标的确认：填写签订日期、签订人并上传签字盖章文件；如有异议可申请调整并说明理由，"
            "所有操作留痕。"
        ),
    },
    "monitoring.entry": {
        "*": (
            "在填报窗口内填写本级负责报送的指标（累计类填 1–N 月累计数）。"
            "累计数低于上月或环比波动超过阈值时，系统给出提示，须填写异常说明后才能保存。窗口截止后自动锁定，如需补报请联系省工信厅重新开放。"
        ),
        "province": "设置每月填报窗口、发布月度数据（发布后保留原报数），为个别地区重新开放填报。",
    },
    "monitoring.values": {
        "*": "已发布的数据如有更正，同时显示原报数、更正数和差额，以及更正人、时间和理由。",
    },
    "monitoring.reconcile": {
        "*": (
            "应统尽统：左表列出项目库有投资填报、但统计局技改投资未覆盖（无数据或当月数小于项目库）的地区及项目；"
            "右表列出统计局有技改投资、但项目库无项目填报进度的地区。"
        ),
    },
}


def _ensure_seeded(sender: Any, *, apps: Any = None, using: str = "default", **kwargs: Any) -> None:
    from importlib import import_module

    from .loader import load_indicators

    try:
        indicator = (apps or sender.apps).get_model("monitoring", "Indicator")
        (apps or sender.apps).get_model("monitoring", "WarningThreshold")
    except LookupError:  # migrated back: no table
        return
    if not indicator.objects.using(using).exists():
        load_indicators(indicator)
        import_module("jigai.monitoring.migrations.0003_warnings").seed_default_bands(
            apps or sender.apps, None
        )


class MonitoringConfig(AppConfig):
    name = "jigai.monitoring"
    verbose_name = "目标监测"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # The seeded indicators and warning bands come back after a flush (a transactional test empties
        # every table), as the regions do (jigai/regions/apps.py).
        post_migrate.connect(_ensure_seeded, sender=self, dispatch_uid="jigai.monitoring.ensure_seeded")

        from jigai.accounts.menu import MenuItem, side_register
        from jigai.accounts.workbench import register, register_counter
        from jigai.registry.excel.importers import IMPORTERS
        from jigai.web import help as web_help

        from .excel import StatisticsImporter
        from .services import sources

        importer = StatisticsImporter()
        IMPORTERS.setdefault(importer.kind, importer)
        # The computed figures follow their records: progress, projects, titles, products, platforms,
        # qualifications, awards granted and paid (services/sources.py).
        sources.connect()

        group = "目标监测"
        viewers = ("monitoring.view",)
        for item in (
            MenuItem("指标体系", "monitoring:indicator_list", viewers),
            MenuItem(
                "年度目标",
                "monitoring:target_list",
                ("target.manage", "target.city_breakdown", "target.confirm"),
            ),
            MenuItem(
                "目标责任书",
                "monitoring:letter_list",
                ("target.manage", "target.city_breakdown", "target.confirm"),
            ),
            MenuItem("月度填报", "monitoring:entry", ("monitoring.enter",)),
            MenuItem("填报窗口", "monitoring:window_list", ("monitoring.window",)),
            MenuItem("月度数据", "monitoring:value_list", viewers),
            MenuItem("数据导入", "monitoring:import", ("indicator.import",)),
            MenuItem("数据核对", "monitoring:reconcile", viewers),
        ):
            side_register(group, item)
        register(
            ["city", "county"], "月度填报", "monitoring:entry", group=group, description="本月指标数据填报"
        )
        register(
            "province", "年度目标", "monitoring:target_list", group=group, description="分解下达各市目标"
        )
        for page, texts in HOWTO.items():
            web_help.HOWTO.setdefault(page, texts)
        self._counters(register_counter)
        from .dashboards.setup import ready as dashboards_ready

        dashboards_ready()

    @staticmethod
    def _counters(register_counter: Any) -> None:
        from django.utils import timezone

        from . import selectors

        def to_confirm(actor: Any) -> int:
            return selectors.letters_to_confirm(actor=actor).count()

        def to_enter(actor: Any) -> int:
            return selectors.months_to_enter(actor=actor, today=timezone.localdate())

        register_counter(
            ["city", "county"], "待确认目标", "monitoring:letter_list?status=pending", to_confirm
        )
        register_counter(["county", "city"], "本月待填报", "monitoring:entry", to_enter)
