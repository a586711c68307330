from typing import Any

from django.apps import AppConfig

GROUP = "融资与用地"

# 操作说明 of the pages (jigai.web.help HOWTO: page → role → text), added when the app loads.
HOWTO = {
    "financing.whitelist": {
        "*": "本辖区推荐进入融资白名单的项目及其状态（四（二）金融支持）。"
        "可按状态、融资方式、市、批次筛选并导出。"
    },
    "financing.propose": {
        "city": "从本市已入库的技改项目中选择项目，填写融资需求（万元）、期限和融资方式后推荐；"
        "省工信厅审核通过后按批次发布。退回的项目可在详情页修改后重新推荐。"
    },
    "financing.review": {
        "province": "逐项审核各市推荐的项目：通过或退回（须写意见）。"
        "审核通过的项目填写发布日期后作为一个批次发布，发布后金融机构可见。"
    },
    "financing.portal": {
        "bank": "已发布白名单中的项目及融资需求。点开项目可看到企业授权的内容，"
        "并录入融资成果（意向、授信审批、放款），由项目所在市确认。"
    },
    "financing.consent": {
        "enterprise": "选择允许哪家金融机构（或全部机构）查看本企业白名单项目的哪些内容。"
        "授权可随时撤回，撤回立即生效；授权记录全部保留。"
    },
    "financing.access_log": {"enterprise": "金融机构人员每次查看或导出本企业项目的记录：时间、人员、机构。"},
    "financing.events": {
        "*": "融资对接洽谈活动：日期、举办市、主办单位、邀请的金融机构和白名单项目、出席情况。"
    },
    "financing.outcomes": {
        "*": "金融机构录入的融资成果。市级工信部门确认后计入融资统计，未确认的单独显示。",
        "city": "核对本市项目的融资成果：确认后计入统计，有误的退回并写明原因。",
    },
    "financing.stats": {
        "*": "按市、金融机构、融资方式或月份统计融资需求、授信审批和放款金额（只计已确认的成果），"
        "可导出 Excel。"
    },
}


class FinancingConfig(AppConfig):
    name = "jigai.financing"
    verbose_name = "融资对接"

    def ready(self) -> None:
        from jigai.accounts.menu import MenuItem, side_register
        from jigai.accounts.workbench import register
        from jigai.web.help import HOWTO as PAGE_HOWTO

        for page, texts in HOWTO.items():
            PAGE_HOWTO.setdefault(page, texts)
        items = [
            MenuItem("白名单推荐", "financing:propose", ("whitelist.propose",)),
            MenuItem("白名单审核", "financing:review", ("whitelist.manage",)),
            MenuItem("融资白名单", "financing:whitelist_list", ("whitelist.view",)),
            MenuItem("融资需求", "financing:bank_list", ("whitelist.portal",)),
            MenuItem("信息授权", "financing:consent", ("consent.manage",)),
            MenuItem("查阅记录", "financing:access_log", ("consent.manage",)),
            MenuItem("融资对接活动", "financing:event_list", ("event.manage", "event.join")),
            MenuItem(
                "融资成果",
                "financing:outcome_list",
                ("financing.record", "financing.confirm", "whitelist.view"),
            ),
            MenuItem("融资统计", "financing:stats", ("dashboard.view",)),
        ]
        for item in items:
            side_register(GROUP, item)
        register(
            "city", "白名单推荐", "financing:propose", group=GROUP, description="推荐本市项目进入融资白名单"
        )
        register(
            "province", "白名单审核", "financing:review", group=GROUP, description="审核推荐、按批次发布"
        )
        register(
            "bank", "融资需求", "financing:bank_list", group=GROUP, description="白名单项目和企业授权的信息"
        )
        register(
            "enterprise", "信息授权", "financing:consent", group=GROUP, description="金融机构可查看的内容"
        )
        self._register_counters()

    @staticmethod
    def _register_counters() -> None:
        from jigai.accounts.workbench import register_counter

        from . import selectors
        from .models import EntryStatus, OutcomeStatus

        def proposed(actor: Any) -> int:
            return selectors.review_queue(actor=actor).filter(status=EntryStatus.PROPOSED).count()

        def to_confirm(actor: Any) -> int:
            return selectors.outcome_list(actor=actor, filters={"status": OutcomeStatus.ENTERED}).count()

        def returned(actor: Any) -> int:
            return selectors.whitelist_list(actor=actor, filters={"status": EntryStatus.RETURNED}).count()

        register_counter("province", "待审核白名单", "financing:review", proposed)
        register_counter("city", "待确认融资成果", "financing:outcome_list?status=entered", to_confirm)
        register_counter("city", "白名单退回修改", "financing:whitelist_list?status=returned", returned)
