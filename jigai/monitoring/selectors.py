"""Reads of the monitoring data, always through the scope gate (Model.objects.restrict). H10C's dashboards
call the rollup selectors below (CONTRACT.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jigai.accounts.scope import get_scoped_or_404
from jigai.regions.models import Region, RegionLevel
from jigai.registry.models import LibraryStatus, ProgressReport

from .models import (
    EntryWindow,
    Indicator,
    LetterStatus,
    MonthlyRollup,
    MonthlyValue,
    Target,
    TargetLetter,
    WindowReopening,
)

WAN = Decimal(10000)


def indicator_list(
    *, actor: Any, programme: str | None = None, active_only: bool = True
) -> QuerySet[Indicator]:
    qs = Indicator.objects.filter(Indicator.scope_q(actor, "view")).select_related("numerator", "denominator")
    if programme:
        qs = qs.filter(programme=programme)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("sort_order", "code")


def rollup_month(
    *,
    actor: Any,
    year: int,
    month: int,
    indicator_codes: list[str] | None = None,
    region_level: str | None = None,
    parent_code: str | None = None,
) -> QuerySet[MonthlyRollup]:
    qs = (
        MonthlyRollup.objects.restrict(actor)
        .filter(year=year, month=month)
        .select_related("indicator", "region")
    )
    if indicator_codes:
        qs = qs.filter(indicator__code__in=indicator_codes)
    if region_level:
        qs = qs.filter(region_level=region_level)
    if parent_code:
        qs = qs.filter(parent_id=parent_code)
    return qs.order_by("indicator__sort_order", "region_id")


def rollup_trend(
    *, actor: Any, region_code: str, indicator_code: str, years: list[int]
) -> list[MonthlyRollup]:
    region = _region_in_scope(actor, region_code)
    return list(
        MonthlyRollup.objects.restrict(actor)
        .filter(region=region, indicator__code=indicator_code, year__in=years)
        .select_related("indicator")
        .order_by("year", "month")
    )


def _region_in_scope(actor: Any, code: str) -> Region:
    from django.http import Http404

    from .services.common import within

    region = Region.objects.filter(pk=code).first()
    if region is None or not within(actor, region):
        raise Http404("未找到该地区，或您无权查看。")
    return region


def latest_month(*, year: int) -> int | None:
    """The latest month of `year` with any figure."""
    return MonthlyValue.objects.filter(year=year).order_by("-month").values_list("month", flat=True).first()


def target_list(
    *, actor: Any, year: int, region_code: str | None = None, indicator_code: str | None = None
) -> QuerySet[Target]:
    qs = Target.objects.restrict(actor).filter(year=year).select_related("indicator", "region")
    if region_code:
        qs = qs.filter(region_id=region_code)
    if indicator_code:
        qs = qs.filter(indicator__code=indicator_code)
    return qs.order_by("indicator__sort_order", "region_id")


def letter_list(*, actor: Any, year: int | None = None, status: str | None = None) -> QuerySet[TargetLetter]:
    qs = TargetLetter.objects.restrict(actor).select_related("region", "region__parent")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "region_id")


def letter_get(*, actor: Any, pk: Any) -> TargetLetter:
    return get_scoped_or_404(TargetLetter.objects.select_related("region"), actor, pk=pk)


def letters_to_confirm(*, actor: Any) -> QuerySet[TargetLetter]:
    """The actor's own region's letters waiting for its signature (the workbench tile)."""
    return TargetLetter.objects.restrict(actor).filter(region_id=actor.region_id, status=LetterStatus.PENDING)


def value_list(
    *, actor: Any, year: int, month: int, region_code: str | None = None, indicator_code: str | None = None
) -> QuerySet[MonthlyValue]:
    qs = (
        MonthlyValue.objects.restrict(actor)
        .filter(year=year, month=month)
        .select_related("indicator", "region")
    )
    if region_code:
        qs = qs.filter(region_id=region_code)
    if indicator_code:
        qs = qs.filter(indicator__code=indicator_code)
    return qs.order_by("indicator__sort_order", "region_id")


def value_get(*, actor: Any, pk: Any) -> MonthlyValue:
    return get_scoped_or_404(MonthlyValue.objects.select_related("indicator", "region"), actor, pk=pk)


def window_list() -> QuerySet[EntryWindow]:
    return EntryWindow.objects.order_by("-year", "-month")


def open_windows(day: datetime.date) -> list[EntryWindow]:
    return list(EntryWindow.objects.filter(opens_on__lte=day, closes_on__gte=day, published_at__isnull=True))


def reopenings(*, actor: Any, year: int | None = None) -> QuerySet[WindowReopening]:
    qs = WindowReopening.objects.restrict(actor).select_related("region", "by")
    if year:
        qs = qs.filter(year=year)
    return qs


# ---------------------------------------------------------------------------------- 应统尽统 reconciliation
@dataclass
class Gap:
    city: Region
    region: Region
    library: Decimal  # the month's investment the library's projects report (万元)
    statistics: Decimal | None  # the statistics bureau's month figure of 技术改造投资 (万元); None = missing
    projects: int = 0

    @property
    def difference(self) -> Decimal:
        return self.library - (self.statistics or Decimal(0))


@dataclass
class Reconciliation:
    year: int
    month: int
    uncovered: list[Gap] = field(default_factory=list)  # projects report more than the statistics cover
    unbacked: list[Gap] = field(default_factory=list)  # statistics report where no project reports
    cities: dict[str, dict[str, int]] = field(default_factory=dict)  # city code → counts of both


def _city_of(region: Region, regions: dict[str, Region]) -> Region:
    r = region
    while r.parent_id and r.level not in (RegionLevel.CITY, RegionLevel.PROVINCE):
        r = regions[r.parent_id]
    return r


def reconciliation(*, actor: Any, year: int, month: int, city_code: str | None = None) -> Reconciliation:
    """应统尽统 for one month, per county: (1) projects of the library reporting investment that the
    statistics for their region and month do not cover (no figure, or a month figure below the library's);
    (2) the reverse: the statistics report technical-transformation investment where no project reports
    progress. The projects behind (1) are read with `reconciliation_projects`."""
    month_first = datetime.date(year, month, 1)
    reports = (
        ProgressReport.objects.restrict(actor)
        .filter(
            month=month_first, project__library_status=LibraryStatus.IN_LIBRARY, investment_completed__gt=0
        )
        .values("project__enterprise__region_id")
        .annotate(total=Sum("investment_completed"), n=Count("id"))
    )
    library: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for r in reports:
        library[r["project__enterprise__region_id"]] = r["total"] / WAN
        counts[r["project__enterprise__region_id"]] = r["n"]
    stats_rows = MonthlyRollup.objects.restrict(actor).filter(
        year=year,
        month=month,
        indicator__code="ti_investment",
        region_level__in=(RegionLevel.COUNTY, RegionLevel.ZONE),
    )
    statistics = {r.region_id: r.month_value for r in stats_rows}
    # Jiyuan and a city entering for itself: their own month figure (no county rows under them)
    for r in MonthlyRollup.objects.restrict(actor).filter(
        year=year, month=month, indicator__code="ti_investment", region_id__in=list(library)
    ):
        statistics.setdefault(r.region_id, r.month_value)
    regions = {r.code: r for r in Region.objects.all()}
    out = Reconciliation(year, month)
    for code, lib in sorted(library.items()):
        region = regions[code]
        city = _city_of(region, regions)
        if city_code and city.pk != city_code:
            continue
        stat = statistics.get(code)
        if stat is None or stat < lib:
            out.uncovered.append(Gap(city, region, lib.quantize(Decimal("0.01")), stat, counts.get(code, 0)))
            out.cities.setdefault(city.pk, {"uncovered": 0, "unbacked": 0})["uncovered"] += 1
    for code, stat in sorted(statistics.items()):
        if stat is None or stat <= 0 or code in library:
            continue
        region = regions[code]
        city = _city_of(region, regions)
        if city_code and city.pk != city_code:
            continue
        out.unbacked.append(Gap(city, region, Decimal(0), stat))
        out.cities.setdefault(city.pk, {"uncovered": 0, "unbacked": 0})["unbacked"] += 1
    return out


def reconciliation_projects(
    *, actor: Any, year: int, month: int, region_code: str
) -> QuerySet[ProgressReport]:
    """The progress reports of one region and month behind an "uncovered" line (the projects to check)."""
    return (
        ProgressReport.objects.restrict(actor)
        .filter(
            month=datetime.date(year, month, 1),
            project__library_status=LibraryStatus.IN_LIBRARY,
            investment_completed__gt=0,
            project__enterprise__region_id=region_code,
        )
        .select_related("project", "project__enterprise")
        .order_by("-investment_completed")
    )


def months_to_enter(*, actor: Any, today: datetime.date) -> int:
    """Open months (window open today and unpublished, or reopened for the actor's region) in which the
    actor's region has not yet entered every indicator it reports (the workbench tile 本月待填报). A few
    queries whatever the number of indicators: the workbench draws it on every visit."""
    from .services.values import enterable_indicators

    region = getattr(actor, "region", None)
    if region is None:
        return 0
    months = set(
        EntryWindow.objects.filter(
            opens_on__lte=today, closes_on__gte=today, published_at__isnull=True
        ).values_list("year", "month")
    )
    months |= set(
        WindowReopening.objects.filter(region=region, until__gte=today).values_list("year", "month")
    )
    if not months:
        return 0
    wanted = {i.pk for i in enterable_indicators(region)}
    if not wanted:
        return 0
    have: dict[tuple[int, int], set[int]] = {}
    q = Q()
    for year, month in months:
        q |= Q(year=year, month=month)
    rows = MonthlyValue.objects.filter(q, region=region, indicator_id__in=wanted).values_list(
        "year", "month", "indicator_id"
    )
    for year, month, ind in rows:
        have.setdefault((year, month), set()).add(ind)
    return sum(1 for key in months if wanted - have.get(key, set()))
