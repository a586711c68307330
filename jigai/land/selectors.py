"""Land reads, always from the gate (`restrict(actor, "view")`): the zero-new-land cases, one case's screen,
the waivers with their rates and dates and their sums per city and year, the figures for the monitoring
dashboards, the rates, and the priority list for industrial land (四（二） 优先工业用地保障).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jigai.accounts.permissions import can, require
from jigai.accounts.roles import Role
from jigai.accounts.scope import get_scoped_or_404
from jigai.core.workflow import Move
from jigai.regions.models import Region, RegionLevel
from jigai.registry.models import LibraryStatus, Qualification, QualificationKind, QualificationStatus, Title

from .models import CaseStatus, FeeKind, FeeRate, LandCase, LandCaseEvent, LandNeed
from .rates import city_code_of, rate_in_force, waived
from .services import allowed_moves, city_zones

ZERO = Decimal("0")

# ---------------------------------------------------------------------------------------------- cases


def case_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[LandCase]:
    """The cases the actor may see, filtered by status, region (code, with what lies below), year of the
    check and a search over project and enterprise names."""
    require(actor, "land.view")
    filters = filters or {}
    qs = LandCase.objects.restrict(actor, "view").select_related("project__enterprise__region")
    if (status := filters.get("status")) in CaseStatus.values:
        qs = qs.filter(status=status)
    if region := (filters.get("region") or "").strip():
        qs = qs.filter(
            Q(project__enterprise__region__code=region)
            | Q(project__enterprise__region__path__contains=f"/{region}/")
        )
    if (year := str(filters.get("year") or "").strip()).isdigit():
        qs = qs.filter(checked_on__year=int(year))
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(project__name__icontains=q) | Q(project__enterprise__name__icontains=q))
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class Estimate:
    """What the waiver would be with the rates in force on `on` (before the check freezes it)."""

    on: dt.date
    premium: FeeRate | None
    municipal: FeeRate | None
    premium_waived: Decimal | None
    municipal_waived: Decimal | None
    total: Decimal | None
    missing: list[str]


def estimate(case: LandCase, on: dt.date | None = None) -> Estimate:
    """The waiver with today's rates (or those of `on`), for a case not yet checked 合格. A missing rate is
    named, never counted as zero."""
    on = on or timezone.localdate()
    city = city_code_of(case.project.enterprise.region.path)
    found: dict[str, FeeRate | None] = {}
    missing = []
    for kind in FeeKind:
        found[kind] = rate_in_force(FeeRate.objects.all(), city_code=city, zone=case.zone, kind=kind, on=on)
        if found[kind] is None:
            missing.append(kind.label)
    p, m = found[FeeKind.PREMIUM], found[FeeKind.MUNICIPAL]
    pw = waived(case.added_floor_area, p.per_m2) if p else None
    mw = waived(case.added_floor_area, m.per_m2) if m else None
    total = pw + mw if pw is not None and mw is not None else None
    return Estimate(on, p, m, pw, mw, total, missing)


@dataclass(frozen=True)
class CaseScreen:
    case: LandCase
    moves: list[Move]
    move_fields: dict[str, tuple[str, ...]]
    estimate: Estimate | None  # None once frozen (checked 合格)
    events: list[LandCaseEvent]
    city_zones: list[str] = field(default_factory=list)


def case_detail(*, actor: Any, pk: Any) -> CaseScreen:
    """One case for the actor: its facts, the moves the actor may make now, the waiver (frozen, or an
    estimate with today's rates), its history."""
    from .services import MOVE_FIELDS

    require(actor, "land.view")
    case = get_scoped_or_404(
        LandCase.objects.select_related("project__enterprise__region", "checked_by"), actor, "view", pk=pk
    )
    may_change = LandCase.objects.restrict(actor, "change").filter(pk=case.pk).exists()
    moves = allowed_moves(actor=actor, case=case) if may_change else []
    events = list(case.events.select_related("actor").order_by("created_at", "id"))
    frozen = case.status == CaseStatus.PASSED
    return CaseScreen(
        case=case,
        moves=moves,
        move_fields={m.action: MOVE_FIELDS[m.action] for m in moves},
        estimate=None if frozen else estimate(case),
        events=events,
        city_zones=city_zones(city_code_of(case.project.enterprise.region.path)),
    )


def registrable_projects(*, actor: Any) -> Any:
    """Zero-new-land projects of the actor's region not yet on the track (the county's register form)."""
    from jigai.registry.models import Project

    if not can(actor, "land.manage"):
        return Project.objects.none()
    return (
        Project.objects.restrict(actor, "change")
        .filter(zero_new_land=True, land_case__isnull=True)
        .exclude(library_status=LibraryStatus.DRAFT)
        .select_related("enterprise")
        .order_by("enterprise__name", "name")
    )


# ---------------------------------------------------------------------------------------------- waivers


def waiver_cases(*, actor: Any, year: int) -> QuerySet[LandCase]:
    """The cases checked 合格 in `year` (their waivers frozen), in the actor's scope."""
    require(actor, "land.view")
    return (
        LandCase.objects.restrict(actor, "view")
        .filter(status=CaseStatus.PASSED, checked_on__year=year)
        .select_related("project__enterprise__region")
        .order_by("project__enterprise__region__code", "checked_on", "id")
    )


def _group_key(path: str, group_by: str) -> str:
    if group_by == "province":
        return "410000"
    if group_by == "county":
        parts = [p for p in path.split("/") if p]
        return parts[-1] if parts else ""
    return city_code_of(path)


def land_figures(
    actor: Any, *, year: int, group_by: str = "city", region: Region | None = None
) -> list[dict[str, Any]]:
    """For the monitoring dashboards: per city (or county, or the province) in the actor's scope and, when
    `region` is given, within that region (a narrowing of the gate, never a widening), the zero-new-land
    projects checked 合格 in `year`, their added floor area and the amount waived (yuan, Decimal). Sorted
    by region code."""
    if group_by not in ("city", "county", "province"):
        raise ValueError(f"group_by must be city, county or province, not {group_by!r}")
    cases = waiver_cases(actor=actor, year=year)
    if region is not None:
        cases = cases.filter(
            Q(project__enterprise__region__path=region.path)
            | Q(project__enterprise__region__path__startswith=f"{region.path}/")
        )
    rows = cases.values_list(
        "project__enterprise__region__path", "added_floor_area", "premium_waived", "municipal_waived"
    )
    sums: dict[str, dict[str, Any]] = {}
    for path, area, premium, municipal in rows:
        key = _group_key(path, group_by)
        s = sums.setdefault(
            key, {"projects": 0, "added_floor_area": ZERO, "premium_waived": ZERO, "municipal_waived": ZERO}
        )
        s["projects"] += 1
        s["added_floor_area"] += area
        s["premium_waived"] += premium or ZERO
        s["municipal_waived"] += municipal or ZERO
    names = dict(Region.objects.filter(code__in=sums).values_list("code", "name"))
    return [
        {
            "region_code": code,
            "region_name": names.get(code, code),
            "year": year,
            **s,
            "amount_waived": s["premium_waived"] + s["municipal_waived"],
        }
        for code, s in sorted(sums.items())
    ]


def waiver_totals(figures: Iterable[dict[str, Any]]) -> dict[str, Any]:
    out = {
        "projects": 0,
        "added_floor_area": ZERO,
        "premium_waived": ZERO,
        "municipal_waived": ZERO,
        "amount_waived": ZERO,
    }
    for f in figures:
        for k in out:
            out[k] += f[k]
    return out


def waiver_years(*, actor: Any) -> list[int]:
    require(actor, "land.view")
    dates = (
        LandCase.objects.restrict(actor, "view")
        .filter(status=CaseStatus.PASSED, checked_on__isnull=False)
        .dates("checked_on", "year")
    )
    years = {d.year for d in dates} | {timezone.localdate().year}
    return sorted(years, reverse=True)


# ---------------------------------------------------------------------------------------------- rates


def rate_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[FeeRate]:
    require(actor, "land.view")
    filters = filters or {}
    qs = FeeRate.objects.restrict(actor, "view").select_related("city")
    if city := (filters.get("city") or "").strip():
        qs = qs.filter(city_id=city)
    if (kind := filters.get("kind")) in FeeKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("city_id", "zone", "kind", "-valid_from", "-id")


def rates_in_force(*, actor: Any, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Per city and zone, the rates in force on `on` (today): what the 收费标准 page shows first."""
    require(actor, "land.view")
    on = on or timezone.localdate()
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    qs = FeeRate.objects.restrict(actor, "view").filter(valid_from__lte=on).select_related("city")
    for r in qs.order_by("city_id", "zone", "kind", "-valid_from", "-id"):
        row = seen.setdefault(
            (r.city_id, r.zone), {"city": r.city, "zone": r.zone, "premium": None, "municipal": None}
        )
        if row[r.kind] is None:
            row[r.kind] = r
    return list(seen.values())


def rate_cities(*, actor: Any) -> list[Region]:
    """The cities whose rates the actor may set (the province: all 18; a city: its own)."""
    if not can(actor, "land.rates"):
        return []
    cities = Region.objects.filter(level=RegionLevel.CITY).order_by("code")
    if actor.role == Role.CITY:
        cities = cities.filter(code=actor.region_id)
    return list(cities)


def all_cities() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.CITY).order_by("code"))


def rate_in_use(rate: FeeRate) -> bool:
    return LandCase.objects.filter(Q(premium_rate=rate) | Q(municipal_rate=rate)).exists()


# ---------------------------------------------------------------------------------------------- priority list

# The honour weight of an enterprise for the priority list: verified qualifications in force and titles
# (四（二） asks to favour the technical-transformation projects; the programme favours its leading firms).
HONOUR_WEIGHTS = {
    QualificationKind.LEADING_GOOSE: 3,
    QualificationKind.NATIONAL_LITTLE_GIANT: 2,
    QualificationKind.SINGLE_CHAMPION: 2,
    QualificationKind.PROVINCIAL_SPECIALIZED: 1,
}
PRIORITY_RULE = (
    "排序规则（四（二） 优先保障技术改造项目用地）：① 已入库项目在前；② 企业荣誉分高的在前"
    "（已核验且在有效期内的头雁企业 3 分，国家级专精特新“小巨人”、制造业单项冠军各 2 分，省级专精特新 1 分，"
    "每项试点示范称号 1 分，取最高资质分加称号分）；③ 投资强度（总投资 ÷ 新增用地面积）高的在前；"
    "④ 总投资大的在前；⑤ 登记早的在前。"
)


@dataclass(frozen=True)
class PriorityRow:
    rank: int
    need: LandNeed
    in_library: bool
    honour: int
    intensity: Decimal  # yuan per m² of land needed
    city_code: str


def _honours(enterprise_ids: set[int]) -> dict[int, int]:
    today = timezone.localdate()
    best: dict[int, int] = {}
    quals = Qualification.objects.filter(
        enterprise_id__in=enterprise_ids, status=QualificationStatus.VERIFIED, kind__in=list(HONOUR_WEIGHTS)
    ).filter(Q(valid_from__lte=today, valid_to__gte=today))
    for ent_id, kind in quals.values_list("enterprise_id", "kind"):
        best[ent_id] = max(best.get(ent_id, 0), HONOUR_WEIGHTS[kind])
    titles = dict(
        Title.objects.filter(enterprise_id__in=enterprise_ids)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .values_list("enterprise_id", "n")
    )
    return {e: best.get(e, 0) + titles.get(e, 0) for e in enterprise_ids}


def priority_list(*, actor: Any, city: str = "", include_met: bool = False) -> list[PriorityRow]:
    """The open land needs the actor sees, ranked within each city by PRIORITY_RULE (rank 1 first)."""
    require(actor, "land.manage")
    qs = LandNeed.objects.restrict(actor, "view").select_related("project__enterprise__region")
    if not include_met:
        qs = qs.filter(met_on__isnull=True)
    if city:
        qs = qs.filter(
            Q(project__enterprise__region__code=city)
            | Q(project__enterprise__region__path__contains=f"/{city}/")
        )
    needs = list(qs)
    honours = _honours({n.project.enterprise_id for n in needs})
    keyed = []
    for n in needs:
        p = n.project
        in_library = p.library_status == LibraryStatus.IN_LIBRARY
        intensity = (p.total_investment / n.area).quantize(Decimal("0.01"))
        honour = honours.get(p.enterprise_id, 0)
        key = (not in_library, -honour, -intensity, -p.total_investment, n.created_at, n.pk)
        keyed.append((city_code_of(p.enterprise.region.path), key, n, in_library, honour, intensity))
    keyed.sort(key=lambda t: (t[0], t[1]))
    rows, ranks = [], {}
    for code, _key, n, in_library, honour, intensity in keyed:
        ranks[code] = ranks.get(code, 0) + 1
        rows.append(PriorityRow(ranks[code], n, in_library, honour, intensity, code))
    return rows


def need_projects(*, actor: Any) -> Any:
    """Projects of the actor's region that may get a land need (not zero-new-land, none recorded yet)."""
    from jigai.registry.models import Project

    if not can(actor, "land.manage"):
        return Project.objects.none()
    return (
        Project.objects.restrict(actor, "change")
        .filter(zero_new_land=False, land_need__isnull=True)
        .exclude(library_status=LibraryStatus.DRAFT)
        .select_related("enterprise")
        .order_by("enterprise__name", "name")
    )
