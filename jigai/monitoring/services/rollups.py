"""The precomputed monthly rollups the dashboards read (MonthlyRollup), refreshed when values, targets or
project progress change — never when a page is drawn.

For one indicator and year the whole region tree is recomputed in memory from the monthly values (a few
thousand rows) and its rollup rows are rewritten in one transaction:
- SUM: a region's year-to-date figure is its own value plus the sum of its children's figures (values are
  entered only at the level that reports the indicator, so nothing is counted twice);
- INDEX: its own value, else the mean of its children's;
- RATIO: the numerator's figure over the denominator's × 100; GROWTH: the numerator's ytd over last year's
  same month, − 1, × 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigai.regions.models import Region, RegionLevel
from jigai.registry.excel.bulk import insert_rows

from ..models import Aggregation, Indicator, MonthlyRollup, MonthlyValue, Target, TargetStatus

Q4 = Decimal("0.0001")
HUNDRED = Decimal(100)
MONTHS = range(1, 13)


@dataclass
class _Tree:
    regions: dict[str, Region]
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    order: list[str] = field(default_factory=list)  # children before parents

    @classmethod
    def load(cls) -> _Tree:
        regions = {r.code: r for r in Region.objects.only("code", "level", "parent_id", "path")}
        tree = cls(regions)
        for r in regions.values():
            if r.parent_id:
                tree.children[r.parent_id].append(r.code)
        tree.order = sorted(regions, key=lambda c: -regions[c].path.count("/"))
        return tree


def _q(v: Decimal | None) -> Decimal | None:
    return None if v is None else v.quantize(Q4)


def _div(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _values(indicator_id: int, year: int) -> dict[int, dict[str, Decimal]]:
    """{month: {region code: value}} of one indicator and year."""
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = MonthlyValue.objects.filter(indicator_id=indicator_id, year=year).values_list(
        "month", "region_id", "value"
    )
    for month, code, value in rows:
        out[month][code] = value
    return out


def _figures(tree: _Tree, indicator: Indicator, year: int, cache: dict) -> dict[int, dict[str, Decimal]]:
    """{month: {region code: figure}} of one indicator and year (SUM/INDEX from values; RATIO/GROWTH
    derived), memoised in `cache` for the derived indicators that reuse a base."""
    key = (indicator.pk, year)
    if key in cache:
        return cache[key]
    agg = indicator.aggregation
    out: dict[int, dict[str, Decimal]] = {}
    if agg == Aggregation.RATIO:
        num = _figures(tree, indicator.numerator, year, cache)
        den = _figures(tree, indicator.denominator, year, cache)
        for m in MONTHS:
            out[m] = {}
            for code, n in num.get(m, {}).items():
                r = _div(n, den.get(m, {}).get(code))
                if r is not None:
                    out[m][code] = r * HUNDRED
    elif agg == Aggregation.GROWTH:
        now = _figures(tree, indicator.numerator, year, cache)
        before = _figures(tree, indicator.numerator, year - 1, cache)
        for m in MONTHS:
            out[m] = {}
            for code, n in now.get(m, {}).items():
                r = _div(n, before.get(m, {}).get(code))
                if r is not None:
                    out[m][code] = (r - 1) * HUNDRED
    else:
        values = _values(indicator.pk, year)
        for m in MONTHS:
            own = values.get(m, {})
            fig: dict[str, Decimal] = {}
            if own:
                for code in tree.order:
                    kids = [fig[c] for c in tree.children.get(code, ()) if c in fig]
                    mine = own.get(code)
                    if agg == Aggregation.SUM:
                        if mine is not None or kids:
                            fig[code] = (mine or Decimal(0)) + sum(kids, Decimal(0))
                    elif mine is not None:
                        fig[code] = mine
                    elif kids:
                        fig[code] = sum(kids, Decimal(0)) / len(kids)
            out[m] = fig
    cache[key] = out
    return out


def _targets(indicator_id: int, year: int) -> dict[str, Decimal]:
    rows = Target.objects.filter(indicator_id=indicator_id, year=year).exclude(status=TargetStatus.DRAFT)
    return dict(rows.values_list("region_id", "value"))


_ALWAYS = (RegionLevel.PROVINCE, RegionLevel.CITY)
COLUMNS = (
    "indicator_id",
    "region_id",
    "region_level",
    "parent_id",
    "year",
    "month",
    "actual",
    "month_value",
    "target",
    "completion",
    "expected",
    "last_year_actual",
    "yoy_growth",
    "share",
    "has_data",
    "refreshed_at",
)


def _rows(tree: _Tree, indicator: Indicator, year: int, cache: dict) -> list[tuple]:
    """The rollup rows (tuples in COLUMNS order: written by one multi-row INSERT, not model instances)."""
    now = _figures(tree, indicator, year, cache)
    before = _figures(tree, indicator, year - 1, cache)
    targets = _targets(indicator.pk, year)
    if not any(now.values()) and not targets:
        return []
    is_sum = indicator.aggregation == Aggregation.SUM
    with_data = {code for fig in now.values() for code in fig}
    wanted = [
        code
        for code, r in tree.regions.items()
        if r.level in (RegionLevel.PROVINCE, RegionLevel.CITY) or code in with_data or code in targets
    ]
    rows: list[tuple] = []
    stamp = timezone.now()
    for code in wanted:
        region = tree.regions[code]
        target = targets.get(code)
        prev: Decimal | None = None
        for m in MONTHS:
            actual = now.get(m, {}).get(code)
            last = before.get(m, {}).get(code)
            parent_actual = now.get(m, {}).get(region.parent_id) if region.parent_id else None
            month_value = None
            if is_sum and actual is not None:
                month_value = actual - (prev or Decimal(0)) if m > 1 else actual
            yoy = None
            if indicator.aggregation in (Aggregation.SUM, Aggregation.INDEX):
                r = _div(actual, last)
                yoy = None if r is None else (r - 1) * HUNDRED
            share = None
            if is_sum and indicator.additive:
                r = _div(actual, parent_actual)
                share = None if r is None else r * HUNDRED
            expected = None
            if target is not None:
                expected = target * m / 12 if is_sum else target
            if actual is None and target is None and region.level not in _ALWAYS:
                prev = actual
                continue  # a county without a figure or a target that month: no row
            rows.append(
                (
                    indicator.pk,
                    code,
                    region.level,
                    region.parent_id,
                    year,
                    m,
                    _q(actual),
                    _q(month_value),
                    target,
                    _q(_div(actual, target)),
                    _q(expected),
                    _q(last),
                    _q(yoy),
                    _q(share),
                    actual is not None,
                    stamp,
                )
            )
            prev = actual
    return rows


def _with_dependants(indicators: list[Indicator]) -> list[Indicator]:
    """The indicators plus the ratio/growth indicators formed from any of them."""
    ids = {i.pk for i in indicators}
    extra = Indicator.objects.filter(numerator_id__in=ids) | Indicator.objects.filter(denominator_id__in=ids)
    seen = {i.pk: i for i in indicators}
    for i in extra.select_related("numerator", "denominator"):
        seen.setdefault(i.pk, i)
    return sorted(seen.values(), key=lambda i: (i.sort_order, i.code))


def _indicators(codes: Iterable[str] | None) -> list[Indicator]:
    qs = Indicator.objects.select_related("numerator", "denominator").filter(active=True)
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return _with_dependants(list(qs))


def refresh_rollups(
    *,
    indicator_codes: Iterable[str] | None = None,
    region_codes: Iterable[str] | None = None,
    year: int,
    month: int | None = None,
    warnings: bool = True,
) -> int:
    """Recompute the rollups of `indicator_codes` (None: all; the derived indicators over them are added)
    for `year` — and the next year when it has rows, since its growth depends on this one. `region_codes`
    and `month` say what changed; the whole tree and year are rewritten because the parents' sums, later
    months' month_value and the shares depend on it. Returns the number of rows written."""
    indicators = _indicators(indicator_codes)
    years = [year]
    if MonthlyRollup.objects.filter(year=year + 1).exists():
        years.append(year + 1)
    written = _rewrite(indicators, years)
    if warnings:
        # a target change (no month) moves the warnings of the latest month with figures
        months = [month] if month else [m for m in [_latest_month(year)] if m]
        _warn(year, months, [i.code for i in indicators])
    return written


