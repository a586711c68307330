"""Demo data of the steering loop (`jigai demo`): three years of monthly figures for every city and
county, consistent with the project library (the statistics' technical-transformation investment of a
county covers what its demo projects report), this year's targets published — confirmed by most cities,
洛阳 (the demo city reviewer's) still to sign, 郑州 asking for a change — and this month's entry window
open. Written in bulk; the rollups are refreshed once at the end (then H10C's warnings)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from jigai.registry.demo import DEMO_BUILDERS, DEMO_RESETTERS, DemoContext
from jigai.registry.models import LibraryStatus, ProgressReport
from jigai.workdays.services import add_working_days

from .models import (
    EntryWindow,
    Indicator,
    LetterStatus,
    MonthlyRollup,
    MonthlyValue,
    Source,
    Target,
    TargetLetter,
    TargetStatus,
    ValueStatus,
    WindowReopening,
)
from .services.computed import refresh_computed
from .services.rollups import refresh_all_rollups
from .services.values import default_window

PENDING_CITY, CHANGE_CITY, LAGGING_CITY = "410300", "410100", "410900"  # 洛阳, 郑州, 濮阳
UNFILLED_COUNTY = "410305"  # 涧西区 (the demo county reviewer's): this month still to enter
Q = Decimal("0.01")
# city-entered counts: the yearly amount per city, as large as its target (濮阳, growing 0.8×, falls behind)
CITY_COUNTS = {"new_technologies": 6, "smart_factories": 4, "smart_workshops": 8, "green_parks": 2}


def _months(today: dt.date) -> list[tuple[int, int]]:
    """Every data month from January two years ago to last month."""
    last_y, last_m = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    out = []
    for y in range(today.year - 2, last_y + 1):
        for m in range(1, 13):
            if (y, m) <= (last_y, last_m):
                out.append((y, m))
    return out


def _library_ytd() -> dict[tuple[str, int, int], Decimal]:
    """The demo projects' investment (万元) per county and data month, year-to-date."""
    monthly: dict[tuple[str, int, int], Decimal] = {}
    rows = (
        ProgressReport.objects.filter(project__library_status=LibraryStatus.IN_LIBRARY)
        .values_list("project__enterprise__region_id", "month")
        .annotate(v=Sum("investment_completed"))
    )
    for code, month, v in rows:
        monthly[(code, month.year, month.month)] = (v or Decimal(0)) / 10000
    # year-to-date for every month of a year from its first report on (a month without a report keeps
    # the total so far — the statistics must cover that too)
    acc: dict[tuple[str, int, int], Decimal] = {}
    for code, y in sorted({(c, yy) for c, yy, _m in monthly}):
        total = Decimal(0)
        for m in range(1, 13):
            total += monthly.get((code, y, m), Decimal(0))
            if total:
                acc[(code, y, m)] = total
    return acc


def build_monitoring(ctx: DemoContext) -> None:
    rng = random.Random(20260)
    today = ctx.today
    months = _months(today)
    regions = ctx.regions
    inds = {i.code: i for i in Indicator.objects.all()}
    cities = sorted(c for c, r in regions.items() if r.level == "city")
    reporters = sorted(  # the county-level reporters: counties, and Jiyuan (a city without counties)
        c
        for c, r in regions.items()
        if r.level == "county"
        or (r.level == "city" and not any(x.parent_id == c and x.level == "county" for x in regions.values()))
    )
    city_of = {c: (regions[c].parent_id if regions[c].level == "county" else c) for c in reporters}
    growth = {c: Decimal(str(rng.uniform(1.08, 1.32))) for c in cities}
    growth[LAGGING_CITY] = Decimal("0.80")  # 濮阳 falls behind: red on the dashboards
    lib = _library_ytd()
    last_y, last_m = months[-1]
    values: list[MonthlyValue] = []

    def add(code: str, ind: str, y: int, m: int, v: Decimal, source: str) -> None:
        published = (y, m) != (last_y, last_m)
        v = v.quantize(Q)
        values.append(
            MonthlyValue(
                indicator=inds[ind],
                region_id=code,
                year=y,
                month=m,
                value=v,
                source=source,
                status=ValueStatus.PUBLISHED if published else ValueStatus.REPORTED,
                as_reported=v if published else None,
            )
        )

    # county level: 技改投资 and 工业投资 (统计局), 中小企业上云 (entered)
    base = {c: Decimal(rng.randint(8000, 60000)) for c in reporters}
    for code in reporters:
        g = growth[city_of[code]]
        for y, m in months:
            scale = g ** (y - (today.year - 2))
            noise = Decimal(str(rng.uniform(0.92, 1.08)))
            ti = base[code] * scale * m / 12 * noise
            ti = max(
                ti, lib.get((code, y, m), Decimal(0)) * Decimal("1.15")
            )  # the statistics cover the library
            add(code, "ti_investment", y, m, ti, Source.IMPORTED)
            add(
                code, "industrial_investment", y, m, ti * Decimal(str(rng.uniform(2.6, 3.4))), Source.IMPORTED
            )
            if (y, m) == (last_y, last_m) and code == UNFILLED_COUNTY:
                continue
            add(code, "sme_cloud", y, m, Decimal(rng.randint(12, 30)) * m * scale, Source.ENTERED)
    # Make every year-to-date total rise month by month (noise must not make a cumulative figure fall).
    by_key: dict[tuple[str, str, int], list[MonthlyValue]] = {}
    for v in values:
        by_key.setdefault((v.indicator.code, v.region_id, v.year), []).append(v)
    for rows in by_key.values():
        rows.sort(key=lambda r: r.month)
        for prev, cur in itertools.pairwise(rows):
            if cur.value < prev.value:
                cur.value = prev.value
                if cur.as_reported is not None:
                    cur.as_reported = cur.value
    # city level: counts (cumulative within the year) and indexes (levels)
    for code in cities:
        g = growth[code]
        for y, m in months:
            k = y - (today.year - 2)
            for ind, per_year in CITY_COUNTS.items():
                add(code, ind, y, m, Decimal(int(per_year * float(g) * m / 12 + 0.5)), Source.ENTERED)
            add(
                code, "informatization_index", y, m, Decimal(55 + 2 * k) + Decimal(m) / 10 * g, Source.ENTERED
            )
            add(code, "smart_readiness", y, m, Decimal(9 + k) + Decimal(m) / 20 * g, Source.ENTERED)
            add(code, "energy_intensity_decline", y, m, Decimal(str(rng.uniform(2.5, 5.5))), Source.IMPORTED)
            add(code, "emission_decline", y, m, Decimal(str(rng.uniform(2.0, 6.0))), Source.IMPORTED)
    MonthlyValue.objects.bulk_create(values, batch_size=2000)
    n_computed = sum(refresh_computed(year=y, rollups=False) for y in sorted({y for y, _m in months}))
    _windows(today, months)
    n_targets = _targets(ctx, today.year, inds, cities, base, growth, city_of)
    written = refresh_all_rollups(sorted({y for y, _m in months} | {today.year}))
    ctx.add("月度数据", len(values) + n_computed)
    ctx.add("年度目标", n_targets)
    ctx.add("月度汇总", written)


