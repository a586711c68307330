"""The dashboards' reads (一（二） goals, 二（一）-（四） programmes, 四（三） steering): one screen
object per request, built from the precomputed MonthlyRollup and WarningStatus rows only (a handful of indexed
queries, whatever the number of projects behind them).

Scope: the region asked for must lie in the actor's region or below (a county sees its county, a city its
city and counties, province-level roles — province, leader, finance — the whole province); anything else
answers 404, the same as a region that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from jigai.accounts.permissions import require
from jigai.accounts.scope import is_province_level, region_q
from jigai.regions.models import Region, RegionLevel
from jigai.regions.selectors import PROVINCE_CODE

from ..models import Indicator, MonthlyRollup, Programme
from ..models.warnings import LEVEL_SHORT, Level, WarningStatus
from . import finance as finance_mod

# The programmes side by side (二（一）-（四）), with the short label of each.
PROGRAMMES = [
    (Programme.HIGH_END, "二（一）", "高端化"),
    (Programme.INTELLIGENT, "二（二）", "智能化"),
    (Programme.GREEN, "二（三）", "绿色化"),
    (Programme.SERVICE, "二（四）", "服务化"),
]
CHILD_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE)
HUNDRED = Decimal(100)


def pct(ratio: Decimal | None) -> Decimal | None:
    """A completion ratio (0.4523) as percent (45.23)."""
    return None if ratio is None else (ratio * HUNDRED).quantize(Decimal("0.01"))


def fnum(value: Decimal | None) -> float | None:
    """A figure for the chart only (tables show the exact Decimal)."""
    return None if value is None else float(value)


# ------------------------------------------------------------------------------------------ scope


def dashboard_region(*, actor: Any, code: str | None) -> Region:
    """The region of the dashboard: the one asked for if the actor may see it (else 404), by default the
    actor's own (province-level roles: the province)."""
    require(actor, "dashboard.view")
    if not code:
        code = PROVINCE_CODE if is_province_level(actor) else actor.region_id
    if not code:
        raise Http404("未找到该地区，或您无权查看。")
    region = Region.objects.filter(region_q(actor, ""), code=code).first()
    if region is None:
        raise Http404("未找到该地区，或您无权查看。")
    return region


def chain(region: Region) -> list[Region]:
    """Province → city → county: the region and its ancestors, from the top (one query)."""
    codes = region.path.split("/")
    if codes == [region.code]:
        return [region]  # the province: no ancestor to read
    found = {r.code: r for r in Region.objects.filter(code__in=codes[:-1])}
    found[region.code] = region
    return [found[c] for c in codes if c in found]


def periods(region: Region) -> list[tuple[int, int]]:
    """The (year, month) pairs that have figures for the region, latest first."""
    return list(
        MonthlyRollup.objects.filter(region=region, has_data=True)
        .values_list("year", "month")
        .distinct()
        .order_by("-year", "-month")
    )


def pick_period(region: Region, year: Any, month: Any) -> tuple[int, int, list[tuple[int, int]]]:
    """The period asked for when it has figures, else the latest one of that year, else the latest."""
    available = periods(region)
    y, m = _int(year), _int(month)
    if (y, m) in available:
        return y, m, available  # type: ignore[return-value]
    same_year = [p for p in available if p[0] == y]
    if same_year:
        return same_year[0][0], same_year[0][1], available
    if available:
        return available[0][0], available[0][1], available
    from django.utils import timezone

    today = timezone.localdate()
    return today.year, max(today.month - 1, 1), available


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------ screen


@dataclass
class IndicatorRow:
    indicator: Indicator
    actual: Decimal | None
    month_value: Decimal | None
    target: Decimal | None
    expected: Decimal | None
    completion: Decimal | None  # percent
    yoy: Decimal | None
    share: Decimal | None
    level: str = ""

    @property
    def level_label(self) -> str:
        return LEVEL_SHORT.get(self.level, "")


@dataclass
class ChildRow:
    region: Region
    rank: int
    actual: Decimal | None
    target: Decimal | None
    completion: Decimal | None
    yoy: Decimal | None
    share: Decimal | None
    level: str
    url: str

    @property
    def level_label(self) -> str:
        return LEVEL_SHORT.get(self.level, "")


@dataclass
class TrendRow:
    month: int
    actual: Decimal | None
    last_year: Decimal | None
    expected: Decimal | None
    month_value: Decimal | None