def _latest_month(year: int) -> int | None:
    return MonthlyValue.objects.filter(year=year).order_by("-month").values_list("month", flat=True).first()


def refresh_all_rollups(years: Iterable[int], *, warnings: bool = True) -> int:
    """Rewrite every rollup of these years (the demo, the background job); warnings once at the end."""
    years = sorted(set(years))
    written = _rewrite(_indicators(None), years)
    if warnings:
        _warn_all()
    return written


_COMPARED = len(COLUMNS) - 1  # every column but refreshed_at


def _key(row: tuple) -> tuple:
    """(indicator, region, year, month) of a row in COLUMNS order."""
    return (row[0], row[1], row[4], row[5])


def _rewrite(indicators: list[Indicator], years: list[int]) -> int:
    """Bring the stored rollups of these indicators and years to what the values say now, writing only the
    rows that differ (a change in one county moves its rows, its city's and the province's, and the shares
    of its neighbours — a few hundred of the ~12,000 rows of the library's investment indicators; writing
    them all was 2 s of a progress report's save on the 100,000-project bench). Returns the rows written
    (inserted, changed or deleted)."""
    tree = _Tree.load()
    cache: dict = {}
    written = 0
    with transaction.atomic():
        for y in years:
            rows: list[tuple] = []
            for ind in indicators:
                rows.extend(_rows(tree, ind, y, cache))
            stored_qs = MonthlyRollup.objects.filter(year=y, indicator__in=[i.pk for i in indicators])
            stored = {_key(r[1:]): r for r in stored_qs.values_list("pk", *COLUMNS[:_COMPARED])}
            fresh: list[tuple] = []  # new or changed: inserted
            changed: list[int] = []  # the stored rows of the changed ones: deleted first
            for row in rows:
                old = stored.pop(_key(row), None)
                if old is not None and tuple(old[1:]) == row[:_COMPARED]:
                    continue  # unchanged: kept as it is
                if old is not None:
                    changed.append(old[0])
                fresh.append(row)
            gone = [r[0] for r in stored.values()]  # no longer computed (a county without figures)
            stale = changed + gone
            for start in range(0, len(stale), 5000):
                MonthlyRollup.objects.filter(pk__in=stale[start : start + 5000]).delete()
            insert_rows(MonthlyRollup, COLUMNS, fresh)
            written += len(fresh) + len(gone)
    return written


def _warn(year: int, months: list[int], codes: list[str]) -> None:
    """H10C's early warning for the months refreshed (jigai.monitoring.warnings), when it exists."""
    try:
        from jigai.monitoring.warnings import refresh_warnings
    except ImportError:
        return
    for m in sorted(months):
        refresh_warnings(year=year, month=m, indicator_codes=codes)


def _warn_all() -> None:
    try:
        from jigai.monitoring.warnings import refresh_warnings_all
    except ImportError:
        return
    refresh_warnings_all()


def refresh_job(job: Any, progress: Any) -> Any:
    """Background job (jigai.jobs): rewrite the rollups of the years in job.params["years"]."""
    from jigai.jobs.services import JobOutcome

    from .computed import refresh_computed

    years = job.params.get("years") or [timezone.localdate().year]
    progress(0, len(years) + 1, "正在从项目库重新计算……")
    for i, y in enumerate(years, start=1):
        refresh_computed(year=y, rollups=False)
        progress(i, len(years) + 1, f"{y}年已重新计算，正在汇总……")
    n = refresh_all_rollups(years)
    progress(len(years) + 1, len(years) + 1)
    return JobOutcome(message=f"已重新汇总 {len(years)} 个年度，改写 {n} 行。")
