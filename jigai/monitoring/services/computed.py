"""Figures computed from Jigai's own records (computations.COMPUTATIONS), stored as monthly values with
source "系统计算" so the rollups treat them like any other figure. Refreshed when their records change
(services/sources.py: progress, projects, titles, products, platforms, qualifications, awards granted and
paid — the region and months they move), by the background job, and by the demo."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..computations import COMPUTATIONS
from ..models import Indicator, MonthlyValue, Source, ValueStatus


def _months(year: int, months: Iterable[int] | None) -> list[int]:
    today = timezone.localdate()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    wanted = range(1, 13) if months is None else months
    return [m for m in wanted if 1 <= m <= last]


def refresh_computed(
    *,
    year: int,
    months: Iterable[int] | None = None,
    codes: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
    rollups: bool = True,
) -> int:
    """Recompute the computed indicators (`codes`, None: all) for the months of `year` (None: every month
    up to the current one) and, unless told otherwise, their rollups. `regions` (None: all) limits the
    recomputation to the figures filed at those regions — what one changed record can move (the rollups
    above them are rewritten whole, see rollups.refresh_rollups). Idempotent: the figures are read again
    from the records and replace the stored ones. Returns the figures written."""
    region_list = None if regions is None else sorted({r for r in regions if r})
    qs = Indicator.objects.filter(source=Source.COMPUTED, active=True).exclude(computation="")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    indicators = [i for i in qs if i.computation in COMPUTATIONS]
    month_list = _months(year, months)
    if not indicators or not month_list or region_list == []:
        return 0
    rows: list[MonthlyValue] = []
    for ind in indicators:
        comp = COMPUTATIONS[ind.computation]
        for m, figures in comp.by_months(year, month_list, region_list).items():
            for code, v in figures.items():
                if code and v != Decimal(0):
                    rows.append(
                        MonthlyValue(
                            indicator=ind,
                            region_id=code,
                            year=year,
                            month=m,
                            value=v,
                            source=Source.COMPUTED,
                            status=ValueStatus.REPORTED,
                        )
                    )
    with transaction.atomic():
        stale = MonthlyValue.objects.filter(indicator__in=indicators, year=year, month__in=month_list)
        if region_list is not None:
            stale = stale.filter(region_id__in=region_list)
        stale.delete()
        MonthlyValue.objects.bulk_create(rows, batch_size=2000)
        if rollups:
            from .rollups import refresh_rollups

            refresh_rollups(indicator_codes=[i.code for i in indicators], year=year)
    return len(rows)


INVESTMENT_CODES = (
    "lib_investment",
    "lib_investment_high_end",
    "lib_investment_intelligent",
    "lib_investment_green",
    "lib_investment_service",
)