@dataclass
class ProgrammeGroup:
    clause: str
    label: str
    rows: list[IndicatorRow]


@dataclass
class Dashboard:
    region: Region
    chain: list[Region]
    year: int
    month: int
    periods: list[tuple[int, int]]
    indicator: Indicator | None
    indicators: list[Indicator]
    rows: list[IndicatorRow]
    children: list[ChildRow]
    trend: list[TrendRow]
    programmes: list[ProgrammeGroup]
    projects_url: str
    child_label: str
    charts: dict[str, Any] = field(default_factory=dict)
    finance: finance_mod.FinanceLand | None = None  # 融资与用地（四（二））, the dashboard's year

    @property
    def level(self) -> str:
        return self.region.level

    @property
    def is_province(self) -> bool:
        return self.region.level == RegionLevel.PROVINCE

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _ in self.periods}, reverse=True)

    @property
    def months(self) -> list[int]:
        return sorted({m for y, m in self.periods if y == self.year})


def dashboard_url(code: str, year: int, month: int, indicator: str = "") -> str:
    q = f"?region={code}&year={year}&month={month}"
    return reverse("monitoring:dash") + q + (f"&indicator={indicator}" if indicator else "")


def _row(r: MonthlyRollup, level: str = "") -> IndicatorRow:
    return IndicatorRow(
        indicator=r.indicator,
        actual=r.actual,
        month_value=r.month_value,
        target=r.target,
        expected=r.expected,
        completion=pct(r.completion),
        yoy=r.yoy_growth,
        share=r.share,
        level=level,
    )


def dashboard(
    *,
    actor: Any,
    region_code: str | None = None,
    year: Any = None,
    month: Any = None,
    indicator_code: str = "",
    with_finance: bool = True,
) -> Dashboard:
    """The dashboard of a region for a month: every indicator's progress against target with year-on-year
    growth and share, the region's children ranked on one indicator (the map colours the cities by it),
    its trend by month against last year and the straight path, the four programmes side by side, and the
    financing and land figures of the year (四（二）; `with_finance=False` for a workbench card)."""
    region = dashboard_region(actor=actor, code=region_code)
    y, m, available = pick_period(region, year, month)
    own = list(
        MonthlyRollup.objects.filter(region=region, year=y, month=m, indicator__active=True).select_related(
            "indicator"
        )
    )
    # one query for the warnings of the region (every indicator) and of its children (ranked below)
    levels: dict[int, str] = {}
    child_levels: dict[tuple[int, str], str] = {}
    for indicator_id, region_id, level in WarningStatus.objects.filter(
        Q(region=region) | Q(region__parent=region), year=y, month=m
    ).values_list("indicator_id", "region_id", "level"):
        if region_id == region.code:
            levels[indicator_id] = level
        else:
            child_levels[(indicator_id, region_id)] = level
    rows = sorted(
        (_row(r, levels.get(r.indicator_id, "")) for r in own),
        key=lambda x: (x.indicator.sort_order, x.indicator.code),
    )
    chosen = _choose_indicator(indicator_code, rows)
    children = _children(region, y, m, chosen, child_levels) if chosen else []
    trend = _trend(region, y, chosen) if chosen else []
    programmes = [
        ProgrammeGroup(clause, label, [r for r in rows if r.indicator.programme == value])
        for value, clause, label in PROGRAMMES
    ]
    projects = reverse("registry:project_list") + f"?region={region.code}"
    child_label = {"province": "各市（含济源示范区）", "city": "各县（市、区）"}.get(region.level, "")
    dash = Dashboard(
        region=region,
        chain=chain(region),
        year=y,
        month=m,
        periods=available,
        indicator=chosen,
        indicators=[r.indicator for r in rows],  # the choice of the ranking/map/trend indicator
        rows=rows,
        children=children,
        trend=trend,
        programmes=programmes,
        projects_url=projects,
        child_label=child_label,
        finance=finance_mod.finance_land(actor=actor, region=region, year=y, month=m)
        if with_finance
        else None,
    )
    dash.charts = chart_data(dash)
    return dash


def _choose_indicator(code: str, rows: list[IndicatorRow]) -> Indicator | None:
    """The indicator asked for (among those the region has figures of); by default the first with a
    target, then the first with figures."""
    if code:
        for r in rows:
            if r.indicator.code == code:
                return r.indicator
    for r in rows:
        if r.target is not None and r.actual is not None:
            return r.indicator
    for r in rows:
        if r.actual is not None:
            return r.indicator
    return rows[0].indicator if rows else None


