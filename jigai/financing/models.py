"""Financing support (policy 四（二）“金融支持”): the whitelist (白名单) of technical-transformation projects
the city proposes and the province publishes in batches, the enterprise's consent to what financial
institutions may see, the institutions and their users, matchmaking events (融资对接洽谈) and their outcomes.

Who reaches which row is answered by each model's `scope_q` (jigai.accounts.scope), one role per line.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, enterprise_q, is_active_actor, region_q

MONEY = {"max_digits": 16, "decimal_places": 2}
_PROJECT_REGION = "project__enterprise__region"


class FinancingKind(models.TextChoices):
    LOAN = "loan", "贷款"
    GUARANTEE = "guarantee", "担保"
    FUND = "fund", "基金投资"
    LEASE = "lease", "融资租赁"


class InstitutionKind(models.TextChoices):
    BANK = "bank", "银行"
    GUARANTEE = "guarantee", "担保公司"
    FUND = "fund", "基金"
    LEASING = "leasing", "租赁公司"


class EntryStatus(models.TextChoices):
    PROPOSED = "proposed", "待省级审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审核通过（待发布）"
    PUBLISHED = "published", "已发布"
    REMOVED = "removed", "已移出"


class ConsentField(models.TextChoices):
    """What an enterprise may let financial institutions see (a fixed set)."""

    OVERVIEW = "overview", "项目概况"
    INVESTMENT = "investment", "投资额"
    PROGRESS = "progress", "建设进度"
    AWARDS = "awards", "获得奖补"
    CONTACTS = "contacts", "联系人"


class OutcomeStage(models.TextChoices):
    INTENTION = "intention", "意向"
    APPROVED = "approved", "授信审批"
    DISBURSED = "disbursed", "放款"


class OutcomeStatus(models.TextChoices):
    ENTERED = "entered", "待市级确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


def _bank_institution_ids(actor: Any) -> models.QuerySet:
    return InstitutionMember.objects.filter(user_id=actor.pk).values("institution_id")


class FinancialInstitution(models.Model):
    """A bank, guarantee company, fund or leasing company (金融机构)."""

    name = models.CharField("机构名称", max_length=100, unique=True)
    kind = models.CharField("机构类型", max_length=12, choices=InstitutionKind.choices)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "金融机构"
        verbose_name_plural = "金融机构"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if actor.role == Role.BANK:
            return Q(pk__in=_bank_institution_ids(actor))  # a bank user sees its own institution only
        if actor.role == Role.ENTERPRISE:
            return Q() if action == "view" else NOTHING  # names, to choose whom to consent to
        return (
            Q() if actor.role in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.LEADER, Role.ADMIN) else NOTHING
        )


class InstitutionMember(models.Model):
    """A user of role bank working for an institution (the User model stays as it is)."""

    institution = models.ForeignKey(
        FinancialInstitution, verbose_name="机构", on_delete=models.CASCADE, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="institution_membership",
        limit_choices_to={"role": Role.BANK},
    )

    class Meta:
        verbose_name = "金融机构用户"
        verbose_name_plural = "金融机构用户"

    def __str__(self) -> str:
        return f"{self.institution} {self.user}"


class WhitelistBatch(models.Model):
    """A batch of the whitelist published by the province on a date (白名单第 N 批)."""

    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("批次")
    published_on = models.DateField("发布日期")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "白名单批次"
        verbose_name_plural = "白名单批次"
        ordering = ["-published_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="whitelist_batch_number")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}批"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if action != "view":
            return Q() if actor.role == Role.PROVINCE else NOTHING
        return (
            Q() if actor.role in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.LEADER, Role.BANK) else NOTHING
        )


class WhitelistEntry(models.Model):
    """A project the city proposes for the whitelist, with the financing it needs."""

    project = models.ForeignKey(
        "registry.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="whitelist_entries"
    )
    city = models.ForeignKey(
        "regions.Region", verbose_name="推荐市", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("融资需求（元）", **MONEY)
    term_months = models.PositiveSmallIntegerField("期限（月）")
    kind = models.CharField("融资方式", max_length=12, choices=FinancingKind.choices)
    purpose = models.TextField("资金用途", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=EntryStatus.choices, default=EntryStatus.PROPOSED, db_index=True
    )
    comment = models.TextField("最近意见", blank=True)
    batch = models.ForeignKey(
        WhitelistBatch,
        verbose_name="批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("推荐时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "白名单项目"
        verbose_name_plural = "白名单项目"
        ordering = ["-created_at", "-id"]
        constraints = [
            # one live entry per project: a removed one may be proposed again
            models.UniqueConstraint(
                fields=["project"], condition=~Q(status="removed"), name="whitelist_one_live_entry"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="whitelist_amount_positive"),
        ]

    def __str__(self) -> str:
        return str(self.project)

    @property
    def audit_enterprise_id(self) -> int:
        return self.project.enterprise_id

    @property
    def audit_region(self) -> Any:
        return self.project.enterprise.region

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if actor.role == Role.BANK:  # the published list only, read only
            return Q(status=EntryStatus.PUBLISHED) if action == "view" else NOTHING
        if actor.role == Role.ENTERPRISE:
            return enterprise_q(actor, "project__enterprise") if action == "view" else NOTHING
        if actor.role in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.LEADER):
            return region_q(actor, _PROJECT_REGION, action)
        return NOTHING


class WhitelistEvent(models.Model):
    """One move of a whitelist entry: who, when, from, to, comment."""

    entry = models.ForeignKey(
        WhitelistEntry, verbose_name="白名单项目", on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField("原状态", max_length=12, choices=EntryStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=EntryStatus.choices)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "白名单流转记录"
        verbose_name_plural = "白名单流转记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_status} → {self.to_status}"


class Consent(models.Model):
    """An enterprise's consent to what financial institutions may see: for one institution, or for all
    (institution empty). A change closes the live consent and writes a new one, so the history stays;
    withdrawal sets `withdrawn_at` and takes effect at the bank's next request."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="financing_consents",
    )
    institution = models.ForeignKey(
        FinancialInstitution,
        verbose_name="授权机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents",
    )
    fields = models.JSONField("授权内容", default=list)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授权人", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信息授权"
        verbose_name_plural = "信息授权"
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.institution or '全部金融机构'}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def field_labels(self) -> list[str]:
        return [ConsentField(f).label for f in self.fields if f in ConsentField.values]

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if actor.role == Role.ENTERPRISE:
            return enterprise_q(actor, "enterprise")
        if actor.role in (Role.PROVINCE, Role.LEADER):
            return Q() if action == "view" else NOTHING
        return NOTHING  # banks read consents only through the portal selectors, never as rows


