"""Request and response bodies of the registry API, declared so the OpenAPI document is exact.

Input types check the shape only (type, format, choice) with a Chinese message per field; the rules (total
investment ≥ its parts, end after start, over-total reason …) stay in the services, the same for page and
API. Money is a string of yuan with at most two decimals, both ways (never a JSON number: no float), dates
ISO (YYYY-MM-DD), times ISO 8601 in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.db import models
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, PlainValidator, WithJsonSchema

from jigai.api.policy import PolicyCaseErrorOut, PolicyCaseResultOut, PolicyVersionOut
from jigai.api.types import MAX_ID, MoneyOut, RegionIn, Time, choice, date_in, decimal_in, money_in, page_of
from jigai.policy import item_catalog

from ..facts import MACHINE_ITEM, PROJECT_ITEMS
from ..industry import industry_label
from ..models import (
    ConstructionStatus,
    EnterpriseSize,
    EnterpriseStatus,
    LibraryStatus,
    Project,
    ProjectCategory,
    QualificationKind,
    QualificationStatus,
)

# ---------------------------------------------------------------------------------------------- input types

AREA_IN_PATTERN = r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])(-[0-9]{2})?$"

MoneyIn = money_in(
    "12000000.00", '请填写以元为单位的金额字符串，如 "12000000.00"：不能为负数，最多 14 位整数、两位小数。'
)
AreaIn = Annotated[
    Decimal,
    PlainValidator(
        decimal_in(AREA_IN_PATTERN, '请填写面积（平方米）字符串，如 "1500.50"：不能为负数，最多两位小数。')
    ),
    WithJsonSchema({"type": "string", "pattern": AREA_IN_PATTERN, "description": "平方米，字符串"}),
]
DateIn = date_in("2024-05-31")


def _month_in(value: Any) -> dt.date:
    if isinstance(value, str) and re.fullmatch(MONTH_PATTERN, value):
        try:
            return dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01").replace(day=1)
        except ValueError:
            pass
    raise ValueError("请填写月份，格式为 YYYY-MM，如 2024-05。")


MonthIn = Annotated[
    dt.date,
    PlainValidator(_month_in),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONTH_PATTERN,
            "description": "月份 YYYY-MM（写成该月某日 YYYY-MM-DD 亦可，按该月计）",
            "examples": ["2024-05"],
        }
    ),
]


def _text(value: Any) -> Any:
    # PostgreSQL cannot store NUL in text (and Django's form fields refuse it too).
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("不能包含空字符（\\x00）。")
    return value


Text = Annotated[str, AfterValidator(_text)]


def _choices(enum: type[models.TextChoices]) -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in enum.choices]


CategoryIn = choice(_choices(ProjectCategory), "改造类型")
ConstructionIn = choice(_choices(ConstructionStatus), "建设状态")
LibraryStatusIn = choice(_choices(LibraryStatus), "入库状态")
SizeIn = choice(_choices(EnterpriseSize), "企业规模")
EnterpriseStatusIn = choice(_choices(EnterpriseStatus), "企业状态")
QualificationKindIn = choice(_choices(QualificationKind), "资质类型")
QualificationStatusIn = choice(_choices(QualificationStatus), "核验状态")

# The workflow moves by name; the service takes the target state (services.projects.TRANSITIONS).
ACTIONS: dict[str, str] = {
    "submit": LibraryStatus.SUBMITTED,
    "county_approve": LibraryStatus.COUNTY_CHECKED,
    "city_approve": LibraryStatus.IN_LIBRARY,
    "return": LibraryStatus.RETURNED,
}
ACTION_NAMES = [
    ("submit", "企业提交（待县级审核）"),
    ("county_approve", "县级审核通过"),
    ("city_approve", "市级审核通过（入库）"),
    ("return", "退回补正（须填写意见）"),
]
ActionIn = choice(ACTION_NAMES, "操作")
_CATALOG = {i["code"]: f"{i['clause']} {i['title']}" for i in item_catalog()}
ItemIn = choice([(code, _CATALOG[code]) for code in (*PROJECT_ITEMS, MACHINE_ITEM)], "支持项目")


class _In(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped


class Page(Schema):
    limit: int = Field(20, ge=1, le=100, description="每页条数（1–100）")
    offset: int = Field(0, ge=0, le=MAX_ID, description="跳过的条数")


class EnterpriseFilters(Page):
    q: Text | None = Field(None, max_length=100, description="企业名称或统一社会信用代码")
    region: RegionIn | None = None
    size: SizeIn | None = None
    above_designated: bool | None = Field(None, description="true 规上企业，false 规下企业")
    status: EnterpriseStatusIn | None = None


class ProjectFilters(Page):
    q: Text | None = Field(None, max_length=100, description="项目名称、企业名称或信用代码")
    category: CategoryIn | None = None
    construction_status: ConstructionIn | None = None
    library_status: LibraryStatusIn | None = None
    region: RegionIn | None = None
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, description="企业 id")
    missing: bool | None = Field(None, description="true：应统未统（在建入库项目上月未报进度）")


class QualificationFilters(Page):
    q: Text | None = Field(None, max_length=100, description="企业名称或统一社会信用代码")
    kind: QualificationKindIn | None = None
    status: QualificationStatusIn | None = Field(None, description="核验状态，缺省为 submitted（待核验）")
    region: RegionIn | None = None


class QualificationVerifyIn(_In):
    comment: Text = Field("", max_length=2000, description="核验意见（选填）")


class QualificationRejectIn(_In):
    reason: Text = Field(max_length=2000, description="驳回原因（必填，企业可见）")


class InHenanCheckIn(_In):
    confirmed: bool = Field(description="true：研发、生产在河南省内属实；false：不属实（须填写意见）")
    comment: Text = Field("", max_length=2000, description="核实意见；不属实时必填")


class CalculatorQuery(Schema):
    item: ItemIn
    as_of: DateIn | None = Field(None, description="申报日期（资格按此日判断），缺省为今天")
    other_provincial_support: bool = Field(False, description="同一项目已获省级财政其他专项资金支持")


class ProjectIn(_In):
    name: Text = Field(max_length=200, description="项目名称")
    category: CategoryIn
    is_machine_replacement: bool = Field(False, description="机器换人项目（三（一）4）")
    is_smart_factory: bool = Field(False, description="智能工厂/车间项目")
    total_investment: MoneyIn
    equipment_investment: MoneyIn = Decimal(0)
    software_investment: MoneyIn = Decimal(0)
    machine_purchase_investment: MoneyIn = Decimal(0)
    planned_start: DateIn
    planned_end: DateIn
    zero_new_land: bool = Field(False, description="零增地项目（须填新增建筑面积）")
    added_floor_area: AreaIn | None = None
    description: Text = Field("", max_length=5000, description="建设内容")


class TransitionIn(_In):
    action: ActionIn
    comment: Text = Field("", max_length=2000, description="审核意见；退回补正时必填")


class ProgressIn(_In):
    month: MonthIn
    investment_completed: MoneyIn
    over_total_reason: Text = Field(
        "", max_length=2000, description="累计完成投资超过项目总投资时必填：超出原因"
    )
    note: Text = Field("", max_length=2000, description="进展情况")


# ---------------------------------------------------------------------------------------------- output types


class RegionOut(Schema):
    code: str
    name: str


class EnterpriseRef(Schema):
    id: int
    uscc: str = Field(description="统一社会信用代码")
    name: str


class QualificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    level: str
    level_label: str
    certificate_no: str
    valid_from: dt.date
    valid_to: dt.date
    valid_today: bool = Field(description="今天在有效期内")
    status: str = Field(description="核验状态（只读）：submitted 待核验、verified 已核验、rejected 已驳回")
    status_label: str
    verified_at: Time | None = Field(description="核验（或驳回）时间")
    review_comment: str = Field(description="核验意见；已驳回时为驳回原因")
    list_document_no: str = Field(description="据以核验的名单文号（名单导入时）")
    counts_today: bool = Field(description="今天计入政策测算：已核验且在有效期内")

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_counts_today(obj: Any) -> bool:
        today = timezone.localdate()
        return obj.status == QualificationStatus.VERIFIED and obj.valid_from <= today <= obj.valid_to

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display()) if obj.level else ""

    @staticmethod
    def resolve_valid_today(obj: Any) -> bool:
        return obj.valid_from <= timezone.localdate() <= obj.valid_to


class EnterpriseOut(Schema):
    id: int
    uscc: str = Field(description="统一社会信用代码")
    name: str
    region: RegionOut
    industry_section: str = Field(description="GB/T 4754 门类")
    industry_division: str = Field(description="GB/T 4754 大类")
    industry_label: str
    size: str
    size_label: str
    above_designated_size: bool = Field(description="规模以上工业企业")
    status: str
    status_label: str

    @staticmethod
    def resolve_industry_label(obj: Any) -> str:
        return industry_label(obj.industry_section, obj.industry_division)

    @staticmethod
    def resolve_size_label(obj: Any) -> str:
        return str(obj.get_size_display()) if obj.size else ""

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class EnterpriseDetailOut(EnterpriseOut):
    address: str
    contact_person: str
    contact_phone: str
    review_comment: str
    reviewed_at: Time | None
    created_at: Time
    in_henan_declared: bool = Field(description="企业声明：研发、生产在河南省内")
    in_henan_confirmed: bool | None = Field(description="县级核实结果：true 属实、false 不属实、null 待核实")
    in_henan_confirmed_at: Time | None
    in_henan_comment: str = Field(description="核实意见")
    in_henan: bool = Field(description="测算所用 in_henan：省内注册、已声明且经县级核实属实")
    qualifications: list[QualificationOut]

    @staticmethod
    def resolve_qualifications(obj: Any) -> list[Any]:
        return obj.qualification_list  # read by the handler through the scope gate


class QualificationQueueItemOut(QualificationOut):
    enterprise: EnterpriseRef
    region: RegionOut = Field(description="企业所在区划")
    actions: list[str] = Field(description="当前用户可执行的操作：verify、reject")

    @staticmethod
    def resolve_region(obj: Any) -> Any:
        return obj.enterprise.region


QualificationPageOut = page_of(QualificationQueueItemOut, "QualificationPageOut")


EnterprisePageOut = page_of(EnterpriseOut, "EnterprisePageOut")


class ProjectOut(Schema):
    id: int
    name: str
    enterprise: EnterpriseRef
    region: RegionOut = Field(description="企业所在区划")
    category: str
    category_label: str
    is_machine_replacement: bool
    is_smart_factory: bool
    total_investment: MoneyOut
    equipment_investment: MoneyOut
    software_investment: MoneyOut
    machine_purchase_investment: MoneyOut
    cumulative_investment: MoneyOut = Field(description="累计完成投资（月度进度之和）")
    planned_start: dt.date
    planned_end: dt.date
    construction_status: str
    construction_status_label: str
    zero_new_land: bool
    added_floor_area: str | None = Field(description="新增建筑面积（平方米）")
    library_status: str
    library_status_label: str
    library_comment: str = Field(description="最近审核意见")
    submitted_at: Time | None
    in_library_at: Time | None
    created_at: Time

    @staticmethod
    def resolve_region(obj: Project) -> Any:
        return obj.enterprise.region

    @staticmethod
    def resolve_category_label(obj: Project) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_cumulative_investment(obj: Project) -> Any:
        return obj.cumulative

    @staticmethod
    def resolve_construction_status_label(obj: Project) -> str:
        return str(obj.get_construction_status_display())

    @staticmethod
    def resolve_added_floor_area(obj: Project) -> str | None:
        return None if obj.added_floor_area is None else format(obj.added_floor_area, "f")

    @staticmethod
    def resolve_library_status_label(obj: Project) -> str:
        return str(obj.get_library_status_display())


ProjectPageOut = page_of(ProjectOut, "ProjectPageOut")


class ProjectEventOut(Schema):
    from_status: str
    to_status: str
    to_status_label: str
    comment: str
    actor: str = Field(description="操作人姓名")
    voided: bool = Field(description="已被其后的退回补正作废的审核")
    created_at: Time

    @staticmethod
    def resolve_to_status_label(obj: Any) -> str:
        return str(obj.get_to_status_display())

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.get_full_name() if obj.actor else ""


class ProjectDetailOut(ProjectOut):
    description: str
    missing_statistics: bool = Field(description="应统未统：在建入库项目上月未报进度")
    actions: list[str] = Field(description="当前用户现在可执行的操作（transitions 的 action）")
    calculator_items: list[str] = Field(description="可测算的支持项目（calculator-case 的 item）")
    events: list[ProjectEventOut] = Field(description="入库流转记录")

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return obj.flow  # set by the handler (project.events is the related manager)


class ProgressOut(Schema):
    id: int
    month: dt.date = Field(description="月份（该月 1 日）")
    investment_completed: MoneyOut = Field(description="本月完成投资（元）")
    cumulative: MoneyOut = Field(description="截至本月累计完成投资（元）")
    over_total_reason: str
    note: str
    reported_by: str = Field(description="填报人姓名")
    created_at: Time
    updated_at: Time

    @staticmethod
    def resolve_reported_by(obj: Any) -> str:
        return obj.reported_by.get_full_name() if obj.reported_by else ""


class ProgressListOut(Schema):
    project_id: int
    total_investment: MoneyOut
    cumulative_investment: MoneyOut
    items: list[ProgressOut]


class CalculatorQualificationOut(Schema):
    kind: str
    valid_from: dt.date
    valid_to: dt.date


class CalculatorApplicantOut(Schema):
    uscc: str
    in_henan: bool
    qualifications: list[CalculatorQualificationOut]


class CalculatorCaseOut(Schema):
    id: str
    item: str
    as_of: dt.date
    applicant: CalculatorApplicantOut
    other_provincial_support: bool
    facts: dict[str, Any] = Field(description="该项目的事实（金额为元字符串），见 GET /api/v1/policy/items")


class CalculatorResultOut(PolicyCaseResultOut):
    policy_version: str = Field(description="所用政策参数版本（生效日期）")


class CalculatorOut(Schema):
    case: CalculatorCaseOut = Field(
        description="由项目库数据生成的计算器案例（POST /api/v1/policy/evaluate 的 cases[]）"
    )
    policy: PolicyVersionOut
    result: CalculatorResultOut | PolicyCaseErrorOut = Field(
        description="计算结果：补助上限（元）与逐条款说明"
    )
