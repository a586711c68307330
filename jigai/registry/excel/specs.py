"""The columns of the registry's import templates and exports (jigai.core.excel specs).

Import headers are what users type under; export specs start with the same columns, so an exported file
can be corrected and imported again where that makes sense, and add the read-only columns after them.
"""

from __future__ import annotations

from jigai.core.excel import BOOL, CHOICE, DATE, DECIMAL, INT, MONEY, Column, Spec

from .. import industry
from ..models import (
    ConstructionStatus,
    EnterpriseSize,
    EnterpriseStatus,
    Level,
    LibraryStatus,
    ProjectCategory,
    QualificationKind,
    QualificationStatus,
)


def _choices(enum) -> list[tuple[str, str]]:
    return [(str(label), value) for value, label in enum.choices]


USCC = Column(
    "uscc",
    "统一社会信用代码",
    required=True,
    max_length=40,
    width=22,
    help="18 位，字母大写",
    example="91410300MA44B2XK4G",
)
ENTERPRISE_NAME_CHECK = Column(
    "enterprise_name",
    "企业名称",
    max_length=200,
    width=30,
    help="选填；填写时须与系统中该信用代码的企业名称一致，用于核对代码是否填错",
)


def _sections() -> list[tuple[str, str]]:
    return [(f"{code} {name}", code) for code, name in industry.sections().items()]


def _divisions() -> list[tuple[str, str]]:
    return [(f"{code} {name}", code) for code, (_s, name) in industry.divisions().items()]


def enterprise_spec() -> Spec:
    return Spec(
        "企业",
        [
            USCC,
            Column(
                "name",
                "企业名称",
                required=True,
                max_length=200,
                width=30,
                example="洛阳中原重型机械有限公司",
            ),
            Column(
                "region",
                "所在区划代码",
                required=True,
                max_length=30,
                width=14,
                help="县级区划的 6 位代码（如 410305），见“区划代码表”；也可填“洛阳市涧西区”",
                example="410305",
            ),
            Column("industry_section", "行业门类", CHOICE, choices=_sections(), width=18, help="制造业为 C"),
            Column(
                "industry_division",
                "行业大类",
                CHOICE,
                choices=_divisions(),
                width=26,
                help="制造业企业请选择 13–43 大类；门类可不填，按大类自动确定",
                example="34 通用设备制造业",
            ),
            Column("size", "企业规模", CHOICE, choices=_choices(EnterpriseSize), example="中型"),
            Column("above_designated_size", "规模以上工业企业", BOOL, example="是"),
            Column("contact_person", "联系人", max_length=50, example="王经理"),
            Column("contact_phone", "联系电话", max_length=30, example="0379-64000000"),
            Column("address", "地址", max_length=200, width=30, example="洛阳市涧西区建设路 1 号"),
        ],
    )


def qualification_spec() -> Spec:
    return Spec(
        "企业资质",
        [
            USCC,
            ENTERPRISE_NAME_CHECK,
            Column(
                "kind",
                "资质类型",
                CHOICE,
                required=True,
                choices=_choices(QualificationKind),
                width=28,
                example="省级专精特新中小企业",
            ),
            Column("level", "级别", CHOICE, choices=_choices(Level), example="省级"),
            Column(
                "certificate_no", "证书编号/文号", max_length=100, width=22, example="豫工信企业〔2024〕1号"
            ),
            Column("valid_from", "有效期起", DATE, required=True, example="2024-01-01"),
            Column("valid_to", "有效期止", DATE, required=True, example="2026-12-31"),
        ],
    )


def qualification_list_spec() -> Spec:
    """The province's official list (名单) of a qualification: each row verifies one enterprise's."""
    return Spec(
        "资质名单",
        [
            Column(
                "kind",
                "资质类型",
                CHOICE,
                required=True,
                choices=_choices(QualificationKind),
                width=28,
                example="国家级专精特新“小巨人”企业",
            ),
            USCC,
            ENTERPRISE_NAME_CHECK,
            Column("certificate_no", "证书/文号", max_length=100, width=22, help="证书编号；选填"),
            Column("valid_from", "有效期起", DATE, required=True, example="2024-07-01"),
            Column("valid_to", "有效期止", DATE, required=True, example="2027-06-30"),
            Column(
                "list_document_no",
                "名单文号",
                required=True,
                max_length=100,
                width=26,
                help="公布该名单的文件文号",
                example="工信部企业函〔2024〕135号",
            ),
        ],
    )


def project_spec() -> Spec:
    return Spec(
        "技改项目",
        [
            USCC,
            ENTERPRISE_NAME_CHECK,
            Column(
                "name",
                "项目名称",
                required=True,
                max_length=200,
                width=32,
                example="智能化生产线技术改造项目",
            ),
            Column(
                "category",
                "改造类型",
                CHOICE,
                required=True,
                choices=_choices(ProjectCategory),
                example="智能化",
            ),
            Column("is_machine_replacement", "机器换人项目", BOOL, example="否"),
            Column("is_smart_factory", "智能工厂/车间项目", BOOL, example="是"),
            Column("total_investment", "总投资（元）", MONEY, required=True, example="58000000.00"),
            Column("equipment_investment", "设备投资（元）", MONEY, example="32000000.00"),
            Column("software_investment", "软件投资（元）", MONEY, example="4000000.00"),
            Column(
                "machine_purchase_investment",
                "整机购置投资（元）",
                MONEY,
                help="机器换人项目必填",
                example="0",
            ),
            Column("planned_start", "计划开工", DATE, required=True, example="2025-03-01"),
            Column("planned_end", "计划竣工", DATE, required=True, example="2026-06-30"),
            Column(
                "construction_status",
                "建设状态",
                CHOICE,
                choices=_choices(ConstructionStatus),
                help="不填为“计划”",
                example="在建",
            ),
            Column("zero_new_land", "零增地项目", BOOL, example="否"),
            Column("added_floor_area", "新增建筑面积（平方米）", DECIMAL, help="零增地项目必填"),
            Column("description", "建设内容", max_length=2000, width=40),
        ],
    )


