from typing import Any

from django.apps import AppConfig


class LandConfig(AppConfig):
    name = "jigai.land"
    verbose_name = "用地保障"

    def ready(self) -> None:
        from jigai.accounts.menu import MenuItem, side_register
        from jigai.accounts.workbench import register
        from jigai.audit.models import ACTION_LABELS
        from jigai.web.help import HOWTO

        from .services import AUDIT_LABELS

        group = "融资与用地"
        side_register(group, MenuItem("零增地项目", "land:case_list", ("land.view",)))
        side_register(group, MenuItem("减免测算", "land:waiver", ("land.view",)))
        side_register(group, MenuItem("用地保障清单", "land:priority", ("land.manage",)))
        side_register(group, MenuItem("收费标准", "land:rate_list", ("land.view",)))
        register(
            ["county", "city", "province"],
            "零增地项目",
            "land:case_list",
            group=group,
            description="先建后验：开工、竣工、核验",
        )
        register(
            ["city", "province"],
            "收费标准",
            "land:rate_list",
            group=group,
            description="各市按区域、执行日期",
        )
        for verb, label in AUDIT_LABELS.items():
            ACTION_LABELS.setdefault(verb, label)
        HOWTO.setdefault(
            "land.cases",
            {
                "county": (
                    "登记本辖区的零增地项目，开工、竣工时分别登记日期；"
                    "竣工后由市级核验，不合格的整改后重新报验。"
                ),
                "city": "对已竣工的零增地项目组织核验，填写核验日期、核验单位和结果；不合格须写明原因。",
                "enterprise": "这里是本企业的零增地项目，只能查看；开工、竣工由县级登记，市级核验。",
                "*": "零增地项目按先建后验、按需报审办理，可按状态、地区、核验年度筛选并导出 Excel。",
            },
        )
        HOWTO.setdefault(
            "land.waiver",
            {"*": "按核验年度查看各市免收的土地出让金和市政设施配套费，点击项目查看所用标准和执行日期。"},
        )
        HOWTO.setdefault(
            "land.priority",
            {"*": "登记技术改造项目的新增用地需求，清单按页首规则排序；用地落实后点“已保障”，可导出 Excel。"},
        )
        HOWTO.setdefault(
            "land.rates",
            {
                "city": (
                    "录入本市（分区）的土地出让金和市政设施配套费标准及执行日期；"
                    "标准调整时以新日期录入新标准。"
                ),
                "province": "可为任一省辖市录入或更正标准；已用于核验的标准不能删除。",
                "*": "各市现行标准和历史标准。",
            },
        )
        self._counters()

    @staticmethod
    def _counters() -> None:
        from jigai.accounts.workbench import register_counter

        from .models import CaseStatus, LandCase

        def count(status: str) -> Any:
            return lambda actor: LandCase.objects.restrict(actor, "change").filter(status=status).count()

        register_counter(
            "city",
            "待核验零增地项目",
            f"land:case_list?status={CaseStatus.COMPLETED}",
            count(CaseStatus.COMPLETED),
        )
        register_counter(
            "county",
            "零增地待登记竣工",
            f"land:case_list?status={CaseStatus.STARTED}",
            count(CaseStatus.STARTED),
        )
        register_counter(
            "county",
            "零增地核验不合格",
            f"land:case_list?status={CaseStatus.FAILED}",
            count(CaseStatus.FAILED),
        )
