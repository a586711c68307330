"""The guideline what-if simulator (issue 13): a scenario replays a draft guideline over a population, and
each run keeps what it found with what it was run on (the guideline's items, overrides and budgets, the
policy version, the data date), so a result can be reproduced and explained."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor

from .choices import USER
from .guidelines import Guideline


class Population(models.TextChoices):
    APPLICATIONS = "applications", "上一年度已提交的申报（冻结事实）"
    REGISTRY = "registry", "项目库中事实完整的全部对象"
    BOTH = "both", "两者合并"


class Scenario(models.Model):
    name = models.CharField("方案名称", max_length=100)
    guideline = models.ForeignKey(
        Guideline, verbose_name="指南草案", on_delete=models.CASCADE, related_name="scenarios"
    )
    population = models.CharField(
        "测算对象", max_length=12, choices=Population.choices, default=Population.APPLICATIONS
    )
    source_year = models.PositiveSmallIntegerField("申报年度（上一年度申报）", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指南测算方案"
        verbose_name_plural = "指南测算方案"
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str = "view") -> Q:
        # Only the province drafts guidelines, so only the province sees their what-if runs.
        if not is_active_actor(actor) or actor.role != Role.PROVINCE:
            return NOTHING
        return Q()


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "测算中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ScenarioRun(models.Model):
    scenario = models.ForeignKey(Scenario, verbose_name="方案", on_delete=models.CASCADE, related_name="runs")
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name="后台任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # What the run was made on: enough to run it again and get the same figures.
    guideline_state = models.JSONField("指南草案（测算时）", default=dict)
    policy_version = models.CharField("政策参数版本", max_length=40, blank=True)
    data_as_of = models.DateTimeField("数据时点", null=True, blank=True)
    cases = models.PositiveIntegerField("测算件数", default=0)
    incomplete = models.PositiveIntegerField("资料不全未测算", default=0)
    summary = models.JSONField("结果汇总", default=dict, blank=True)
    changes = models.JSONField("状态变化的个案", default=list, blank=True)
    seconds = models.DecimalField("用时（秒）", max_digits=9, decimal_places=2, null=True, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指南测算结果"
        verbose_name_plural = "指南测算结果"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scenario} · {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, actor: Any, action: str = "view") -> Q:
        if not is_active_actor(actor) or actor.role != Role.PROVINCE:
            return NOTHING
        return Q()
