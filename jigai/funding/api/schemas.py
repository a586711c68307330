"""Request and response bodies of the funding API, declared so the OpenAPI document is exact.

Input types check the shape only (type, format, choice) with a Chinese message per field; every rule (the
window, one application a year, the ceiling, maker-checker …) stays in the services, the same for the pages
and the API. Money is a string of yuan, both ways (never a JSON number: no float); dates are ISO
(YYYY-MM-DD); times ISO 8601 in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict

from jigai.api.policy import PolicyCaseResultOut, PolicyVersionOut
from jigai.api.types import (
    MAX_ID,
    MaybeMoneyOut,
    MoneyOut,
    RegionIn,
    Time,
    choice,
    date_in,
    money_in,
    page_of,
)

from .. import calc
from ..models import (
    Action,
    AppStatus,
    GuidelineStatus,
    ItemGroup,
    PaymentStatus,
    item_group_of,
    stage_label,
)
from ..selectors import SORTS

# ---------------------------------------------------------------------------------------------- input types

MoneyIn = money_in("3000000.00", '请填写以元为单位的金额字符串，如 "3000000.00"：不能为负数，最多两位小数。')
DateIn = date_in("2026-05-31")
ItemIn = choice(calc.item_choices(), "申报事项")
ItemGroupIn = choice([(str(v), str(label)) for v, label in ItemGroup.choices], "资金类别")
StatusFilterIn = choice(
    [("todo", "待我处理"), *((str(v), str(label)) for v, label in AppStatus.choices)], "申报状态"
)
SORT_NAMES = {
    "submitted": "提交时间（旧→新）",
    "-submitted": "提交时间（新→旧，缺省）",
    "ceiling": "测算上限（低→高）",
    "-ceiling": "测算上限（高→低）",
    "score": "专家均分（低→高）",
    "-score": "专家均分（高→低）",
    "rank": "市级推荐排序",
    "tracking": "申报编号",
    "-tracking": "申报编号（倒序）",
    "enterprise": "企业名称",
}
SortIn = choice([(key, SORT_NAMES.get(key, key)) for key in SORTS], "排序")
TargetKindIn = choice(list(calc.TARGET_LABELS.items()), "申报对象类型")
# The moves of the generic workflow service; submit, decide, notice … have their own services.
MOVES = [
    (Action.APPROVE.value, "通过（县级初审、市级推荐、省级形式审查、结束专家评审）"),
    (Action.RETURN.value, "退回补正（须填写意见）"),
    (Action.REJECT.value, "不予通过（须填写理由）"),
    (Action.WITHDRAW.value, "企业撤回"),
]
MoveIn = choice(MOVES, "操作")


class _In(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped


class FundingApplicationFilters(Schema):
    status: StatusFilterIn | None = Field(None, description="todo：当前角色待处理的申报")
    item: ItemIn | None = None
    item_group: ItemGroupIn | None = None
    guideline: int | None = Field(None, ge=1, le=MAX_ID, description="申报指南 id")
    region: RegionIn | None = None
    q: str | None = Field(None, max_length=100, description="申报编号、企业名称或统一社会信用代码")
    sort: SortIn | None = None
    limit: int = Field(20, ge=1, le=100, description="每页条数（1–100）")
    offset: int = Field(0, ge=0, le=1_000_000, description="跳过的条数")


class FundingApplicationIn(_In):
    guideline: int = Field(ge=1, le=MAX_ID, description="申报指南 id（已发布、在申报期内）")
    item: ItemIn
    target_kind: TargetKindIn
    target_id: int = Field(ge=1, le=MAX_ID, description="本企业的项目、产品、平台或称号的 id")
    requested_amount: MoneyIn | None = Field(None, description="申请金额（元）；不填则提交时按测算上限")
    declared_other_provincial_support: bool = Field(
        False, description="该对象已获省级财政其他专项资金支持（企业声明；为 true 时不能提交，政策三末段）"
    )
    contact_person: str = Field("", max_length=50, description="申报联系人；不填则用企业联系人")
    contact_phone: str = Field("", max_length=30, description="联系电话；不填则用企业联系电话")
    summary: str = Field("", max_length=5000, description="申报说明")


class FundingTransitionIn(_In):
    action: MoveIn
    comment: str = Field("", max_length=2000, description="意见；退回补正、不予通过时必填")
    rank: int | None = Field(
        None, ge=1, le=10_000, description="市级推荐排序（市级通过时可填，缺省排在本市最后）"
    )


class FundingPaymentIn(_In):
    stage: int = Field(ge=1, le=MAX_ID, description="拨付阶段 id（GET /funding/applications/{id}/payments）")
    paid_on: DateIn = Field(description="拨付日期，不早于资金安排决策日期，不晚于今天")
    amount: MoneyIn = Field(description="拨付金额（元），不超过该阶段计划拨付")
    voucher_no: str = Field(min_length=1, max_length=60, description="凭证号")
    # The payee's account, required for every payment (空白的由服务按字段说明：请填写收款单位 …).
    payee_name: str = Field(max_length=200, description="收款单位（必填）")
    payee_bank: str = Field(max_length=100, description="开户银行（必填）")
    payee_account: str = Field(
        max_length=40, description="银行账号（必填，8 至 32 位数字，可含空格或短横线）"
    )


# ---------------------------------------------------------------------------------------------- output types


def _name(user: Any) -> str:
    return user.get_full_name() if user is not None else ""


class FundingRegionOut(Schema):
    code: str
    name: str


class FundingEnterpriseRef(Schema):
    id: int
    uscc: str = Field(description="统一社会信用代码")
    name: str
    region: FundingRegionOut


class FundingGuidelineRef(Schema):
    id: int
    year: int
    title: str


class FundingItemOut(Schema):
    code: str
    label: str = Field(description="事项名称与条款")


class FundingBudgetOut(Schema):
    item_group: str
    item_group_label: str
    amount: MoneyOut

    @staticmethod
    def resolve_item_group_label(obj: Any) -> str:
        return str(obj.get_item_group_display())


class FundingGuidelineOut(Schema):
    id: int
    year: int = Field(description="申报年度")
    title: str
    policy_version: str
    items: list[FundingItemOut] = Field(description="开放申报的事项")
    opens_at: Time
    closes_at: Time
    open_now: bool = Field(description="已发布且当前在申报期内")
    notice_days: int = Field(description="公示期（工作日）")
    parameter_overrides: dict[str, Any] = Field(description="本轮指南调整的政策参数")
    description: str
    status: str = Field(description=f"状态：{'、'.join(f'{v}（{n}）' for v, n in GuidelineStatus.choices)}")
    status_label: str
    published_at: Time | None
    budgets: list[FundingBudgetOut] = Field(description="按资金类别的预算")

    @staticmethod
    def resolve_items(obj: Any) -> list[dict[str, str]]:
        return [{"code": code, "label": calc.item_label(code)} for code in obj.items or []]

    @staticmethod
    def resolve_open_now(obj: Any) -> bool:
        return obj.status == GuidelineStatus.PUBLISHED and obj.opens_at <= timezone.now() <= obj.closes_at

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_budgets(obj: Any) -> list[Any]:
        return list(obj.budgets.all())  # prefetched by the selector


def _status_doc() -> str:
    return "状态：" + "、".join(f"{v}（{n}）" for v, n in AppStatus.choices)


class FundingApplicationOut(Schema):
    id: int
    tracking_no: str | None = Field(description="申报编号，如 JG2026-410100-00042")
    enterprise: FundingEnterpriseRef
    guideline: FundingGuidelineRef
    year: int = Field(description="申报年度")
    item: str
    item_label: str
    item_group: str
    target_kind: str = Field(description="申报对象类型：project、product、platform、title")
    target_id: int
    requested_amount: MoneyOut = Field(description="申请金额（元）")
    ceiling: MoneyOut = Field(description="提交时冻结的测算上限（元）")
    granted_amount: MaybeMoneyOut = Field(description="安排金额（元），决策后才有")
    score_avg: str | None = Field(description="专家平均分")
    city_rank: int | None = Field(description="市级推荐排序")
    is_leading_goose_fixed_award: bool = Field(description="头雁企业定额奖励项目（不占一年一项）")
    status: str = Field(description=_status_doc())
    status_label: str
    last_comment: str = Field(description="最近一次退回或不予通过的意见")
    submitted_at: Time | None
    decided_at: Time | None
    created_at: Time

    @staticmethod
    def resolve_item_label(obj: Any) -> str:
        return calc.item_label(obj.item)

    @staticmethod
    def resolve_item_group(obj: Any) -> str:
        return obj.item_group or item_group_of(obj.item)

    @staticmethod
    def resolve_target_id(obj: Any) -> int:
        return getattr(obj, f"{obj.target_kind}_id")

    @staticmethod
    def resolve_score_avg(obj: Any) -> str | None:
        return None if obj.score_avg is None else format(obj.score_avg, "f")

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


FundingApplicationPageOut = page_of(FundingApplicationOut, "FundingApplicationPageOut")


class FundingFrozenResultOut(PolicyCaseResultOut):
    policy_version: str | None = Field(None, description="测算所用的政策参数版本")


class FundingFrozenOut(Schema):
    as_of: str = Field(description="资格判断日（提交日）")
    frozen_at: str = Field(description="冻结时间")
    policy: PolicyVersionOut
    overrides: dict[str, Any] = Field(description="本轮指南调整的政策参数")
    case: dict[str, Any] = Field(description="冻结的事实（计算器案例，金额为元字符串）")
    result: FundingFrozenResultOut = Field(description="冻结的测算结果：补助上限、条件、逐条款说明、拨付阶段")


class FundingReviewEventOut(Schema):
    id: int
    level: str
    level_label: str
    action: str
    action_label: str
    from_status: str
    to_status: str
    to_status_label: str
    comment: str
    actor: str = Field(description="操作人姓名")
    voided: bool = Field(description="已被其后的退回补正作废的审核")
    created_at: Time

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_to_status_label(obj: Any) -> str:
        return str(obj.get_to_status_display())

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return _name(obj.actor)


class FundingAuditOut(Schema):
    seq: int
    occurred_at: Time
    actor: str = Field(description="操作人姓名")
    action: str
    action_label: str
    comment: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_name or "系统"


class FundingAttachmentOut(Schema):
    id: int
    name: str
    content_type: str = Field(description="pdf、png 或 jpeg（按内容判断）")
    size: int = Field(description="字节")
    uploaded_at: Time


class FundingApplicationDetailOut(FundingApplicationOut):
    target_label: str = Field(description="申报对象名称")
    declared_other_provincial_support: bool
    contact_person: str
    contact_phone: str
    summary: str
    frozen: FundingFrozenOut | None = Field(description="提交时冻结的事实与测算结果；草稿为 null")
    actions: list[str] = Field(description="当前用户现在可执行的操作（POST …/transitions 的 action）")
    can_submit: bool = Field(description="当前用户现在可以提交（POST …/submit）")
    events: list[FundingReviewEventOut] = Field(description="审核流转记录")
    history: list[FundingAuditOut] = Field(description="审计记录（新在前；专家不可见）")
    attachments: list[FundingAttachmentOut]

    @staticmethod
    def resolve_target_label(obj: Any) -> str:
        return str(obj.target)

    @staticmethod
    def resolve_frozen(obj: Any) -> Any:
        return obj.snapshot or None

    # Read by the handler for this actor (the related managers of the same names are not scoped).
    @staticmethod
    def resolve_actions(obj: Any) -> list[str]:
        return obj.api_actions

    @staticmethod
    def resolve_can_submit(obj: Any) -> bool:
        return obj.api_can_submit

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return obj.api_events

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return obj.api_history

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return obj.api_attachments


class FundingPaymentOut(Schema):
    id: int
    application_id: int
    tracking_no: str | None
    stage_id: int
    stage: str
    stage_label: str
    paid_on: dt.date
    amount: MoneyOut
    voucher_no: str
    status: str = Field(description="状态：" + "、".join(f"{v}（{n}）" for v, n in PaymentStatus.choices))
    status_label: str
    entered_by: str = Field(description="录入人姓名")
    entered_at: Time
    confirmed_by: str | None = Field(description="复核人姓名")
    confirmed_at: Time | None
    payee_name: str = Field(description="收款单位")
    payee_bank: str = Field(description="开户银行")
    payee_account_masked: str = Field(description="银行账号（仅显示前四位和后四位）")

    @staticmethod
    def resolve_application_id(obj: Any) -> int:
        return obj.stage.application_id

    @staticmethod
    def resolve_tracking_no(obj: Any) -> str | None:
        return obj.stage.application.tracking_no

    @staticmethod
    def resolve_stage(obj: Any) -> str:
        return obj.stage.stage

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return stage_label(obj.stage.stage)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_entered_by(obj: Any) -> str:
        return _name(obj.entered_by)

    @staticmethod
    def resolve_confirmed_by(obj: Any) -> str | None:
        return _name(obj.confirmed_by) if obj.confirmed_by_id else None


class FundingStagePaymentOut(Schema):
    id: int
    paid_on: dt.date
    amount: MoneyOut
    voucher_no: str
    status: str
    status_label: str
    entered_by: str
    entered_at: Time
    confirmed_by: str | None
    confirmed_at: Time | None

    resolve_status_label = staticmethod(FundingPaymentOut.resolve_status_label)
    resolve_entered_by = staticmethod(FundingPaymentOut.resolve_entered_by)
    resolve_confirmed_by = staticmethod(FundingPaymentOut.resolve_confirmed_by)


class FundingStageOut(Schema):
    id: int
    stage: str = Field(
        description="on_approval、at_listing、after_acceptance、after_completion、insurance_year_N"
    )
    label: str
    sequence: int
    planned_amount: MoneyOut = Field(description="计划拨付（元）")
    paid: bool = Field(description="已复核确认拨付")
    payments: list[FundingStagePaymentOut]

    @staticmethod
    def resolve_paid(obj: Any) -> bool:
        return any(p.status == PaymentStatus.CONFIRMED for p in obj.payments.all())

    @staticmethod
    def resolve_payments(obj: Any) -> list[Any]:
        return list(obj.payments.all())  # prefetched by the selector


class FundingPaymentScheduleOut(Schema):
    application_id: int
    tracking_no: str | None
    granted_amount: MaybeMoneyOut = Field(description="安排金额（元）")
    paid_total: MoneyOut = Field(description="已复核确认的拨付合计（元）")
    stages: list[FundingStageOut] = Field(description="拨付阶段（立项后生成）")


class FundingNoticeEntryOut(Schema):
    tracking_no: str | None
    enterprise: str = Field(description="企业名称")
    uscc: str = Field(description="统一社会信用代码（部分隐去）")
    region: str = Field(description="所在地区")
    item: str
    item_label: str
    contact: str = Field(description="联系人（部分隐去）")
    phone: str = Field(description="联系电话（部分隐去）")
    granted_amount: MoneyOut = Field(description="拟安排金额（元）")


class FundingNoticeOut(Schema):
    id: int
    title: str
    guideline: FundingGuidelineRef
    starts_on: dt.date
    ends_on: dt.date
    notice_days: int = Field(description="公示期（工作日）")
    finalized: bool = Field(description="公示期满已确定立项")
    published_at: Time | None
    entries: list[FundingNoticeEntryOut] = Field(description="公示名单（已撤出公示的不列）")

    @staticmethod
    def resolve_notice_days(obj: Any) -> int:
        return obj.guideline.notice_days

    @staticmethod
    def resolve_finalized(obj: Any) -> bool:
        return obj.finalized_at is not None

    @staticmethod
    def resolve_entries(obj: Any) -> list[dict[str, Any]]:
        return obj.masked_entries  # built by the handler with the public page's masking functions
