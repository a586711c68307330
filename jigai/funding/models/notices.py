"""The public notice (公示), its entries, and objections."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor

from .applications import Application
from .choices import MONEY, USER, ObjectionResolution, ObjectionStatus
from .guidelines import Guideline


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
