"""Early warning (预警, 四（三） 督查督办): where each region stands against a straight path to its year-end
target, green / amber / red by thresholds that are data (the province edits them), precomputed when the
rollups refresh — never when a page is drawn. Owned by jigai/monitoring/warnings.py (H10C)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.scope import ScopedQuerySet, region_q

from .choices import RATIO, VALUE

# What a threshold row says when no row exists at all (the migration seeds the default row with these).
DEFAULT_GREEN_FROM = Decimal("0.95")
DEFAULT_AMBER_FROM = Decimal("0.85")


class Level(models.TextChoices):
    GREEN = "green", "正常（绿）"
    AMBER = "amber", "滞后（黄）"
    RED = "red", "严重滞后（红）"


LEVEL_SHORT = {Level.GREEN: "绿", Level.AMBER: "黄", Level.RED: "红"}


class WarningThreshold(models.Model):
    """The bands of the early warning, as a share of the straight path to the year-end target: at or above
    `green_from` the region is on track, at or above `amber_from` it lags, below it lags badly. One row per
    indicator may override the default row (indicator empty)."""

    # Empty = the default row (the service keeps a single one: NULLs are never equal in a unique index).
    indicator = models.OneToOneField(
        "monitoring.Indicator",
        verbose_name="指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="warning_threshold",
    )
    green_from = models.DecimalField("绿色下限（占序时进度）", max_digits=6, decimal_places=3)
    amber_from = models.DecimalField("黄色下限（占序时进度）", max_digits=6, decimal_places=3)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "预警阈值"
        verbose_name_plural = "预警阈值"
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_from__lte=models.F("green_from")), name="warning_bands_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator or '默认'}：绿≥{self.green_from}，黄≥{self.amber_from}"


class WarningStatus(models.Model):
    """One region × indicator × month: its year-to-date figure against the straight path to the year-end
    target. Written by jigai.monitoring.warnings.refresh_warnings (called by the rollup refresh)."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    indicator = models.ForeignKey(
        "monitoring.Indicator", verbose_name="指标", on_delete=models.CASCADE, related_name="warnings"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="+"
    )
    region_level = models.CharField("地区级别", max_length=10)
    level = models.CharField("预警等级", max_length=5, choices=Level.choices)
    actual = models.DecimalField("实际（年累计）", **VALUE)
    expected = models.DecimalField("序时进度值", **VALUE)
    target = models.DecimalField("年度目标", **VALUE)
    progress = models.DecimalField("占序时进度", null=True, blank=True, **RATIO)  # actual / expected
    gap = models.DecimalField("差距", **VALUE)  # how far behind the path, in the indicator's unit (≥ 0)
    red_streak = models.PositiveSmallIntegerField("连续红色月数", default=0)
    ticket_id = models.PositiveIntegerField("督办事项", null=True, blank=True)  # supervision.Ticket pk
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预警状态"
        verbose_name_plural = "预警状态"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "indicator", "region"], name="one_warning_per_month"
            )
        ]
        indexes = [
            models.Index(fields=["year", "month", "region_level", "level"], name="warning_month_level")
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月 {self.region} {self.indicator}：{self.get_level_display()}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        """The actor's region and below (province-level roles: all)."""
        return region_q(actor, "region", action)
