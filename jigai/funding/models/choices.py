"""The choices, constants and field settings every funding model shares."""

from __future__ import annotations

from django.conf import settings
from django.db import models

MONEY = {"max_digits": 16, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL


class ItemGroup(models.TextChoices):
    """The four headings of policy 三; a guideline budgets by heading."""

    TRANSFORMATION = "3.1", "技术改造项目（三（一））"
    NEW_PRODUCT = "3.2", "新产品推广（三（二））"
    PLATFORM = "3.3", "平台建设（三（三））"
    DEMONSTRATION = "3.4", "试点示范（三（四））"


def item_group_of(item: str) -> str:
    """'3.1.2' → '3.1', '3.2.1-award' → '3.2'."""
    return item[:3]


class GuidelineStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已结束"


class AppStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待县级初审"
    COUNTY_APPROVED = "county_approved", "待市级推荐"
    CITY_RECOMMENDED = "city_recommended", "待省级形式审查"
    FORMAL_CHECKED = "formal_checked", "专家评审中"
    REVIEWED = "reviewed", "待省级决策"
    APPROVED = "approved", "拟支持"
    ON_NOTICE = "on_notice", "公示中"
    AWARDED = "awarded", "已立项"
    RETURNED = "returned", "退回补正"
    REJECTED = "rejected", "不予支持"
    WITHDRAWN = "withdrawn", "已撤回"


# Statuses that do not take the enterprise's one application of the year (policy 三, last paragraph).
NOT_COUNTED_STATUSES = (AppStatus.DRAFT, AppStatus.WITHDRAWN, AppStatus.REJECTED)
# Statuses in which the award is decided (finance sees these; the same object cannot be funded twice).
DECIDED_STATUSES = (AppStatus.APPROVED, AppStatus.ON_NOTICE, AppStatus.AWARDED)


class Action(models.TextChoices):
    SUBMIT = "submit", "提交申报"
    APPROVE = "approve", "通过"
    RETURN = "return", "退回补正"
    REJECT = "reject", "不予通过"
    WITHDRAW = "withdraw", "撤回"
    DECIDE = "decide", "决策安排资金"
    NOTICE = "notice", "进入公示"
    OBJECTION_UPHELD = "objection_upheld", "异议成立，退回决策"
    FINALIZE = "finalize", "公示期满，确定立项"
    LEADING_GOOSE = "leading_goose", "认定头雁定额奖励"


class Level(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    COUNTY = "county", "县级初审"
    CITY = "city", "市级推荐"
    PROVINCE_FORMAL = "province_formal", "省级形式审查"
    EXPERT = "expert", "专家评审"
    DECISION = "decision", "省级决策"
    NOTICE = "notice", "公示"


class Conflict(models.TextChoices):
    PENDING = "pending", "未声明"
    NONE = "none", "无利益冲突"
    DECLARED = "declared", "有利益冲突（回避）"


class AllocationMethod(models.TextChoices):
    SCORE = "score", "按评分排序择优安排"
    PRO_RATA = "pro_rata", "按比例安排"


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", "拟定"
    DECIDED = "decided", "已决策"
    SUPERSEDED = "superseded", "已作废"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已处理"


class ObjectionResolution(models.TextChoices):
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class PaymentStatus(models.TextChoices):
    ENTERED = "entered", "已录入待复核"
    CONFIRMED = "confirmed", "已复核确认"
    CANCELLED = "cancelled", "已作废"


STAGE_NAMES = {
    "on_approval": "批准后拨付",
    "at_listing": "列入培育名单时拨付（40%）",
    "after_acceptance": "通过验收后拨付（60%）",
    "after_completion": "项目建成后拨付（建成后补助）",
}


def stage_label(stage: str) -> str:
    if stage.startswith("insurance_year_"):
        return f"第{stage.rsplit('_', 1)[1]}保险年度保费补贴"
    return STAGE_NAMES.get(stage, stage)
