"""Funding (专项资金申报): the year's guideline, applications with their frozen calculator result, reviews at
each level, expert scores, allocation against the budget, public notice and objections, payment by stage.

Rules that must hold even when two requests race are database constraints, not only service checks:
granted ≤ frozen ceiling; one counted application per enterprise per year (policy 三, last paragraph);
one confirmed payment per stage; the confirmer of a payment is not the person who entered it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, enterprise_q, is_active_actor, own_q, region_q
from jigai.registry.uploads import validate_certificate_file

MONEY = {"max_digits": 16, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------------------------------------- choices


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


# ---------------------------------------------------------------------------------------------- scope helpers


def _application_scope(actor: Any, action: str) -> Q:
    """Which applications the actor reaches, one role per line (conventions: one gate)."""
    if not is_active_actor(actor):
        return NOTHING
    role = actor.role
    if role == Role.ENTERPRISE:
        return enterprise_q(actor, "enterprise")
    if role in (Role.COUNTY, Role.CITY):
        # Reviewers see what was submitted in their region, never an enterprise's unsent draft.
        return region_q(actor, "enterprise__region", action) & ~Q(status=AppStatus.DRAFT)
    if role == Role.PROVINCE:
        return ~Q(status=AppStatus.DRAFT)
    if role == Role.LEADER:
        return ~Q(status=AppStatus.DRAFT) if action == "view" else NOTHING
    if role == Role.EXPERT:
        assigned = ExpertAssignment.objects.filter(expert=actor, voided=False).values("application_id")
        return Q(pk__in=assigned) if action == "view" else NOTHING
    if role == Role.FINANCE:
        return Q(status__in=DECIDED_STATUSES)
    return NOTHING  # bank, administrator, unknown


def _via_application(actor: Any, action: str, field: str = "application") -> Q:
    reachable = Application.objects.filter(_application_scope(actor, action)).values("pk")
    return Q(**{f"{field}__in": reachable})


# ---------------------------------------------------------------------------------------------- guideline


class Guideline(models.Model):
    """The year's application guideline (年度申报指南): items open, window, budget, the round's parameter
    overrides (e.g. the 2023 round raised the 3.1.1 threshold to 20,000,000 yuan)."""

    year = models.PositiveSmallIntegerField("申报年度", db_index=True)
    title = models.CharField("指南名称", max_length=200)
    policy_version = models.CharField("政策参数版本", max_length=40, blank=True)
    items = models.JSONField("开放申报事项", default=list)
    opens_at = models.DateTimeField("申报开始时间")
    closes_at = models.DateTimeField("申报截止时间")
    notice_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    parameter_overrides = models.JSONField("本轮参数调整", default=dict, blank=True)
    # 三, last paragraph: the fixed-amount items this round declares as 头雁企业定额奖励项目 — for a verified
    # 头雁 enterprise they do not take its one application of the year.
    leading_goose_items = models.JSONField("头雁企业定额奖励事项", default=list, blank=True)
    description = models.TextField("指南说明", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=GuidelineStatus.choices, default=GuidelineStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申报指南"
        verbose_name_plural = "申报指南"
        ordering = ["-year", "-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="guideline_window_order"),
            models.CheckConstraint(condition=Q(notice_days__gte=1), name="guideline_notice_days_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.PROVINCE:
            return Q()
        if action == "view":
            return ~Q(status=GuidelineStatus.DRAFT)
        return NOTHING


class GuidelineBudget(models.Model):
    guideline = models.ForeignKey(
        Guideline, verbose_name="申报指南", on_delete=models.CASCADE, related_name="budgets"
    )
    item_group = models.CharField("资金类别", max_length=3, choices=ItemGroup.choices)
    amount = models.DecimalField("预算金额（元）", **MONEY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指南预算"
        verbose_name_plural = "指南预算"
        ordering = ["guideline", "item_group"]
        constraints = [
            models.UniqueConstraint(fields=["guideline", "item_group"], name="budget_one_per_group"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.guideline} {self.get_item_group_display()}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        reachable = Guideline.objects.filter(Guideline.scope_q(actor, action)).values("pk")
        return Q(guideline__in=reachable)


# ---------------------------------------------------------------------------------------------- application


class Application(models.Model):
    """One application of an enterprise for one item of a guideline, for one of its objects (project,
    product, platform or title: separate nullable FKs, exactly one set, so scope and constraints stay
    plain SQL)."""

    tracking_no = models.CharField("申报编号", max_length=30, unique=True, null=True, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="申报企业", on_delete=models.PROTECT, related_name="applications"
    )
    guideline = models.ForeignKey(
        Guideline, verbose_name="申报指南", on_delete=models.PROTECT, related_name="applications"
    )
    year = models.PositiveSmallIntegerField("申报年度", db_index=True)
    item = models.CharField("申报事项", max_length=40)
    item_group = models.CharField("资金类别", max_length=3, choices=ItemGroup.choices, db_index=True)
    project = models.ForeignKey(
        "registry.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "registry.Product",
        verbose_name="产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    platform = models.ForeignKey(
        "registry.Platform",
        verbose_name="平台",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.ForeignKey(
        "registry.Title",
        verbose_name="称号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_amount = models.DecimalField("申请金额（元）", **MONEY)
    declared_other_provincial_support = models.BooleanField(
        "已获省级其他专项资金支持（企业声明）", default=False
    )
    # Set by the province (三, last paragraph: 头雁定额奖励 does not take the one application of the year).
    is_leading_goose_fixed_award = models.BooleanField("头雁企业定额奖励项目", default=False)
    contact_person = models.CharField("申报联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    summary = models.TextField("申报说明", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=AppStatus.choices, default=AppStatus.DRAFT, db_index=True
    )
    # Facts + calculator result frozen on submit: case, result (ceiling, reasons, explanation, schedule),
    # policy version and the guideline's overrides.
    snapshot = models.JSONField("冻结的事实与测算结果", default=dict, blank=True)
    ceiling = models.DecimalField("测算上限（元）", default=0, **MONEY)
    granted_amount = models.DecimalField("安排金额（元）", null=True, blank=True, **MONEY)
    score_avg = models.DecimalField("专家平均分", max_digits=6, decimal_places=2, null=True, blank=True)
    city_rank = models.PositiveSmallIntegerField("市级推荐排序", null=True, blank=True)
    last_comment = models.TextField("最近意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("决策时间", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专项资金申报"
        verbose_name_plural = "专项资金申报"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, product__isnull=True, platform__isnull=True, title__isnull=True)
                    | Q(
                        project__isnull=True, product__isnull=False, platform__isnull=True, title__isnull=True
                    )
                    | Q(
                        project__isnull=True, product__isnull=True, platform__isnull=False, title__isnull=True
                    )
                    | Q(
                        project__isnull=True, product__isnull=True, platform__isnull=True, title__isnull=False
                    )
                ),
                name="application_one_target",
            ),
            # 三（一）…："补助金额最高不超过" — granted never exceeds the frozen ceiling, never negative.
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True)
                | (Q(granted_amount__gte=0) & Q(granted_amount__lte=F("ceiling"))),
                name="application_granted_within_ceiling",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="application_requested_not_negative"
            ),
            # 三, last paragraph: 除“头雁”企业定额奖励项目外，同一企业原则上一个申报年度内只能申请1个项目.
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                condition=Q(is_leading_goose_fixed_award=False) & ~Q(status__in=NOT_COUNTED_STATUSES),
                name="application_one_counted_per_enterprise_year",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no or f"申报草稿 {self.pk}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _application_scope(actor, action)

    @property
    def counts_for_year(self) -> bool:
        return not self.is_leading_goose_fixed_award

    @property
    def target(self) -> Any:
        return self.project or self.product or self.platform or self.title

    @property
    def target_kind(self) -> str:
        for name in ("project", "product", "platform", "title"):
            if getattr(self, f"{name}_id"):
                return name
        return ""


class ReviewEvent(models.Model):
    """One move of an application: who, when, level, from → to, decision, comment. A return for correction
    marks the approvals given before it void (they must be given again)."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        USER, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField("环节", max_length=20, choices=Level.choices)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=AppStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=AppStatus.choices)
    comment = models.TextField("意见", blank=True)
    voided = models.BooleanField("已作废", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申报流转记录"
        verbose_name_plural = "申报流转记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action)


class Attachment(models.Model):
    """A supporting document: type judged by content (PDF/PNG/JPEG), size limited (registry.uploads)."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField("材料名称", max_length=200)
    file = models.FileField(
        "文件", upload_to="funding/attachments/%Y/", validators=[validate_certificate_file]
    )
    content_type = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action)


# ---------------------------------------------------------------------------------------------- experts


class ExpertAssignment(models.Model):
    """An expert assigned to an application: declares conflicts first, then scores on the rubric."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        USER, verbose_name="专家", on_delete=models.PROTECT, related_name="expert_assignments"
    )
    assigned_by = models.ForeignKey(
        USER, verbose_name="分配人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    conflict = models.CharField(
        "利益冲突声明", max_length=10, choices=Conflict.choices, default=Conflict.PENDING
    )
    conflict_note = models.TextField("冲突说明", blank=True)
    conflict_declared_at = models.DateTimeField("声明时间", null=True, blank=True)
    scores = models.JSONField("分项评分", default=dict, blank=True)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField("评审意见", blank=True)
    submitted_at = models.DateTimeField("评分提交时间", null=True, blank=True)
    # A return for correction voids the review done so far.
    voided = models.BooleanField("已作废", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专家评审"
        verbose_name_plural = "专家评审"
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"],
                condition=Q(voided=False),
                name="assignment_one_live_per_expert",
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0), name="assignment_total_ok"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.EXPERT:
            return own_q(actor, "expert") & Q(voided=False)
        if actor.role in (Role.PROVINCE, Role.LEADER):
            return Q() if (action == "view" or actor.role == Role.PROVINCE) else NOTHING
        return NOTHING


