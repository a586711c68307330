"""Test data of the dashboards, warnings and review (H10C): rollup rows written directly, as the refresh
would write them, so these tests do not depend on how the rollups are computed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jigai.monitoring.models import Indicator, MonthlyRollup
from jigai.regions.models import Region

SUM = "sme_cloud"  # a sum indicator (家), annual target
LEVEL = "informatization_index"  # an index indicator (level)


def D(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def rollup(
    code: str,
    region: str,
    year: int,
    month: int,
    actual: Any,
    target: Any = None,
    *,
    last_year: Any = None,
    share: Any = None,
    month_value: Any = None,
) -> MonthlyRollup:
    """One MonthlyRollup as the refresh writes it: expected = target × month / 12 for a sum indicator,
    the target for a level; completion = actual / target."""
    indicator = Indicator.objects.get(code=code)
    r = Region.objects.get(code=region)
    actual, target, last_year = D(actual), D(target), D(last_year)
    expected = None
    if target is not None:
        expected = (target * month / 12).quantize(Decimal("0.0001")) if indicator.is_cumulative else target
    completion = (actual / target).quantize(Decimal("0.0001")) if actual is not None and target else None
    yoy = (
        ((actual / last_year - 1) * 100).quantize(Decimal("0.0001"))
        if actual is not None and last_year
        else None
    )
    row, _ = MonthlyRollup.objects.update_or_create(
        indicator=indicator,
        region=r,
        year=year,
        month=month,
        defaults={
            "region_level": r.level,
            "parent": r.parent,
            "actual": actual,
            "month_value": D(month_value),
            "target": target,
            "completion": completion,
            "expected": expected,
            "last_year_actual": last_year,
            "yoy_growth": yoy,
            "share": D(share),
            "has_data": actual is not None,
        },
    )
    return row
