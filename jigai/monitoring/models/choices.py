"""The choices the monitoring models share."""

from __future__ import annotations

from django.db import models

# Indicator values are kept in the indicator's own unit (万元, 个, %, 指数 …) as the statistics bureau reports
# them, with four decimals: an index of 62.35 or a share of 13.27 % is exact, and a yuan amount from Jigai's
# own records is converted to 万元 once, by the computation that produces it.
VALUE = {"max_digits": 20, "decimal_places": 4}
# A completion ratio (0.4523 = 45.23 %) or a growth rate in percent.
RATIO = {"max_digits": 12, "decimal_places": 4}


class Direction(models.TextChoices):
    UP = "up", "越高越好"
    DOWN = "down", "越低越好"


class Aggregation(models.TextChoices):
    """How a region's figure is formed from its children's (and how it compares with its target)."""

    SUM = "sum", "求和"  # city = sum of its counties, province = sum of its cities
    RATIO = "ratio", "比值（分子和/分母和）"  # numerator indicator's sum / denominator indicator's sum × 100
    INDEX = "index", "指数（不可相加）"  # each level's own figure; a missing one is the mean of the children
    GROWTH = "growth", "增速（同比）"  # numerator indicator's year-to-date over last year's, − 1, × 100


class Source(models.TextChoices):
    ENTERED = "entered", "填报"
    IMPORTED = "imported", "统计局导入"
    COMPUTED = "computed", "系统计算"


class ReportedBy(models.TextChoices):
    """The level that enters (or is imported at) the indicator; the levels above roll it up."""

    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"


class Programme(models.TextChoices):
    GOALS = "goals", "一（二）主要目标"
    HIGH_END = "high_end", "二（一）高端化改造提升专项"
    INTELLIGENT = "intelligent", "二（二）智能化改造提升专项"
    GREEN = "green", "二（三）绿色化改造提升专项"
    SERVICE = "service", "二（四）服务化改造提升专项"
    SUPPORT = "support", "三 支持政策（专项资金）"


class GoalBasis(models.TextChoices):
    """What the province goal of the policy means."""

    ANNUAL = "annual", "每年"
    BY_2025 = "by_2025", "到2025年累计"
    LEVEL_2025 = "level_2025", "到2025年达到"
    RELATIVE = "relative", "高于全省平均"
    NONE = "none", "无量化目标（监测）"


class TargetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已下达待确认"
    CONFIRMED = "confirmed", "已确认"
    CHANGE_REQUESTED = "change_requested", "申请调整"


class LetterStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已签订"
    CHANGE_REQUESTED = "change_requested", "申请调整"


class ValueStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REPORTED = "reported", "已报送"
    PUBLISHED = "published", "已发布"
