"""Allocation of the budget (资金分配): a proposal and its lines."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor

from .applications import Application
from .choices import MONEY, USER, AllocationMethod, AllocationStatus, ItemGroup
from .guidelines import Guideline


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
