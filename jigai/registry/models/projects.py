"""The project library (项目库, policy 三（一）): projects, their moves through the library workflow, and
their monthly progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.scope import ScopedQuerySet

from ._scope import _BelongsToEnterprise, _enterprise_scope
from .choices import MONEY, ConstructionStatus, LibraryStatus, ProjectCategory
from .enterprises import Enterprise


class Project(models.Model):
    """A technical-transformation project in the project library (项目库), policy 三（一）."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("改造类型", max_length=20, choices=ProjectCategory.choices)
    is_machine_replacement = models.BooleanField("机器换人项目", default=False)
    is_smart_factory = models.BooleanField("智能工厂/车间项目", default=False)
    total_investment = models.DecimalField("总投资（元）", **MONEY)
    equipment_investment = models.DecimalField("设备投资（元）", default=0, **MONEY)
    software_investment = models.DecimalField("软件投资（元）", default=0, **MONEY)
    machine_purchase_investment = models.DecimalField("整机购置投资（元）", default=0, **MONEY)
    planned_start = models.DateField("计划开工")
    planned_end = models.DateField("计划竣工")
    construction_status = models.CharField(
        "建设状态", max_length=20, choices=ConstructionStatus.choices, default=ConstructionStatus.PLANNED
    )
    zero_new_land = models.BooleanField("零增地项目", default=False)
    added_floor_area = models.DecimalField(
        "新增建筑面积（平方米）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.TextField("建设内容", blank=True)
    library_status = models.CharField(
        "入库状态", max_length=20, choices=LibraryStatus.choices, default=LibraryStatus.DRAFT, db_index=True
    )
    library_comment = models.TextField("最近审核意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    in_library_at = models.DateTimeField("入库时间", null=True, blank=True)
    # What the lists show and sort by, kept as data: maintained from the monthly reports by the progress
    # services and the progress importer (services.progress_totals.store_project_totals, one pure
    # function), never typed. A list of 100,000 projects then neither sums 3.1 million rows nor scans them.
    cumulative_investment = models.DecimalField("累计完成投资（元）", default=0, editable=False, **MONEY)
    last_reported_month = models.DateField("最近填报月份", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "技术改造项目"
        verbose_name_plural = "技术改造项目"
        ordering = ["-created_at", "-id"]
        indexes = [
            # the list's default order, and its sort by cumulative investment (both walked backwards too)
            models.Index(fields=["-created_at", "-id"], name="project_created_idx"),
            models.Index(fields=["-cumulative_investment", "-id"], name="project_cumulative_idx"),
            models.Index(fields=["-total_investment", "-id"], name="project_total_idx"),
            # 应统尽统: in library, under construction, last month not reported
            models.Index(
                fields=["library_status", "construction_status", "last_reported_month"],
                name="project_missing_idx",
            ),
            # the review queues (submitted_at order within a status)
            models.Index(fields=["library_status", "submitted_at", "id"], name="project_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")

    @property
    def cumulative(self) -> Any:
        """Investment completed so far (the sum of the monthly reports, kept in cumulative_investment)."""
        return self.cumulative_investment

    @property
    def is_editable(self) -> bool:
        """The enterprise edits a project only before it is submitted or after it was returned."""
        return self.library_status in (LibraryStatus.DRAFT, LibraryStatus.RETURNED)


class ProjectEvent(_BelongsToEnterprise, models.Model):
    """One move of a project through the library workflow: who, when, from, to, comment."""

    enterprise_via = ("project",)

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField("原状态", max_length=20, choices=LibraryStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=LibraryStatus.choices)
    comment = models.TextField("意见", blank=True)
    # A return for correction voids the approvals given before it (they must be given again).
    voided = models.BooleanField("已作废", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目流转记录"
        verbose_name_plural = "项目流转记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status} → {self.to_status}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "project__enterprise")


class ProgressReport(_BelongsToEnterprise, models.Model):
    """Monthly progress of a project (月度进度): the investment completed in the month. The cumulative is
    computed from the reports (selectors.progress_with_cumulative; per project Project.cumulative_investment,
    kept by the services that write reports), never typed."""

    enterprise_via = ("project",)

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="progress_reports"
    )
    month = models.DateField("月份")  # always the first day of the month
    investment_completed = models.DecimalField("本月完成投资（元）", **MONEY)
    over_total_reason = models.TextField("累计超总投资说明", blank=True)
    note = models.TextField("进展情况", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "月度进度"
        verbose_name_plural = "月度进度"
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progress_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "project__enterprise")
