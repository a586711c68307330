"""Monthly entry windows, reopenings, the monthly values and the precomputed rollups the dashboards read."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor, region_q

from .choices import RATIO, VALUE, Source, ValueStatus
from .indicators import Indicator


class EntryWindow(models.Model):
    """The entry window of one month's figures (e.g. 2026-11 data entered 2026-12-01 … 12-10). Closed =
    locked: no entry after closes_on unless the province reopened that region's month. Publishing the
    month (province) freezes the as-reported figures."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    opens_on = models.DateField("开始填报")
    closes_on = models.DateField("截止填报")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "填报窗口"
        verbose_name_plural = "填报窗口"
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="monitoring_window_unique")]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月数据"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return Q() if is_active_actor(actor) else NOTHING

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def is_locked_on(self, day: datetime.date) -> bool:
        """Locked by date (after closes_on) — a reopening of one region lifts it for that region only."""
        return day > self.closes_on

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def working_days(self) -> int:
        """Working days from opens_on to closes_on, both included, by the working-day calendar
        (jigai.workdays: 法定节假日 off, 调休 Saturdays and Sundays worked) — what the windows page shows."""
        from jigai.workdays.services import working_days_between

        return working_days_between(self.opens_on, self.closes_on)


class WindowReopening(models.Model):
    """The province reopens one region's month after its window closed (with a reason), until a date."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    region = models.ForeignKey(
        "regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="window_reopenings"
    )
    reason = models.TextField("重新开放理由")
    until = models.DateField("开放至")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "重新开放填报"
        verbose_name_plural = "重新开放填报"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["year", "month", "region"], name="monitoring_reopen_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年{self.month}月 重新开放"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return region_q(actor, "region", action)

    @property
    def audit_region(self) -> Any:
        return self.region

    @property
    def working_days(self) -> int:
        """Working days the region is reopened for: from the day it was reopened to `until`, both included."""
        from django.utils import timezone

        from jigai.workdays.services import working_days_between

        start = timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        return working_days_between(start, self.until)


class MonthlyValue(models.Model):
    """One region's figure of one indicator for one month, at the level that reports it.

    `value` is the figure as it stands now. For a sum indicator it is the YEAR-TO-DATE total (1–N月累计, as
    the statistics bureau reports); the month's own amount is this minus last month's (the rollup keeps
    both). For an index or a level it is the level at that month. Ratio and growth indicators have no rows:
    the rollup derives them. Once the month is published, `as_reported` keeps the figure of that moment; a
    later correction changes `value` and records who, when and why, so both and the difference show."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="monitoring_values"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    value = models.DecimalField("数值（累计）", **VALUE)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ENTERED)
    status = models.CharField(
        "状态", max_length=10, choices=ValueStatus.choices, default=ValueStatus.REPORTED
    )
    warning = models.CharField("校验提示", max_length=300, blank=True)  # the consistency warnings shown
    warning_note = models.TextField("异常说明", blank=True)  # required when there is a warning
    as_reported = models.DecimalField("发布时数值", null=True, blank=True, **VALUE)
    corrected_reason = models.TextField("更正理由", blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "月度数据"
        verbose_name_plural = "月度数据"
        ordering = ["year", "month", "indicator__sort_order", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "month"], name="monitoring_value_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "region"], name="monitoring_value_month_idx")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.region} {self.indicator}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return region_q(actor, "region", action)

    @property
    def audit_region(self) -> Any:
        return self.region

    @property
    def is_corrected(self) -> bool:
        return self.as_reported is not None and self.corrected_at is not None

    @property
    def correction_difference(self) -> Decimal | None:
        """The corrected figure minus the as-reported one (None when never corrected after publishing)."""
        if not self.is_corrected:
            return None
        return self.value - self.as_reported  # type: ignore[operator]


class MonthlyRollup(models.Model):
    """What the dashboards read, precomputed by services.rollups.refresh_rollups whenever values, targets or
    project progress change — never when a page is drawn. One row per indicator, region (county, city,
    province, and zones that have figures), year and month 1–12."""

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "regions.Region", verbose_name="地区", on_delete=models.CASCADE, related_name="+"
    )
    region_level = models.CharField("地区级别", max_length=10)  # copied: ranking cities is one filter
    parent = models.ForeignKey(
        "regions.Region",
        verbose_name="上级地区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    actual = models.DecimalField("累计完成", null=True, blank=True, **VALUE)  # year-to-date (level for index)
    month_value = models.DecimalField("当月", null=True, blank=True, **VALUE)  # sum indicators only
    target = models.DecimalField("年度目标", null=True, blank=True, **VALUE)
    completion = models.DecimalField(
        "完成率", null=True, blank=True, **RATIO
    )  # actual / target (0.45 = 45 %)
    # Straight path to the year-end target: target × month / 12 (sum indicators), the target itself otherwise.
    expected = models.DecimalField("序时目标", null=True, blank=True, **VALUE)
    last_year_actual = models.DecimalField("上年同期", null=True, blank=True, **VALUE)
    yoy_growth = models.DecimalField("同比增长（%）", null=True, blank=True, **RATIO)
    share = models.DecimalField("占上级比重（%）", null=True, blank=True, **RATIO)  # additive sum indicators
    has_data = models.BooleanField("有数据", default=False)
    refreshed_at = models.DateTimeField("刷新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "月度汇总"
        verbose_name_plural = "月度汇总"
        ordering = ["year", "month", "indicator_id", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "month"], name="monitoring_rollup_unique"
            ),
        ]
        indexes = [
            # the cities ranked for one indicator and month; a region's trend over the months
            models.Index(
                fields=["year", "month", "indicator", "region_level"], name="monitoring_rollup_rank_idx"
            ),
            models.Index(fields=["region", "year", "indicator", "month"], name="monitoring_rollup_trend_idx"),
            models.Index(fields=["parent", "year", "month", "indicator"], name="monitoring_rollup_child_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.region_id} {self.indicator_id}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return region_q(actor, "region", action)
