"""Supervision (督办, 四（三）), 万人助万企 service visits, the green-development ranking (二（三）) and the
typical practices (典型做法).

Every model reachable by a user has `scope_q` (jigai.accounts.scope): views and selectors never filter by
region themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigai.accounts.roles import Role
from jigai.accounts.scope import (
    EVERYTHING,
    NOTHING,
    ScopedQuerySet,
    enterprise_q,
    is_active_actor,
    is_province_level,
    region_q,
)
from jigai.core.uploads import ServerNamedUpload  # stored names are the server's (issue 12)
from jigai.registry.uploads import validate_certificate_file


class TicketStatus(models.TextChoices):
    OPEN = "open", "待答复"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


class TicketKind(models.TextChoices):
    MANUAL = "manual", "省级督办"
    WARNING = "warning", "监测预警督办"  # jigai.monitoring.warnings: a city red two months running
    SERVICE_VISIT = "service_visit", "万人助万企"


def kind_label(kind: str) -> str:
    """The kind's Chinese label; an app's own kind (open_ticket takes any short code) is shown as written."""
    try:
        return TicketKind(kind).label
    except ValueError:
        return kind


EVENT_LABELS = {
    "open": "发出督办",
    "reply": "答复",
    "close": "办结",
    "return": "退回重办",
    "reopen": "重新督办",
}


class Ticket(models.Model):
    """One supervision ticket (督办事项) to a unit: a city or county department (its region)."""

    key = models.CharField("幂等键", max_length=200, db_index=True)
    kind = models.CharField("类型", max_length=32, default=TicketKind.MANUAL, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="supervision_tickets",
    )
    subject = models.CharField("督办事项", max_length=200)
    detail = models.TextField("存在问题或差距")
    indicator_code = models.CharField("相关指标", max_length=64, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="相关企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_tickets",
    )
    deadline = models.DateField("办理时限")
    status = models.CharField(
        "状态", max_length=10, choices=TicketStatus.choices, default=TicketStatus.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit that opened it (a city or county recording a visit; null = the province or the system):
    # that unit may close and reopen it besides the province.
    opened_region = models.ForeignKey(
        "regions.Region",
        verbose_name="交办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField("督办时间", default=timezone.now)
    replied_at = models.DateTimeField("最近答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conclusion = models.TextField("办结意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-opened_at", "-pk"]
        constraints = [
            # Idempotency of open_ticket: one not-closed ticket per key, held by the database too.
            models.UniqueConstraint(
                fields=["key"], condition=~Q(status="closed"), name="supervision_one_live_ticket_per_key"
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="supervision_ticket_due_idx")]

    def __str__(self) -> str:
        return self.subject

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.ENTERPRISE:  # its own problems raised in service visits
            return enterprise_q(actor, "enterprise") & Q(kind=TicketKind.SERVICE_VISIT)
        if actor.role in (Role.EXPERT, Role.BANK, Role.FINANCE):
            return NOTHING
        return region_q(actor, "region", action)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def is_overdue(self) -> bool:
        """Not closed and past its deadline (the flag of lists and the workbench)."""
        return self.status != TicketStatus.CLOSED and self.deadline < timezone.localdate()

    @property
    def overdue_days(self) -> int:
        return max(0, (timezone.localdate() - self.deadline).days)

    @property
    def audit_region(self) -> Any:
        return self.region


class TicketReply(models.Model):
    """A reply of the receiving unit, with an optional attachment (PDF, PNG or JPEG)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("答复内容")
    attachment = models.FileField(
        "附件",
        upload_to=ServerNamedUpload("supervision/replies/%Y/"),
        blank=True,
        validators=[validate_certificate_file],
    )
    attachment_name = models.CharField("附件名称", max_length=200, blank=True)
    created_at = models.DateTimeField("答复时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "督办答复"
        verbose_name_plural = "督办答复"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket}：答复"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        inner = Ticket.scope_q(actor, action)
        return Q(ticket__in=Ticket.objects.filter(inner).values("pk"))

    @property
    def audit_region(self) -> Any:
        return self.ticket.region


