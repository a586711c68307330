"""Platforms of policy 三（三） (innovation centres, industrial internet and SME service platforms) and the
yearly assessment of SME platforms."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.scope import ScopedQuerySet

from ._scope import _BelongsToEnterprise, _enterprise_scope
from .choices import MONEY, AssessmentRank, InternetPlatformStatus, PlatformKind, PlatformLevel
from .enterprises import Enterprise


class Platform(models.Model):
    """A platform of policy 三（三）: innovation centre, industrial internet platform or SME public service
    platform. One table (one FK target for applications); the fields that belong to one kind only are blank
    for the others."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="建设/运营企业", on_delete=models.PROTECT, related_name="platforms"
    )
    kind = models.CharField("平台类型", max_length=30, choices=PlatformKind.choices)
    name = models.CharField("平台名称", max_length=200)
    # innovation centre: cultivation/provincial/national/national_branch;
    # SME platform: municipal/provincial/national
    level = models.CharField("级别", max_length=20, choices=PlatformLevel.choices, blank=True)
    # industrial internet platform only
    internet_status = models.CharField(
        "工业互联网平台状态",
        max_length=20,
        choices=InternetPlatformStatus.choices,
        default=InternetPlatformStatus.NONE,
    )
    listed_on = models.DateField("列入名单/认定日期", null=True, blank=True)
    accepted_on = models.DateField("验收通过日期", null=True, blank=True)
    # innovation centre only
    rd_pilot_equipment_investment = models.DecimalField("研发、中试设备投资（元）", default=0, **MONEY)
    equipment_investment = models.DecimalField("技术引进及科研仪器、设备和软件投资（元）", default=0, **MONEY)
    service_revenue = models.DecimalField("成果转化、委托研发、技术服务收入（元）", default=0, **MONEY)
    completed = models.BooleanField("已建成", default=False)
    promoted_to_national = models.BooleanField("已晋升国家级", default=False)
    description = models.TextField("简介", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "平台"
        verbose_name_plural = "平台"
        ordering = ["enterprise", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")


class PlatformAssessment(_BelongsToEnterprise, models.Model):
    """The yearly assessment of an SME public service platform (业务考核), rank 1–3 or none."""

    enterprise_via = ("platform",)

    platform = models.ForeignKey(
        Platform, verbose_name="平台", on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    rank = models.PositiveSmallIntegerField("考核等次", choices=AssessmentRank.choices, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "平台考核"
        verbose_name_plural = "平台考核"
        ordering = ["platform", "-year"]
        constraints = [models.UniqueConstraint(fields=["platform", "year"], name="assessment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_rank_display() if self.rank else '未获奖'}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "platform__enterprise")