def _children(
    region: Region, year: int, month: int, indicator: Indicator, levels: dict[tuple[int, str], str]
) -> list[ChildRow]:
    """The region's children (cities of the province, counties and zones of a city) ranked by completion,
    then by the figure itself; each links one level down (a county to its projects)."""
    qs = (
        MonthlyRollup.objects.filter(parent=region, year=year, month=month, indicator=indicator)
        .filter(region_level__in=CHILD_LEVELS)
        .select_related("region")
    )
    found = list(qs)
    found.sort(
        key=lambda r: (
            r.completion is None,
            -(r.completion or 0),
            r.actual is None,
            -(r.actual or 0) if indicator.direction == "up" else (r.actual or 0),
            r.region_id,
        )
    )
    result = []
    base = reverse("monitoring:dash")
    for n, r in enumerate(found, start=1):
        url = f"{base}?region={r.region_id}&year={year}&month={month}&indicator={indicator.code}"
        result.append(
            ChildRow(
                region=r.region,
                rank=n,
                actual=r.actual,
                target=r.target,
                completion=pct(r.completion),
                yoy=r.yoy_growth,
                share=r.share,
                level=levels.get((indicator.pk, r.region_id), ""),
                url=url,
            )
        )
    return result


def _trend(region: Region, year: int, indicator: Indicator) -> list[TrendRow]:
    """The twelve months of the year: year-to-date, last year's same months, the straight path."""
    qs = MonthlyRollup.objects.filter(region=region, indicator=indicator, year__in=(year, year - 1)).only(
        "year", "month", "actual", "expected", "month_value", "has_data", "last_year_actual"
    )
    this = {r.month: r for r in qs if r.year == year}
    last = {r.month: r for r in qs if r.year == year - 1}
    rows = []
    for month in range(1, 13):
        r, p = this.get(month), last.get(month)
        last_year = p.actual if p is not None and p.has_data else (r.last_year_actual if r else None)
        rows.append(
            TrendRow(
                month=month,
                actual=r.actual if r is not None and r.has_data else None,
                last_year=last_year,
                expected=r.expected if r is not None else None,
                month_value=r.month_value if r is not None and r.has_data else None,
            )
        )
    return rows


# ------------------------------------------------------------------------------------------ charts

TILES = {
    # A fixed grid of the 18 cities in their rough geographic layout (north at the top): the map drawn
    # when no boundary data is installed. (column, row)
    "410500": (4, 0),
    "419001": (1, 1),
    "410800": (2, 1),
    "410700": (3, 1),
    "410600": (4, 1),
    "410900": (5, 1),
    "411200": (0, 2),
    "410300": (1, 2),
    "410100": (2, 2),
    "410200": (3, 2),
    "411400": (4, 2),
    "410400": (2, 3),
    "411000": (3, 3),
    "411600": (4, 3),
    "411300": (1, 4),
    "411100": (3, 4),
    "411700": (3, 5),
    "411500": (3, 6),
}


def chart_data(d: Dashboard) -> dict[str, Any]:
    """What the static dash.js draws (echarts), as JSON-safe plain data. Tables beside the charts read the
    same screen object, so a chart and its table never disagree."""
    unit = d.indicator.unit if d.indicator else ""
    name = d.indicator.name if d.indicator else ""
    with_target = [r for r in d.rows if r.completion is not None]
    charts: dict[str, Any] = {
        "progress": {
            "title": "目标完成进度（%）",
            "labels": [r.indicator.name for r in with_target],
            "values": [fnum(r.completion) for r in with_target],
            "path": round(d.month / 12 * 100, 2),
            "levels": [r.level for r in with_target],
        },
        "trend": {
            "title": f"{name}月度趋势（{unit}）",
            "unit": unit,
            "months": [f"{t.month}月" for t in d.trend],
            "actual": [fnum(t.actual) for t in d.trend],
            "last_year": [fnum(t.last_year) for t in d.trend],
            "expected": [fnum(t.expected) for t in d.trend],
            "year": d.year,
        },
        "programmes": {
            "title": "四大专项（二（一）-（四））",
            "groups": [
                {
                    "label": f"{g.clause}{g.label}",
                    "labels": [r.indicator.name for r in g.rows],
                    "completion": [fnum(r.completion) for r in g.rows],
                    "yoy": [fnum(r.yoy) for r in g.rows],
                }
                for g in d.programmes
            ],
        },
    }
    if d.children:
        use_completion = any(c.completion is not None for c in d.children)
        charts["ranking"] = {
            "title": f"{d.child_label}{name}{'完成率（%）' if use_completion else f'（{unit}）'}",
            "labels": [c.region.name for c in d.children],
            "values": [fnum(c.completion if use_completion else c.actual) for c in d.children],
            "yoy": [fnum(c.yoy) for c in d.children],
            "levels": [c.level for c in d.children],
            "urls": [c.url for c in d.children],
            "unit": "%" if use_completion else unit,
        }
    if d.is_province:
        charts["map"] = {
            "title": f"各市{name}完成率（%）",
            "geo_url": reverse("monitoring:dash_map_geojson"),
            "rows": [
                {
                    "code": c.region.code,
                    "name": c.region.name,
                    "value": fnum(c.completion),
                    "level": c.level,
                    "url": c.url,
                    "tile": TILES.get(c.region.code),
                }
                for c in d.children
            ],
            "tiles": {code: list(pos) for code, pos in TILES.items()},
        }
    if d.finance is not None:
        charts.update(finance_mod.chart_data(d.finance))
    return charts