class MatchEvent(models.Model):
    """A matchmaking event (融资对接洽谈活动): date, city, organiser, invited institutions and projects."""

    title = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("活动日期")
    city = models.ForeignKey(
        "regions.Region", verbose_name="举办市", on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.CharField("主办单位", max_length=200)
    place = models.CharField("地点", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "融资对接活动"
        verbose_name_plural = "融资对接活动"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region(self) -> Any:
        return self.city

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if actor.role == Role.BANK:  # events its institution is invited to
            if action != "view":
                return NOTHING
            invited = EventInstitution.objects.filter(institution_id__in=_bank_institution_ids(actor))
            return Q(pk__in=invited.values("event_id"))
        if actor.role == Role.ENTERPRISE:  # events one of its projects is invited to
            if action != "view" or not actor.enterprise_id:
                return NOTHING
            invited = EventProject.objects.filter(entry__project__enterprise_id=actor.enterprise_id)
            return Q(pk__in=invited.values("event_id"))
        if actor.role in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.LEADER):
            return region_q(actor, "city", action)
        return NOTHING


class EventInstitution(models.Model):
    event = models.ForeignKey(MatchEvent, on_delete=models.CASCADE, related_name="invited_institutions")
    institution = models.ForeignKey(
        FinancialInstitution, verbose_name="机构", on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField("已出席", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "institution"], name="event_institution_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.institution_id}"


class EventProject(models.Model):
    event = models.ForeignKey(MatchEvent, on_delete=models.CASCADE, related_name="invited_projects")
    entry = models.ForeignKey(
        WhitelistEntry, verbose_name="白名单项目", on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField("已出席", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "entry"], name="event_project_once")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.entry_id}"


class Outcome(models.Model):
    """A financing outcome of one whitelisted project with one institution: an intention, a credit
    approval (amount, date) or a disbursement (amount, date, product, rate). Entered by the institution,
    confirmed (or returned) by the project's city; only confirmed figures count in the statistics."""

    entry = models.ForeignKey(
        WhitelistEntry, verbose_name="白名单项目", on_delete=models.PROTECT, related_name="outcomes"
    )
    institution = models.ForeignKey(
        FinancialInstitution, verbose_name="金融机构", on_delete=models.PROTECT, related_name="outcomes"
    )
    event = models.ForeignKey(
        MatchEvent,
        verbose_name="对接活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    stage = models.CharField("阶段", max_length=12, choices=OutcomeStage.choices)
    amount = models.DecimalField("金额（元）", null=True, blank=True, **MONEY)
    on_date = models.DateField("日期")
    product = models.CharField("产品", max_length=100, blank=True)
    rate = models.DecimalField("年利率（%）", max_digits=6, decimal_places=3, null=True, blank=True)
    note = models.TextField("说明", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=OutcomeStatus.choices, default=OutcomeStatus.ENTERED, db_index=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField("确认时间", null=True, blank=True)
    check_comment = models.TextField("确认意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "融资成果"
        verbose_name_plural = "融资成果"
        ordering = ["-on_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="outcome_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.institution} · {self.get_stage_display()}"

    @property
    def audit_enterprise_id(self) -> int:
        return self.entry.project.enterprise_id

    @property
    def audit_region(self) -> Any:
        return self.entry.project.enterprise.region

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if actor.role == Role.BANK:  # its own institution's outcomes
            return Q(institution_id__in=_bank_institution_ids(actor))
        if actor.role == Role.ENTERPRISE:
            return enterprise_q(actor, "entry__project__enterprise") if action == "view" else NOTHING
        if actor.role in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.LEADER):
            return region_q(actor, f"entry__{_PROJECT_REGION}", action)
        return NOTHING


def is_bank(actor: Any) -> bool:
    return is_active_actor(actor) and actor.role == Role.BANK

    def __str__(self) -> str:
        return f"{self.event_id}: {self.institution_id}"