def _windows(today: dt.date, months: list[tuple[int, int]]) -> None:
    """A window per data month, the default one in working days (from the first working day of the month
    after, 10 working days: services.values.default_window); the last one open today, unpublished, closing on
    the fifth working day from today."""
    now = timezone.now()
    rows = []
    for y, m in months:
        opens_on, closes_on = default_window(y, m)
        rows.append(EntryWindow(year=y, month=m, opens_on=opens_on, closes_on=closes_on, published_at=now))
    last = rows[-1]
    last.opens_on, last.closes_on, last.published_at = (
        today - dt.timedelta(days=3),
        add_working_days(today, 5),
        None,
    )
    EntryWindow.objects.bulk_create(rows)


def _targets(
    ctx: DemoContext,
    year: int,
    inds: dict[str, Indicator],
    cities: list[str],
    base: dict,
    growth: dict,
    city_of: dict,
) -> int:
    """This year's city targets (the province's total = their sum), published; letters signed by most
    cities, 洛阳 pending, 郑州 asking for a change."""
    province = ctx.users.get("shengting")
    now = timezone.now()
    city_base: dict[str, Decimal] = {c: Decimal(0) for c in cities}
    for code, b in base.items():
        city_base[city_of[code]] += b
    per_city: dict[str, dict[str, Decimal]] = {
        "ti_investment": {c: (city_base[c] * Decimal("1.15") ** 2).quantize(Decimal(1)) for c in cities},
        "sme_cloud": {c: Decimal(1600 + 50 * i) for i, c in enumerate(cities)},
        "new_technologies": {c: Decimal(6) for c in cities},
        "smart_factories": {c: Decimal(4) for c in cities},
        "smart_workshops": {c: Decimal(8) for c in cities},
        "green_parks": {c: Decimal(2) for c in cities},
        "informatization_index": {c: Decimal(62) for c in cities},
        "smart_readiness": {c: Decimal(13) for c in cities},
    }
    rows: list[Target] = []
    for code, by_city in per_city.items():
        ind = inds[code]
        if ind.additive:
            rows.append(
                Target(
                    year=year,
                    indicator=ind,
                    region_id="410000",
                    value=sum(by_city.values(), Decimal(0)),
                    status=TargetStatus.PUBLISHED,
                    set_by=province,
                    published_at=now,
                )
            )
        for c, v in by_city.items():
            status = TargetStatus.CONFIRMED
            if c == PENDING_CITY:
                status = TargetStatus.PUBLISHED
            elif c == CHANGE_CITY:
                status = TargetStatus.CHANGE_REQUESTED
            rows.append(
                Target(
                    year=year,
                    indicator=ind,
                    region_id=c,
                    value=v,
                    status=status,
                    set_by=province,
                    published_at=now,
                )
            )
    Target.objects.bulk_create(rows)
    letters = []
    for c in cities:
        lt = TargetLetter(year=year, region_id=c, issued_at=now, issued_by=province)
        if c == PENDING_CITY:
            lt.status = LetterStatus.PENDING
        elif c == CHANGE_CITY:
            lt.status, lt.change_reason, lt.change_requested_at = (
                LetterStatus.CHANGE_REQUESTED,
                "郑州市技改投资基数受重大项目竣工影响，申请调减年度目标。",
                now,
            )
        else:
            lt.status, lt.signed_on, lt.signatories = LetterStatus.CONFIRMED, ctx.today, "市长、省工信厅厅长"
            lt.confirmed_at = now
        letters.append(lt)
    TargetLetter.objects.bulk_create(letters)
    return len(rows)


def reset_monitoring() -> None:
    """Delete every monitoring row (the demo owns the steering loop's data)."""
    MonthlyRollup.objects.all().delete()
    MonthlyValue.objects.all().delete()
    Target.objects.all().delete()
    TargetLetter.objects.all().delete()
    WindowReopening.objects.all().delete()
    EntryWindow.objects.all().delete()
    try:
        from .models import WarningStatus

        WarningStatus.objects.all().delete()
    except ImportError:  # pragma: no cover
        pass


if build_monitoring not in DEMO_BUILDERS:
    DEMO_BUILDERS.append(build_monitoring)
if reset_monitoring not in DEMO_RESETTERS:
    DEMO_RESETTERS.insert(0, reset_monitoring)
