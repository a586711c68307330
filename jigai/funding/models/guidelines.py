"""The year's guideline (申报指南) and its budget per item group."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor

from .choices import MONEY, USER, GuidelineStatus, ItemGroup


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
    # 免申即享 (issue 13): fixed awards whose conditions are all data the system holds and verifies; the
    # system prepares the award, the enterprise and the county confirm it (funding/matching).
    proactive_items = models.JSONField("免申即享事项", default=list, blank=True)
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