# ------------------------------------------------------------------------------------------ warnings


@dataclass
class WarningList:
    year: int
    month: int
    periods: list[tuple[int, int]]

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _ in self.periods}, reverse=True)

    @property
    def months(self) -> list[int]:
        return sorted({m for y, m in self.periods if y == self.year})

    behind: list[WarningStatus]
    matrix_regions: list[Region]
    matrix_indicators: list[Indicator]
    matrix: dict[tuple[str, int], WarningStatus]
    counts: dict[str, int]

    def cell(self, region: Region, indicator: Indicator) -> WarningStatus | None:
        return self.matrix.get((region.code, indicator.pk))


def warning_periods(actor: Any) -> list[tuple[int, int]]:
    return list(
        WarningStatus.objects.restrict(actor)
        .values_list("year", "month")
        .distinct()
        .order_by("-year", "-month")
    )


def warning_list(*, actor: Any, filters: dict[str, Any]) -> WarningList:
    """Every region × indicator of the actor's scope for a month, green/amber/red, and those behind (amber
    and red) with the gap, worst first. filters: year, month, level (amber/red), indicator (code), region
    level (city/county, default: the level below the actor's)."""
    require(actor, "dashboard.view")
    available = warning_periods(actor)
    y, m = _int(filters.get("year")), _int(filters.get("month"))
    if (y, m) not in available:
        y, m = available[0] if available else (0, 0)
    scope = WarningStatus.objects.restrict(actor).filter(year=y, month=m)
    region_level = filters.get("region_level") or _default_level(actor)
    scope = scope.filter(region_level=region_level)
    if filters.get("indicator"):
        scope = scope.filter(indicator__code=filters["indicator"])
    statuses = list(
        scope.select_related("indicator", "region").order_by("region_id", "indicator__sort_order")
    )
    counts = {lv: sum(1 for s in statuses if s.level == lv) for lv in Level.values}
    wanted = filters.get("level")
    behind = [
        s for s in statuses if s.level in ((wanted,) if wanted in Level.values else (Level.AMBER, Level.RED))
    ]
    behind.sort(
        key=lambda s: (
            s.level != Level.RED,
            s.progress if s.progress is not None else Decimal(9),
            s.region_id,
        )
    )
    for s in behind:
        s.ticket_url = _ticket_url(s.ticket_id)
    regions = sorted({s.region_id: s.region for s in statuses}.values(), key=lambda r: r.code)
    indicators = sorted({s.indicator_id: s.indicator for s in statuses}.values(), key=lambda i: i.sort_order)
    return WarningList(
        year=y,
        month=m,
        periods=available,
        behind=behind,
        matrix_regions=regions,
        matrix_indicators=indicators,
        matrix={(s.region_id, s.indicator_id): s for s in statuses},
        counts=counts,
    )


def _ticket_url(ticket_id: int | None) -> str:
    if not ticket_id:
        return ""
    try:
        return reverse("supervision:ticket_detail", args=[ticket_id])
    except NoReverseMatch:
        return ""


def _default_level(actor: Any) -> str:
    if is_province_level(actor):
        return RegionLevel.CITY
    return (
        RegionLevel.COUNTY
        if getattr(actor, "role", "") == "city"
        else getattr(actor.region, "level", "county")
    )