def progress_spec() -> Spec:
    return Spec(
        "月度进度",
        [
            USCC,
            ENTERPRISE_NAME_CHECK,
            Column(
                "project_id",
                "项目编号",
                INT,
                min_value=1,
                help="系统中的项目编号（项目导出表第一列）；不填时按项目名称查找",
            ),
            Column(
                "project_name",
                "项目名称",
                max_length=200,
                width=32,
                help="填写了项目编号时可不填；两者都填时须一致",
            ),
            Column("year", "年份", INT, required=True, min_value=2000, max_value=2100, example=2025),
            Column("month", "月份", INT, required=True, min_value=1, max_value=12, example=6),
            Column("investment_completed", "本月完成投资（元）", MONEY, required=True, example="1250000.00"),
            Column("note", "进展情况", max_length=2000, width=36),
            Column(
                "over_total_reason",
                "累计超总投资说明",
                max_length=2000,
                width=30,
                help="累计完成投资超过项目总投资时必填，说明原因",
            ),
        ],
    )


# --- exports --------------------------------------------------------------------------------------------
# Keys are the lookups of the queryset's .values(), so an export row is the values dict as it comes.


def enterprise_export_spec() -> Spec:
    return Spec(
        "企业",
        [
            Column("uscc", "统一社会信用代码", width=22),
            Column("name", "企业名称", width=30),
            Column("region_id", "所在区划代码", width=14),
            Column("region__parent__name", "所在市", width=12),
            Column("region__name", "所在县（市、区）", width=16),
            Column("industry_section", "行业门类", CHOICE, choices=_sections(), width=18),
            Column("industry_division", "行业大类", CHOICE, choices=_divisions(), width=26),
            Column("size", "企业规模", CHOICE, choices=_choices(EnterpriseSize)),
            Column("above_designated_size", "规模以上工业企业", BOOL),
            Column("contact_person", "联系人"),
            Column("contact_phone", "联系电话"),
            Column("address", "地址", width=30),
            Column("status", "状态", CHOICE, choices=_choices(EnterpriseStatus)),
            Column("created_at", "登记日期", DATE),
        ],
    )


def qualification_export_spec() -> Spec:
    return Spec(
        "企业资质",
        [
            Column("enterprise__uscc", "统一社会信用代码", width=22),
            Column("enterprise__name", "企业名称", width=30),
            Column("kind", "资质类型", CHOICE, choices=_choices(QualificationKind), width=28),
            Column("level", "级别", CHOICE, choices=_choices(Level)),
            Column("certificate_no", "证书编号/文号", width=22),
            Column("valid_from", "有效期起", DATE),
            Column("valid_to", "有效期止", DATE),
            Column("enterprise__region__name", "所在县（市、区）", width=16),
            Column("status", "核验状态", CHOICE, choices=_choices(QualificationStatus)),
            Column("list_document_no", "名单文号", width=22),
            Column("review_comment", "核验意见/驳回原因", width=30),
        ],
    )


def project_export_spec() -> Spec:
    return Spec(
        "技改项目",
        [
            Column("id", "项目编号", INT, width=10),
            Column("enterprise__uscc", "统一社会信用代码", width=22),
            Column("enterprise__name", "企业名称", width=30),
            Column("name", "项目名称", width=32),
            Column("category", "改造类型", CHOICE, choices=_choices(ProjectCategory)),
            Column("is_machine_replacement", "机器换人项目", BOOL),
            Column("is_smart_factory", "智能工厂/车间项目", BOOL),
            Column("total_investment", "总投资（元）", MONEY),
            Column("equipment_investment", "设备投资（元）", MONEY),
            Column("software_investment", "软件投资（元）", MONEY),
            Column("machine_purchase_investment", "整机购置投资（元）", MONEY),
            Column("planned_start", "计划开工", DATE),
            Column("planned_end", "计划竣工", DATE),
            Column("construction_status", "建设状态", CHOICE, choices=_choices(ConstructionStatus)),
            Column("zero_new_land", "零增地项目", BOOL),
            Column("added_floor_area", "新增建筑面积（平方米）", DECIMAL),
            Column("library_status", "入库状态", CHOICE, choices=_choices(LibraryStatus), width=22),
            Column("cumulative_investment", "累计完成投资（元）", MONEY),
            Column("enterprise__region_id", "所在区划代码", width=14),
            Column("enterprise__region__name", "所在县（市、区）", width=16),
        ],
    )


def progress_export_spec() -> Spec:
    return Spec(
        "月度进度",
        [
            Column("project__enterprise__uscc", "统一社会信用代码", width=22),
            Column("project__enterprise__name", "企业名称", width=30),
            Column("project_id", "项目编号", INT, width=10),
            Column("project__name", "项目名称", width=32),
            Column("year", "年份", INT, width=8),
            Column("month_no", "月份", INT, width=8),
            Column("investment_completed", "本月完成投资（元）", MONEY),
            Column("note", "进展情况", width=36),
            Column("over_total_reason", "累计超总投资说明", width=30),
            Column("cumulative", "累计完成投资（元）", MONEY),
            Column("project__total_investment", "项目总投资（元）", MONEY),
            Column("project__enterprise__region__name", "所在县（市、区）", width=16),
        ],
    )
