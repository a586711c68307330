"""The registry's demo rows: enterprises and, chunk by chunk, everything that hangs on them — their
qualifications here, projects with events and monthly progress (projects.py), products, platforms and
titles (objects.py)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from jigai.regions.models import Region

from ..excel.bulk import bulk_insert
from ..models import (
    Enterprise,
    EnterpriseStatus,
    Qualification,
    QualificationKind,
)
from .common import CHUNK, DemoContext, add_months, demo_uscc, person, short, weighted
from .data import (
    BRAND_1,
    BRAND_2,
    CITY_WEIGHTS,
    FEATURED_NAME,
    FEATURED_NEIGHBOURS,
    FEATURED_REGION,
    INDUSTRIES,
    SIZES,
    SUFFIXES,
)
from .objects import _platforms, _products, _titles
from .projects import _projects


def _county_units(ctx: DemoContext) -> list[Region]:
    """Where enterprises can be: counties, statistics zones, and Jiyuan (a county-level unit itself)."""
    return [r for r in ctx.regions.values() if r.level in ("county", "zone") or r.code == "419001"]


def _city_of(ctx: DemoContext, region: Region) -> Region:
    return region if region.level == "city" else ctx.regions[region.parent_id]


def _enterprise_regions(ctx: DemoContext) -> list[str]:
    """One enterprise in every county-level unit first, then the rest by city weight (zones count double:
    the development zones are where industry gathers)."""
    units = sorted(_county_units(ctx), key=lambda r: r.code)
    weights = []
    for r in units:
        city = _city_of(ctx, r)
        siblings = sum(1 for u in units if _city_of(ctx, u).code == city.code)
        weights.append(CITY_WEIGHTS.get(city.code, 3) / siblings * (2 if r.level == "zone" else 1))
    codes = [r.code for r in units][: ctx.n_enterprises]
    rest = max(0, ctx.n_enterprises - len(codes))
    codes += ctx.rng.choices([r.code for r in units], weights=weights, k=rest)
    # The demo county reviewer's 涧西区 has a few enterprises besides the featured one, so its queue has
    # work: taken from the end (the weighted draws, or for a small demo the last counties in code order).
    missing = FEATURED_NEIGHBOURS + 1 - codes.count(FEATURED_REGION)
    for i in range(len(codes) - 1, 0, -1):
        if missing <= 0:
            break
        if codes[i] != FEATURED_REGION and codes.count(codes[i]) > (1 if rest else 0):
            codes[i] = FEATURED_REGION
            missing -= 1
    return codes


def _name(ctx: DemoContext, region: Region, division: str, used: set[str]) -> str:
    rng = ctx.rng
    city = _city_of(ctx, region)
    for _ in range(50):
        local = short(region.name) if region.level == "county" else short(city.name)  # not "…开发区"
        place = weighted(rng, [(short(city.name), 60), ("河南", 25), (local, 15)])
        brand = rng.choice(BRAND_1) + rng.choice(BRAND_2)
        word = rng.choice(INDUSTRIES[division][1])
        name = f"{place}{brand}{word}{weighted(rng, SUFFIXES)}"
        if name not in used:
            used.add(name)
            return name
    name = f"{name[:-4]}{len(used)}有限公司"
    used.add(name)
    return name


def _enterprise(ctx: DemoContext, n: int, code: str, used: set[str]) -> Enterprise:
    rng = ctx.rng
    region = ctx.regions[code]
    division = weighted(rng, [(d, w) for d, (w, _words) in INDUSTRIES.items()])
    size = weighted(rng, SIZES)
    above = size in ("large", "medium") or (size == "small" and rng.random() < 0.5) or rng.random() < 0.05
    city = _city_of(ctx, region)
    place = city.name + (region.name if region is not city else "")
    return Enterprise(
        uscc=demo_uscc(code, n, rng),
        name=_name(ctx, region, division, used),
        region=region,
        industry_section="C",
        industry_division=division,
        size=size,
        above_designated_size=above,
        contact_person=person(rng),
        contact_phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        address=f"{place}{rng.choice(BRAND_1)}{rng.choice('山河园工业')}路{rng.randint(1, 999)}号",
        status=EnterpriseStatus.CONFIRMED,
        reviewed_at=timezone.now(),
        in_henan_declared=True,  # checked by the county in build_vouching, once the demo users exist
    )


def build_enterprises(ctx: DemoContext) -> None:
    """The enterprises, then (chunk by chunk, so memory stays bounded) everything that hangs on them."""
    rng = ctx.rng
    used: set[str] = set()
    featured = Enterprise(
        uscc=demo_uscc(FEATURED_REGION, 0, rng),
        name=FEATURED_NAME,
        region=ctx.regions[FEATURED_REGION],
        industry_section="C",
        industry_division="35",
        size="large",
        above_designated_size=True,
        contact_person="王志远",
        contact_phone="13803790001",
        address="洛阳市涧西区建设路 206 号",
        status=EnterpriseStatus.CONFIRMED,
        reviewed_at=timezone.now(),
        in_henan_declared=True,
    )
    used.add(FEATURED_NAME)
    codes = _enterprise_regions(ctx)
    # The featured enterprise takes the place of one of 涧西区's (the last one: first ones cover each county).
    spot = max((i for i, c in enumerate(codes) if c == FEATURED_REGION), default=len(codes) - 1)
    del codes[spot]
    total = len(codes) + 1
    # Made lazily, a chunk at a time: 100,000 enterprises never sit in memory together.
    made = itertools.chain([featured], (_enterprise(ctx, i + 1, code, used) for i, code in enumerate(codes)))
    for start in range(0, total, CHUNK):
        chunk = list(itertools.islice(made, CHUNK))
        bulk_insert(chunk)
        ctx.add("企业", len(chunk))
        _qualifications(ctx, chunk)
        _projects(ctx, chunk)
        _products(ctx, chunk)
        _platforms(ctx, chunk)
        _titles(ctx, chunk)
        ctx.enterprises.extend(
            (e.pk, e.region_id, e.industry_division, e.size, e.above_designated_size) for e in chunk
        )
        ctx.log(f"  企业 {start + len(chunk)}/{total}")
    ctx.featured = featured


def _qualifications(ctx: DemoContext, chunk: list[Enterprise]) -> None:
    rng, today = ctx.rng, ctx.today
    out: list[Qualification] = []

    def add(e: Enterprise, kind: str, level: str, years: int, doc: str, start: dt.date | None = None) -> None:
        start = start or dt.date(rng.randint(today.year - 4, today.year), rng.choice([1, 4, 7, 10]), 1)
        out.append(
            Qualification(
                enterprise=e,
                kind=kind,
                level=level,
                certificate_no=f"{doc}〔{start.year}〕{rng.randint(1, 120)}号",
                valid_from=start,
                valid_to=add_months(start, 12 * years) - dt.timedelta(days=1),
            )
        )

    for e in chunk:
        featured = e.name == FEATURED_NAME
        big = e.size in ("large", "medium") and e.above_designated_size
        r = rng.random()
        if featured or (big and r < 0.08):  # 头雁: the province's leading large enterprises
            add(
                e,
                QualificationKind.LEADING_GOOSE,
                "provincial",
                3,
                "豫工信企业",
                dt.date(today.year - 1, 1, 1),
            )
        r = rng.random()
        # Little giants are SMEs (never large), about 1.6% of all; they are provincial specialised too.
        if featured or (e.size != "large" and r < 0.0165):
            add(e, QualificationKind.NATIONAL_LITTLE_GIANT, "national", 3, "工信部企业函")
        if featured or (e.size != "large" and r < 0.165):  # provincial specialised SMEs, about 16%
            add(e, QualificationKind.PROVINCIAL_SPECIALIZED, "provincial", 3, "豫工信企业")
        if rng.random() < 0.0125:  # green factories, about 1.25%
            add(e, QualificationKind.GREEN_FACTORY, "national", 5, "工信厅节函")
        if big and rng.random() < 0.01:
            add(e, QualificationKind.SINGLE_CHAMPION, "national", 3, "工信部联政法")
    bulk_insert(out)
    ctx.add("资质", len(out))