class TicketEvent(models.Model):
    """One status move of a ticket (who, when, from, to, comment)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=10, blank=True)
    to_status = models.CharField("新状态", max_length=10)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.from_status}→{self.to_status}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)

    @property
    def to_label(self) -> str:
        return TicketStatus(self.to_status).label if self.to_status in TicketStatus.values else self.to_status


class ServiceVisit(models.Model):
    """An enterprise problem raised in a 万人助万企 service visit, carried by its ticket (kind service_visit):
    the unit responsible is the ticket's region; the deadline and the resolution (closing) are the
    ticket's."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="visit")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="service_visits"
    )
    visit_date = models.DateField("走访日期")
    visitor = models.CharField("走访人", max_length=100)
    problem = models.TextField("企业反映的问题")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField("企业评价", null=True, blank=True)  # 1-5
    rating_comment = models.TextField("评价意见", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务企业问题"
        verbose_name_plural = "服务企业问题"
        ordering = ["-visit_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="supervision_visit_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}：{self.problem[:30]}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.ENTERPRISE:
            return enterprise_q(actor, "enterprise")
        if actor.role in (Role.EXPERT, Role.BANK, Role.FINANCE):
            return NOTHING
        return region_q(actor, "ticket__region", action)

    @property
    def audit_region(self) -> Any:
        return self.ticket.region

    @property
    def audit_enterprise_id(self) -> int:
        return self.enterprise_id


# --------------------------------------------------------------------------------------- green ranking


class GreenData(models.Model):
    """One enterprise's green figures for one year (entered by hand or imported from Excel)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="green_data"
    )
    year = models.PositiveSmallIntegerField("年度")
    value_added = models.DecimalField("工业增加值（元）", max_digits=16, decimal_places=2)
    energy_use = models.DecimalField("综合能耗（吨标准煤）", max_digits=14, decimal_places=2)
    water_use = models.DecimalField("用水量（立方米）", max_digits=14, decimal_places=2)
    emissions = models.DecimalField("二氧化碳排放量（吨）", max_digits=14, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "绿色发展数据"
        verbose_name_plural = "绿色发展数据"
        ordering = ["-year", "enterprise__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="supervision_green_one_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.ENTERPRISE:
            return enterprise_q(actor, "enterprise") if action == "view" else NOTHING
        if actor.role in (Role.EXPERT, Role.BANK):
            return NOTHING
        return region_q(actor, "enterprise__region", action)

    @property
    def audit_region(self) -> Any:
        return self.enterprise.region

    @property
    def audit_enterprise_id(self) -> int:
        return self.enterprise_id


class ScoringRule(models.Model):
    """The ranking's scoring rule as data: per indicator a weight and a direction, in force from a date
    (the rule in force for a ranking is the latest on or before the ranking's reference date)."""

    name = models.CharField("规则名称", max_length=100)
    valid_from = models.DateField("生效日期")
    # [{"indicator": "energy", "weight": "0.4", "direction": "lower"}, …] — validated whole by
    # services.clean_weights before it is saved.
    weights = models.JSONField("指标权重")
    clause = models.CharField("依据条款", max_length=40, default="二（三）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "评分规则"
        verbose_name_plural = "评分规则"
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d} 起）"


class RankingStatus(models.TextChoices):
    DRAFT = "draft", "待审定"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class GreenRanking(models.Model):
    """A computed ranking list for one year; published on the public site once the province approves it."""

    year = models.PositiveSmallIntegerField("年度")
    rule = models.ForeignKey(ScoringRule, verbose_name="评分规则", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=10, choices=RankingStatus.choices, default=RankingStatus.DRAFT, db_index=True
    )
    computed_at = models.DateTimeField("测算时间", default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("说明", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "绿色发展排行榜"
        verbose_name_plural = "绿色发展排行榜"
        ordering = ["-year", "-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year} 年度绿色发展排行榜"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        """The province works on every list (the leader reads them); everyone else reads published ones."""
        if not is_active_actor(actor):
            return NOTHING
        if is_province_level(actor) and (action == "view" or actor.role not in (Role.LEADER, Role.FINANCE)):
            return EVERYTHING
        if action == "view":
            return Q(status=RankingStatus.PUBLISHED)
        return NOTHING


class GreenRankingEntry(models.Model):
    """One enterprise's place within its industry division (GB/T 4754 大类) on a ranking."""

    ranking = models.ForeignKey(GreenRanking, on_delete=models.CASCADE, related_name="entries")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    enterprise_name = models.CharField("企业名称", max_length=200)
    region_name = models.CharField("所在地区", max_length=50)
    industry_division = models.CharField("行业大类", max_length=2)
    rank = models.PositiveIntegerField("行业内排名")
    score = models.DecimalField("综合得分", max_digits=7, decimal_places=2)
    energy_intensity = models.DecimalField("万元增加值能耗", max_digits=14, decimal_places=4)
    water_intensity = models.DecimalField("万元增加值用水量", max_digits=14, decimal_places=4)
    emission_intensity = models.DecimalField("万元增加值碳排放", max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["industry_division", "rank", "pk"]

    def __str__(self) -> str:
        return f"{self.enterprise_name} 第{self.rank}名"


# --------------------------------------------------------------------------------------- typical practices


class PracticeStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"


class Practice(models.Model):
    """A typical practice (典型做法) a city submits and the province publishes on the public site."""

    region = models.ForeignKey(
        "regions.Region", verbose_name="报送地市", on_delete=models.PROTECT, related_name="practices"
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文")
    attachment = models.FileField(
        "附件",
        upload_to=ServerNamedUpload("supervision/practices/%Y/"),
        blank=True,
        validators=[validate_certificate_file],
    )
    attachment_name = models.CharField("附件名称", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "典型做法"
        verbose_name_plural = "典型做法"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role in (Role.ENTERPRISE, Role.EXPERT, Role.BANK, Role.FINANCE):
            return NOTHING
        return region_q(actor, "region", action)


def today() -> dt.date:
    return timezone.localdate()