# ---------------------------------------------------------------------------------------------- allocation


class Allocation(models.Model):
    """The province's allocation of one item group's budget (by score or pro rata), proposed then decided."""

    guideline = models.ForeignKey(
        Guideline, verbose_name="申报指南", on_delete=models.PROTECT, related_name="allocations"
    )
    item_group = models.CharField("资金类别", max_length=3, choices=ItemGroup.choices)
    method = models.CharField("分配方式", max_length=10, choices=AllocationMethod.choices)
    budget = models.DecimalField("可分配预算（元）", **MONEY)
    total_requested = models.DecimalField("申请合计（元）", **MONEY)
    total_granted = models.DecimalField("安排合计（元）", **MONEY)
    status = models.CharField(
        "状态", max_length=12, choices=AllocationStatus.choices, default=AllocationStatus.PROPOSED
    )
    made_by = models.ForeignKey(
        USER, verbose_name="拟定人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField("拟定时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, verbose_name="决策人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("决策时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "资金分配"
        verbose_name_plural = "资金分配"
        ordering = ["-made_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_granted__lte=F("budget")), name="allocation_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guideline} {self.get_item_group_display()} {self.get_method_display()}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.PROVINCE:
            return Q()
        if actor.role == Role.LEADER and action == "view":
            return Q()
        return NOTHING


class AllocationLine(models.Model):
    allocation = models.ForeignKey(
        Allocation, verbose_name="资金分配", on_delete=models.CASCADE, related_name="lines"
    )
    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField("排序")
    score = models.DecimalField("专家平均分", max_digits=6, decimal_places=2, null=True, blank=True)
    base = models.DecimalField("申请额（不超过上限，元）", **MONEY)
    granted = models.DecimalField("拟安排（元）", **MONEY)

    class Meta:
        verbose_name = "资金分配明细"
        verbose_name_plural = "资金分配明细"
        ordering = ["allocation", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted__gte=0) & Q(granted__lte=F("base")), name="line_within_base"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation} #{self.rank}"


