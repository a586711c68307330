"""Demo data of land support (`jigai demo`): fee rates for all 18 cities (郑州、开封、洛阳 by zone; two cities
with a rate change in the middle of last year, so older cases show the old rate kept), about 20
zero-new-land cases in each state of the build-first-check-later track (those of 洛阳市涧西区 first, where
the demo reviewers xianji and shiji work), and land needs for the priority list.

The waivers of the checked cases are frozen by the services' own `_freeze` (the same rates and arithmetic).
Registered in the registry's DEMO_BUILDERS / DEMO_RESETTERS.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jigai.regions.models import Region, RegionLevel
from jigai.registry.demo import DEMO_BUILDERS, DEMO_RESETTERS, DemoContext, demo_enterprises
from jigai.registry.models import LibraryStatus, Project

from .models import CaseStatus, CheckResult, FeeKind, FeeRate, LandCase, LandCaseEvent, LandNeed
from .rates import city_code_of
from .services import _freeze

DEMO_DOC = "（演示数据）"
PER_STATE = 20
ZONED = {"410100": ("一类区域", "二类区域", "三类区域"), "410200": ("一类区域", "二类区域"),
         "410300": ("一类区域", "二类区域", "三类区域")}  # fmt: skip
CHANGED = ("410100", "410700")  # a new rate from 1 July of last year
COUNTY, CITY = "410305", "410300"
STATES = [
    CaseStatus.REGISTERED,
    CaseStatus.STARTED,
    CaseStatus.COMPLETED,
    CaseStatus.PASSED,
    CaseStatus.FAILED,
]


def _rates(ctx: DemoContext) -> None:
    rng = ctx.rng
    since = dt.date(ctx.today.year - 4, 1, 1)
    change = dt.date(ctx.today.year - 1, 7, 1)
    made = 0
    for city in Region.objects.filter(level=RegionLevel.CITY).order_by("code"):
        zones = ZONED.get(city.code, ("",))
        for i, zone in enumerate(zones):
            premium = Decimal(rng.randrange(18000, 42000, 500)) / 100 - i * 40
            municipal = Decimal(rng.randrange(8000, 15000, 500)) / 100 - i * 10
            for kind, value in ((FeeKind.PREMIUM, premium), (FeeKind.MUNICIPAL, municipal)):
                dates = [(since, value)]
                if city.code in CHANGED:
                    dates.append((change, value + Decimal("30.00")))
                for valid_from, per_m2 in dates:
                    _r, created = FeeRate.objects.get_or_create(
                        city=city,
                        zone=zone,
                        kind=kind,
                        valid_from=valid_from,
                        defaults={
                            "per_m2": per_m2.quantize(Decimal("0.01")),
                            "document_no": f"{city.name}收费标准{DEMO_DOC}",
                        },
                    )
                    made += created
    ctx.add("收费标准", made)


def _pool(project: Project) -> int:
    path = project.enterprise.region.path
    if path.endswith(COUNTY):
        return 0
    return 1 if f"/{CITY}/" in path else 2


def _case(ctx: DemoContext, project: Project, state: str, n: int) -> LandCase:
    rng = ctx.rng
    city = city_code_of(project.enterprise.region.path)
    zones = ZONED.get(city, ("",))
    county, city_user = ctx.users.get("xianji"), ctx.users.get("shiji")
    today = ctx.today
    started = today - dt.timedelta(days=rng.randint(200, 700))
    case = LandCase(
        project=project,
        zone=zones[n % len(zones)],
        added_floor_area=project.added_floor_area or Decimal("5000.00"),
        status=state,
    )
    events: list[tuple[str, str, str, str]] = [("register", "", CaseStatus.REGISTERED, "")]
    if state != CaseStatus.REGISTERED:
        case.started_on = started
        events.append(("start", CaseStatus.REGISTERED, CaseStatus.STARTED, ""))
    if state in (CaseStatus.COMPLETED, CaseStatus.PASSED, CaseStatus.FAILED):
        case.completed_on = min(
            started + dt.timedelta(days=rng.randint(120, 360)), today - dt.timedelta(days=40)
        )
        events.append(("complete", CaseStatus.STARTED, CaseStatus.COMPLETED, ""))
    if state in (CaseStatus.PASSED, CaseStatus.FAILED):
        # checked this year or last: both years have sums
        checked = case.completed_on + dt.timedelta(days=rng.randint(10, 30))
        if n % 2 and checked.year == today.year:
            checked = max(case.completed_on, dt.date(today.year - 1, rng.randint(1, 12), 15))
        case.checked_on = min(checked, today)
        case.checking_unit = f"{Region.objects.get(code=city).name}自然资源和规划局、住房和城乡建设局"
        case.checked_by = city_user if city == CITY else None
        if state == CaseStatus.PASSED:
            case.check_result = CheckResult.PASS
            errors: dict[str, list[str]] = {}
            _freeze(case, errors)
            if errors:  # no rate in force on that day: leave it waiting for the check
                case.status, case.checked_on, case.checking_unit, case.checked_by = (
                    CaseStatus.COMPLETED,
                    None,
                    "",
                    None,
                )
                state = CaseStatus.COMPLETED
            else:
                events.append(
                    ("pass", CaseStatus.COMPLETED, CaseStatus.PASSED, "经现场核验，符合零增地要求。")
                )
        else:
            case.check_result = CheckResult.FAIL
            case.check_reason = "新增建筑超出原用地红线，需整改。"
            events.append(("fail", CaseStatus.COMPLETED, CaseStatus.FAILED, case.check_reason))
    local = city == CITY and project.enterprise.region.path.endswith(COUNTY)
    case.created_by = county if local else None
    case.save()
    LandCaseEvent.objects.bulk_create(
        [
            LandCaseEvent(
                case=case,
                actor=(city_user if a in ("pass", "fail") else county) if local else None,
                action=a,
                from_status=f,
                to_status=t,
                comment=c,
            )
            for a, f, t, c in events
        ]
    )
    return case


def _local_projects(ctx: DemoContext) -> None:
    """The demo reviewers need work in their region, and qiye a case of its own: flag the featured
    enterprise's project in the library and, while 涧西区 has fewer than one per state, other 涧西区 demo
    projects as zero-new-land (demo rows only)."""
    base = Project.objects.filter(enterprise__in=demo_enterprises()).exclude(
        library_status=LibraryStatus.DRAFT
    )
    local = base.filter(enterprise__region_id=COUNTY)
    wanted = []
    if ctx.featured is not None:
        wanted += list(
            base.filter(enterprise=ctx.featured, zero_new_land=False, library_status=LibraryStatus.IN_LIBRARY)
            .order_by("pk")
            .values_list("pk", flat=True)[:1]
        )
    missing = len(STATES) - local.filter(zero_new_land=True).count()
    if missing > 0:
        others = list(
            local.filter(zero_new_land=False)
            .exclude(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        wanted += others[: max(0, min(missing, len(others) - 2))]  # two stay for the county's land needs
    for n, pk in enumerate(wanted):
        area = Decimal(8000 + 1500 * n).quantize(Decimal("0.01"))
        Project.objects.filter(pk=pk).update(zero_new_land=True, added_floor_area=area)


# The featured project is checked 合格 (qiye sees its waiver); the local ones take one state each.
LOCAL_ORDER = [
    CaseStatus.PASSED,
    CaseStatus.COMPLETED,
    CaseStatus.STARTED,
    CaseStatus.REGISTERED,
    CaseStatus.FAILED,
]


def build_land(ctx: DemoContext) -> None:
    _rates(ctx)
    _local_projects(ctx)
    projects = list(
        Project.objects.filter(enterprise__in=demo_enterprises(), zero_new_land=True)
        .exclude(library_status=LibraryStatus.DRAFT)
        .select_related("enterprise__region")
        .order_by("pk")
    )
    featured = ctx.featured.pk if ctx.featured else None
    projects.sort(key=lambda p: (p.enterprise_id != featured, _pool(p), p.pk))
    made = 0
    for n, project in enumerate(projects[: PER_STATE * len(STATES)]):
        # the local projects (first) one of each state, then round-robin over the states
        order = LOCAL_ORDER if _pool(project) == 0 else STATES
        _case(ctx, project, order[n % len(order)], n)
        made += 1
    ctx.add("零增地项目", made)
    _needs(ctx)


def _needs(ctx: DemoContext) -> None:
    rng = ctx.rng
    projects = list(
        Project.objects.filter(enterprise__in=demo_enterprises(), zero_new_land=False)
        .exclude(library_status=LibraryStatus.DRAFT)
        .select_related("enterprise__region")
        .order_by("pk")
    )
    projects.sort(key=lambda p: (_pool(p), p.pk))
    per_city: dict[str, int] = {}
    needs = []
    for p in projects:
        city = city_code_of(p.enterprise.region.path)
        if per_city.get(city, 0) >= 8:
            continue
        per_city[city] = per_city.get(city, 0) + 1
        needs.append(
            LandNeed(
                project=p,
                area=Decimal(rng.randrange(5000, 80000, 100)),
                note="新建厂房用于扩大产能。",
                created_by=ctx.users.get("xianji") if p.enterprise.region.path.endswith(COUNTY) else None,
            )
        )
    LandNeed.objects.bulk_create(needs)
    ctx.add("用地需求", len(needs))


def reset_land() -> None:
    """Delete the land rows of the demo enterprises and the demo rates no real case uses."""
    projects = Project.objects.filter(enterprise__in=demo_enterprises())
    LandCaseEvent.objects.filter(case__project__in=projects).delete()
    LandCase.objects.filter(project__in=projects).delete()
    LandNeed.objects.filter(project__in=projects).delete()
    used: Any = set(LandCase.objects.values_list("premium_rate", flat=True)) | set(
        LandCase.objects.values_list("municipal_rate", flat=True)
    )
    FeeRate.objects.filter(document_no__endswith=DEMO_DOC).exclude(pk__in=[u for u in used if u]).delete()


if build_land not in DEMO_BUILDERS:
    DEMO_BUILDERS.append(build_land)
if reset_land not in DEMO_RESETTERS:
    DEMO_RESETTERS.append(reset_land)
