"""Expert review: assignments with the conflict-of-interest declaration and the scores."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor, own_q

from .applications import Application
from .choices import USER, Conflict


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