# ---------------------------------------------------------------------------------------------- notice


class PublicNotice(models.Model):
    """The public notice (公示) of proposed awards, for `notice_days` working days."""

    guideline = models.ForeignKey(
        Guideline, verbose_name="申报指南", on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField("公示标题", max_length=200)
    starts_on = models.DateField("公示开始日期")
    ends_on = models.DateField("公示截止日期")
    published = models.BooleanField("已发布", default=False)
    published_by = models.ForeignKey(
        USER, verbose_name="发布人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    finalized_at = models.DateTimeField("确定立项时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="notice_period_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.PROVINCE:
            return Q()
        return Q(published=True) if action == "view" else NOTHING


class NoticeEntry(models.Model):
    """One proposed award on a notice. An upheld objection takes it off (`withdrawn`)."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name="公示", on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="notice_entries"
    )
    granted_amount = models.DecimalField("拟安排金额（元）", **MONEY)
    withdrawn = models.BooleanField("已撤出公示", default=False)

    class Meta:
        verbose_name = "公示名单"
        verbose_name_plural = "公示名单"
        ordering = ["notice", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "application"], name="notice_entry_once")]

    def __str__(self) -> str:
        return f"{self.notice} · {self.application}"


class Objection(models.Model):
    """An objection (异议) received in writing during the notice period, assigned and resolved."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name="公示", on_delete=models.PROTECT, related_name="objections"
    )
    application = models.ForeignKey(
        Application, verbose_name="异议对象", on_delete=models.PROTECT, related_name="objections"
    )
    objector = models.CharField("异议人", max_length=100, blank=True)
    objector_contact = models.CharField("异议人联系方式", max_length=100, blank=True)
    content = models.TextField("异议内容")
    received_on = models.DateField("收到日期")
    recorded_by = models.ForeignKey(
        USER, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        USER, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.CharField("处理结论", max_length=10, choices=ObjectionResolution.choices, blank=True)
    resolution_comment = models.TextField("处理意见", blank=True)
    resolved_by = models.ForeignKey(
        USER, verbose_name="处理人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} 异议"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.PROVINCE:
            return Q()
        if actor.role == Role.LEADER and action == "view":
            return Q()
        return NOTHING


# ---------------------------------------------------------------------------------------------- payment


class PaymentStage(models.Model):
    """A stage of the payment schedule, from the frozen calculator stages scaled to the granted amount."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="payment_stages"
    )
    stage = models.CharField("拨付阶段", max_length=30)
    sequence = models.PositiveSmallIntegerField("顺序")
    planned_amount = models.DecimalField("计划拨付（元）", **MONEY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "拨付阶段"
        verbose_name_plural = "拨付阶段"
        ordering = ["application", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="stage_once_per_application"),
            models.CheckConstraint(condition=Q(planned_amount__gte=0), name="stage_planned_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.label}"

    @property
    def label(self) -> str:
        return stage_label(self.stage)

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action)


class Payment(models.Model):
    """A payment of a stage: entered by one finance user, confirmed by another (maker-checker)."""

    stage = models.ForeignKey(
        PaymentStage, verbose_name="拨付阶段", on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField("拨付日期")
    amount = models.DecimalField("金额（元）", **MONEY)
    voucher_no = models.CharField("凭证号", max_length=60)
    status = models.CharField(
        "状态", max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.ENTERED, db_index=True
    )
    entered_by = models.ForeignKey(USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name="复核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("复核时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "拨付记录"
        verbose_name_plural = "拨付记录"
        ordering = ["stage", "entered_at", "id"]
        constraints = [
            # A stage is paid once: a repeated or concurrent confirmation cannot record a second payment.
            models.UniqueConstraint(
                fields=["stage"], condition=Q(status="confirmed"), name="payment_one_confirmed_per_stage"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Maker-checker: the confirmer is never the person who entered it.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("entered_by")),
                name="payment_maker_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.amount}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action, "stage__application")


# The registers and checks that hold across applications (three models, kept in their own module).
from .crosscheck_models import (  # noqa: E402, F401
    ClaimFingerprint,
    FingerprintFlag,
    FingerprintKind,
    FlagStatus,
    OtherFundAward,
)
