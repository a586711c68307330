"""The calendar's data: the days that break the Monday–Friday rule, and the years whose arrangement is known.

A day is a working day when it is Monday–Friday and not a holiday, or when it is a 调休 working day
(a Saturday or Sunday worked in exchange for a holiday). The State Council publishes each year's
arrangement in the December before; the years the chinese-calendar package covers are seeded, later
years are entered by the system administrator.
"""

from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（休）"
    WORKDAY = "workday", "调休工作日（班）"


class CalendarDay(models.Model):
    day = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=30, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class YearSource(models.TextChoices):
    PACKAGE = "package", "国务院办公厅通知（chinese-calendar 数据包）"
    MANUAL = "manual", "系统管理员录入"


class CalendarYear(models.Model):
    """A year whose holiday arrangement is in the table (a year without a row counts weekends only and
    every page that counts working days in it says so)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField("来源", max_length=10, choices=YearSource.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年（{self.get_source_display()}）"
