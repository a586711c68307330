"""Indicators as data (一（二）主要目标, the yearly counts of 二（一）-（四）), seeded from
data/indicators.json."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.scope import NOTHING, is_active_actor

from .choices import VALUE, Aggregation, Direction, GoalBasis, Programme, ReportedBy, Source


class Indicator(models.Model):
    """One monitored indicator: what it measures, how it rolls up, where its figures come from and which
    clause of 豫政办〔2022〕8号 sets it."""

    code = models.SlugField("指标代码", max_length=50, unique=True)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("单位", max_length=20)
    direction = models.CharField("方向", max_length=4, choices=Direction.choices, default=Direction.UP)
    aggregation = models.CharField("汇总方式", max_length=10, choices=Aggregation.choices)
    source = models.CharField("数据来源", max_length=10, choices=Source.choices)
    clause = models.CharField("政策条款", max_length=20)  # e.g. "一（二）", "二（三）"
    programme = models.CharField("所属专项", max_length=12, choices=Programme.choices)
    # Additive: the cities' targets add up to the province's (enforced when the province publishes).
    additive = models.BooleanField("目标可相加", default=True)
    reported_by = models.CharField("填报层级", max_length=10, choices=ReportedBy.choices)
    # ratio: numerator / denominator; growth: numerator this year over last year (both other indicators).
    numerator = models.ForeignKey(
        "self", verbose_name="分子指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name="分母指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    computation = models.CharField("计算方法", max_length=50, blank=True)  # key of computations.COMPUTATIONS
    province_goal = models.DecimalField("全省目标值", null=True, blank=True, **VALUE)
    goal_basis = models.CharField(
        "目标口径", max_length=12, choices=GoalBasis.choices, default=GoalBasis.ANNUAL
    )
    goal_text = models.CharField("政策原文目标", max_length=200, blank=True)
    # Consistency check of monthly entry: a month-on-month change over this share (0.5 = 50 %) is a warning.
    jump_threshold = models.DecimalField("环比异常阈值", max_digits=6, decimal_places=3, default=0.5)
    description = models.TextField("说明", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "监测指标"
        verbose_name_plural = "监测指标"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        # Reference data: every signed-in user reads the indicators; only the province changes them.
        if not is_active_actor(actor):
            return NOTHING
        return Q()

    @property
    def is_derived(self) -> bool:
        """Ratio and growth indicators are formed from other indicators, never entered."""
        return self.aggregation in (Aggregation.RATIO, Aggregation.GROWTH)

    @property
    def is_enterable(self) -> bool:
        """Counties/cities enter it (or the statistics bureau's workbook carries it)."""
        return not self.is_derived and self.source in (Source.ENTERED, Source.IMPORTED)

    @property
    def is_cumulative(self) -> bool:
        """A sum indicator's monthly figure is the year-to-date total (1–N月累计)."""
        return self.aggregation == Aggregation.SUM
