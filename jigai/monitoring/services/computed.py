"""Figures computed from Jigai's own records (computations.COMPUTATIONS), stored as monthly values with
source "系统计算" so the rollups treat them like any other figure. Refreshed when project progress changes
(signal handlers in apps.py), by the background job, and by the demo."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

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
    rollups: bool = True,
) -> int:
    """Recompute the computed indicators (`codes`, None: all) for the months of `year` (None: every month
    up to the current one) and, unless told otherwise, their rollups. Returns the figures written."""
    qs = Indicator.objects.filter(source=Source.COMPUTED, active=True).exclude(computation="")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    indicators = [i for i in qs if i.computation in COMPUTATIONS]
    month_list = _months(year, months)
    if not indicators or not month_list:
        return 0
    rows: list[MonthlyValue] = []
    for ind in indicators:
        comp = COMPUTATIONS[ind.computation]
        for m in month_list:
            for code, v in comp.by_region(year, m).items():
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
        MonthlyValue.objects.filter(indicator__in=indicators, year=year, month__in=month_list).delete()
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


def on_progress_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A project's monthly progress changed: once committed, recompute the library's investment figures
    from that month to the year's end (a year-to-date figure of every later month includes it)."""
    month = getattr(instance, "month", None)
    if month is None:
        return
    year, m = month.year, month.month

    def run() -> None:
        refresh_computed(year=year, months=range(m, 13), codes=INVESTMENT_CODES)

    transaction.on_commit(run)
