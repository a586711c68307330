from typing import Any

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "jigai.funding"
    verbose_name = "专项资金申报"

    def ready(self) -> None:
        from jigai.accounts.workbench import register
        from jigai.registry.excel.importers import IMPORTERS

        from .excel.other_funds import OtherFundAwardImporter

        # The register of other provincial funds imports through the registry's Excel toolkit and pages.
        importer = OtherFundAwardImporter()
        IMPORTERS.setdefault(importer.kind, importer)

        group = "专项资金"
        register(
            "enterprise",
            "我要申报",
            "funding:apply",
            group=group,
            description="选择指南事项和项目，测算上限后提交",
        )
        register(
            ["enterprise", "county", "city", "province", "leader", "finance"],
            "申报工作台",
            "funding:queue",
            group=group,
            description="待办、筛选、排序、导出",
        )
        register(
            "province",
            "申报指南",
            "funding:guideline_list",
            group=group,
            description="年度指南、事项、预算、参数",
        )
        register(
            "province", "资金分配", "funding:decision_index", group=group, description="按评分或比例安排预算"
        )
        register(
            "province", "公示管理", "funding:notice_list", group=group, description="公示、异议、确定立项"
        )
        register(
            ["province", "city", "county"],
            "其他省级资金支持记录",
            "funding:other_fund_list",
            group=group,
            description="其他省级专项资金已支持的项目，申报时自动比对",
        )
        register("expert", "评审任务", "funding:expert_list", group=group, description="利益冲突声明与评分")
        register("finance", "资金拨付", "funding:payment_list", group=group, description="录入与复核拨付")
        register("*", "公示公告", "funding:public_notices", group=group, description="拟支持项目公示")
        register(
            "province",
            "指南测算",
            "funding:sim_list",
            group=group,
            description="发布前测算指南草案的影响（what-if）",
        )
        from jigai.accounts.menu import MenuItem, side_register

        side_register("专项资金", MenuItem("指南测算", "funding:sim_list", ("guideline.simulate",)))
        side_register("专项资金", MenuItem("政策匹配", "funding:match_list", ("enterprise.edit_own",)))
        side_register("专项资金", MenuItem("应享未享", "funding:match_region", ("match.view_region",)))
        from .matching.tasks import connect

        connect()  # 免申即享: an enterprise's data changed → match it again
        self._register_counters()

    @staticmethod
    def _register_counters() -> None:
        """The workbench tiles: what waits for each role, each a link to its filtered queue."""
        from jigai.accounts.workbench import register_counter

        from . import selectors
        from .models import AppStatus, PaymentStatus

        def status_count(status: str) -> Any:
            return lambda actor: selectors.application_list(actor=actor, filters={"status": status}).count()

        def queue(status: str) -> str:
            return f"funding:queue?status={status}"

        rows = [
            ("enterprise", "草稿", AppStatus.DRAFT),
            ("enterprise", "退回补正", AppStatus.RETURNED),
            ("county", "待初审", AppStatus.SUBMITTED),
            ("city", "待推荐", AppStatus.COUNTY_APPROVED),
            ("province", "待形式审查", AppStatus.CITY_RECOMMENDED),
            ("province", "待决策", AppStatus.REVIEWED),
            ("province", "公示中", AppStatus.ON_NOTICE),
        ]
        for role, label, status in rows:
            register_counter(role, label, queue(status), status_count(status))

        def unscored(actor: Any) -> int:
            return selectors.expert_assignments(actor=actor).filter(submitted_at__isnull=True).count()

        def to_enter(actor: Any) -> int:
            stages = selectors.payment_stages(actor=actor)
            taken = (PaymentStatus.ENTERED, PaymentStatus.CONFIRMED)
            return stages.exclude(payments__status__in=taken).count()

        def to_confirm(actor: Any) -> int:  # maker-checker: never one's own entry
            return selectors.payments_to_confirm(actor=actor).exclude(entered_by=actor).count()

        register_counter("expert", "待评分", "funding:expert_list", unscored)

        def matched(actor: Any) -> int:  # 免申即享 / 政策匹配 (issue 13)
            from .models import Match, MatchStatus

            return Match.objects.restrict(actor, "view").filter(status=MatchStatus.ELIGIBLE).count()

        def proactive_pending(actor: Any) -> int:
            from .models import ProactiveAward, ProactiveStatus

            qs = ProactiveAward.objects.restrict(actor, "view")
            return qs.filter(status=ProactiveStatus.ENTERPRISE_CONFIRMED).count()

        register_counter("enterprise", "看起来符合的事项", "funding:match_list", matched)
        register_counter("county", "免申即享待确认", "funding:match_region", proactive_pending)
        register_counter("finance", "待录入拨付", "funding:payment_list?state=unpaid", to_enter)
        register_counter("finance", "待复核拨付", "funding:payment_list?state=unpaid", to_confirm)
