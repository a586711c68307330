"""The registry's demo rows: enterprises and, chunk by chunk, their qualifications, projects with events
and monthly progress, products, platforms and titles."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

from django.utils import timezone

from jigai.regions.models import Region

from ..excel.bulk import bulk_insert
from ..models import (
    AwardedBy,
    ConstructionStatus,
    Enterprise,
    EnterpriseStatus,
    InsurancePeriod,
    InsurancePolicy,
    InternetPlatformStatus,
    LibraryStatus,
    Platform,
    PlatformAssessment,
    PlatformKind,
    PlatformLevel,
    Product,
    ProductKind,
    ProductRecognition,
    ProgressReport,
    Project,
    ProjectCategory,
    ProjectEvent,
    Qualification,
    QualificationKind,
    SalesInvoice,
    Title,
    TitleKind,
)
from ..services.progress_totals import store_project_totals
from .common import CHUNK, WAN, YUAN, DemoContext, add_months, demo_uscc, money, person, short, weighted
from .data import (
    BRAND_1,
    BRAND_2,
    CITY_WEIGHTS,
    EQUIPMENT_NAMES,
    FEATURED_NAME,
    FEATURED_REGION,
    INDUSTRIES,
    PRODUCTS,
    SIZES,
    SOFTWARE_NAMES,
    SUFFIXES,
)


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


def _project_name(rng: random.Random, e: Enterprise, category: str) -> str:
    word = {
        ProjectCategory.HIGH_END: [
            "高端装备产业化",
            "新产品研发及产业化",
            "关键零部件扩能",
            "精密加工能力提升",
        ],
        ProjectCategory.INTELLIGENT: ["智能化生产线", "数字化车间", "智能工厂", "机器换人"],
        ProjectCategory.GREEN: ["余热余压利用", "节能降碳", "清洁生产", "废水循环利用"],
        ProjectCategory.SERVICE: ["远程运维服务平台", "总集成总承包能力提升", "供应链协同平台"],
    }[category]
    unit, product = PRODUCTS[e.industry_division]
    amount = rng.randint(1, 50) * (100 if unit in ("台", "辆") else 1)
    return f"年产{amount}{unit}{product}{rng.choice(word)}技术改造项目"


def _projects(ctx: DemoContext, chunk: list[Enterprise]) -> None:
    rng, today = ctx.rng, ctx.today
    projects: list[Project] = []
    for e in chunk:
        featured = e.name == FEATURED_NAME
        chance = 0.9 if e.above_designated_size else 0.25
        count = 3 if featured else (rng.choice([1, 1, 1, 2]) if rng.random() < chance else 0)
        for i in range(count):
            category = weighted(rng, [("intelligent", 40), ("high_end", 30), ("green", 20), ("service", 10)])
            # 5,000,000–300,000,000 yuan, log-uniform (most projects are small), in whole 万元
            total = (Decimal(str(round(5 * 60 ** rng.random(), 4))) * 1_000_000).quantize(WAN)
            equipment = (total * Decimal(str(rng.uniform(0.4, 0.7)))).quantize(WAN)
            software = (total * Decimal(str(rng.uniform(0.02, 0.1)))).quantize(WAN)
            machine = rng.random() < 0.15
            zero_land = rng.random() < 0.2
            start = dt.date(rng.randint(today.year - 3, today.year), rng.randint(1, 12), 1)
            if featured:
                start = add_months(today.replace(day=1), [-20, -8, 2][i])
            end = add_months(start, rng.randint(12, 36)) - dt.timedelta(days=1)
            if start > today:
                construction = ConstructionStatus.PLANNED
            elif end < today:
                construction = rng.choice([ConstructionStatus.COMPLETED, ConstructionStatus.ACCEPTED])
            else:
                construction = ConstructionStatus.UNDER_CONSTRUCTION
            status = weighted(
                rng,
                [("in_library", 75), ("county_checked", 8), ("submitted", 7), ("returned", 5), ("draft", 5)],
            )
            if featured:
                status = ["in_library", "submitted", "draft"][i]
            if start > today and status == "in_library":
                status = "county_checked"
            projects.append(
                Project(
                    enterprise=e,
                    name=_project_name(rng, e, category)
                    if not featured
                    else [
                        "大型矿用提升机智能化生产线技术改造项目",
                        "重型装备绿色化涂装线改造项目",
                        "远程运维服务平台建设项目",
                    ][i],
                    category=category if not featured else ["intelligent", "green", "service"][i],
                    is_machine_replacement=machine,
                    is_smart_factory=category == "intelligent" and rng.random() < 0.25,
                    total_investment=total,
                    equipment_investment=equipment,
                    software_investment=software,
                    machine_purchase_investment=(equipment * Decimal("0.6")).quantize(WAN)
                    if machine
                    else Decimal(0),
                    planned_start=start,
                    planned_end=end,
                    construction_status=construction,
                    zero_new_land=zero_land,
                    added_floor_area=money(rng.randint(2000, 30000)) if zero_land else None,
                    description="购置数控加工中心、工业机器人等设备，建设生产执行系统（MES），实现生产过程数字化管控。",
                    library_status=status,
                    submitted_at=timezone.now() if status != "draft" else None,
                    in_library_at=timezone.now() if status == "in_library" else None,
                    library_comment="请补充设备清单及节能评估报告。" if status == "returned" else "",
                )
            )
    bulk_insert(projects)
    ctx.add("项目", len(projects))
    _project_events(ctx, projects)
    _progress(ctx, projects)


_PATHS = {
    "draft": [],
    "submitted": ["submitted"],
    "returned": ["submitted", "returned"],
    "county_checked": ["submitted", "county_checked"],
    "in_library": ["submitted", "county_checked", "in_library"],
}


def _project_events(ctx: DemoContext, projects: list[Project]) -> None:
    events = []
    for p in projects:
        prev = "draft"
        for to in _PATHS[p.library_status]:
            comment = (
                p.library_comment
                if to == "returned"
                else "演示数据：材料齐全，同意。"
                if to != "submitted"
                else ""
            )
            events.append(ProjectEvent(project=p, from_status=prev, to_status=to, comment=comment))
            prev = to
    bulk_insert(events)


def _progress(ctx: DemoContext, projects: list[Project]) -> None:
    """Monthly reports of in-library projects from their start to last month (or their end), adding up to
    most of the total investment; about one project in ten under construction misses last month's report
    (the 应统尽统 flag has something to show)."""
    rng = ctx.rng
    last_month = add_months(ctx.today.replace(day=1), -1)
    reports: list[ProgressReport] = []
    for p in projects:
        if p.library_status != LibraryStatus.IN_LIBRARY or p.planned_start > last_month:
            continue
        months = []
        m = p.planned_start.replace(day=1)
        while m <= min(last_month, p.planned_end):
            months.append(m)
            m = add_months(m, 1)
        if p.construction_status == ConstructionStatus.UNDER_CONSTRUCTION and rng.random() < 0.1:
            months = months[:-1]
        if not months:
            continue
        span = max(
            1,
            (p.planned_end.year - p.planned_start.year) * 12
            + p.planned_end.month
            - p.planned_start.month
            + 1,
        )
        share = min(Decimal("0.97"), Decimal(len(months)) / span * Decimal(str(rng.uniform(0.8, 1.0))))
        target = p.total_investment * share
        weights = [rng.uniform(0.5, 1.5) for _ in months]
        scale = target / Decimal(str(sum(weights)))
        for month, w in zip(months, weights, strict=True):
            reports.append(
                ProgressReport(
                    project=p,
                    month=month,
                    investment_completed=(scale * Decimal(str(w))).quantize(YUAN, rounding="ROUND_DOWN"),
                    note=rng.choice(
                        ["设备安装调试中", "厂房改造完成", "设备到货验收", "系统联调", "按计划推进"]
                    ),
                )
            )
        if len(reports) >= 20 * CHUNK:
            bulk_insert(reports)
            ctx.add("月度进度", len(reports))
            reports = []
    bulk_insert(reports)
    ctx.add("月度进度", len(reports))
    store_project_totals(p.pk for p in projects)  # cumulative investment, latest month (kept as data)


def _products(ctx: DemoContext, chunk: list[Enterprise]) -> None:
    """First sets (with recognitions and insurance by year) and first versions (with sales invoices)."""
    rng, today = ctx.rng, ctx.today
    products = []
    for e in chunk:
        featured = e.name == FEATURED_NAME
        if featured or (e.industry_division in ("34", "35", "36", "37", "38", "40") and rng.random() < 0.04):
            products.append(
                Product(
                    enterprise=e,
                    kind=ProductKind.FIRST_SET,
                    name=f"{rng.choice(EQUIPMENT_NAMES)}",
                    model_spec=f"JG-{rng.randint(100, 999)}",
                )
            )
        if (e.industry_division == "39" and rng.random() < 0.08) or (not featured and rng.random() < 0.004):
            products.append(
                Product(
                    enterprise=e,
                    kind=ProductKind.FIRST_VERSION,
                    name=f"{rng.choice(SOFTWARE_NAMES)} V{rng.randint(1, 3)}.0",
                )
            )
    bulk_insert(products)
    recognitions, policies, invoices = [], [], []
    for p in products:
        recognized = dt.date(
            rng.randint(today.year - 3, today.year - 1), rng.randint(1, 12), rng.randint(1, 28)
        )
        level = "national" if rng.random() < 0.15 else "provincial"
        recognitions.append(
            ProductRecognition(
                product=p,
                level=level,
                recognized_on=recognized,
                document_no=f"豫工信装备〔{recognized.year}〕{rng.randint(1, 90)}号",
            )
        )
        if p.kind == ProductKind.FIRST_SET:
            amount = money(rng.randint(500, 20000) * 10000)
            policies.append(
                InsurancePolicy(
                    product=p,
                    insurer=rng.choice(
                        ["人保财险河南省分公司", "太平洋财险河南分公司", "平安财险河南分公司"]
                    ),
                    policy_number=f"PICC{recognized.year}{rng.randrange(10**8):08d}",
                    insured_amount=amount,
                )
            )
        else:
            for i in range(rng.randint(2, 5)):
                invoices.append(
                    SalesInvoice(
                        product=p,
                        number=f"41{recognized.year}{rng.randrange(10**8):08d}{i}",
                        invoice_date=recognized + dt.timedelta(days=30 * (i + 1)),
                        amount=money(rng.randint(20, 500) * 10000),
                        buyer=f"{rng.choice(['郑州', '洛阳', '新乡'])}某制造企业",
                    )
                )
    bulk_insert(recognitions)
    bulk_insert(policies)
    bulk_insert(invoices)
    periods = []
    for pol in policies:
        start = dt.date(rng.randint(today.year - 3, today.year - 1), rng.randint(1, 12), 1)
        for year in range(rng.randint(1, 3)):  # premiums by insurance year (policy 三（二）)
            rate = Decimal(str(rng.uniform(0.01, 0.03)))
            periods.append(
                InsurancePeriod(
                    policy=pol,
                    start=add_months(start, 12 * year),
                    months=12,
                    premium=(pol.insured_amount * rate).quantize(YUAN),
                )
            )
    bulk_insert(periods)
    ctx.add("产品", len(products))
    ctx.add("保险期间", len(periods))
    ctx.add("销售发票", len(invoices))


def _platforms(ctx: DemoContext, chunk: list[Enterprise]) -> None:
    rng, today = ctx.rng, ctx.today
    platforms: list[Platform] = []
    for e in chunk:
        if not e.above_designated_size:
            continue
        r = rng.random()
        brand = e.name.removesuffix("有限公司").removesuffix("股份").removesuffix("集团")
        listed = dt.date(rng.randint(today.year - 4, today.year - 1), rng.randint(1, 12), 1)
        if r < 0.006 or e.name == FEATURED_NAME:
            level = weighted(
                rng,
                [
                    (PlatformLevel.CULTIVATION, 5),
                    (PlatformLevel.PROVINCIAL, 4),
                    (PlatformLevel.NATIONAL_BRANCH, 1),
                ],
            )
            platforms.append(
                Platform(
                    enterprise=e,
                    kind=PlatformKind.INNOVATION_CENTER,
                    name=f"河南省{PRODUCTS[e.industry_division][1]}制造业创新中心",
                    level=level,
                    listed_on=listed,
                    rd_pilot_equipment_investment=money(rng.randint(500, 5000) * 10000),
                    equipment_investment=money(rng.randint(300, 3000) * 10000),
                    service_revenue=money(rng.randint(50, 800) * 10000),
                )
            )
        elif r < 0.014:
            status = rng.choice([InternetPlatformStatus.CULTIVATION, InternetPlatformStatus.RECOGNIZED])
            platforms.append(
                Platform(
                    enterprise=e,
                    kind=PlatformKind.INDUSTRIAL_INTERNET,
                    name=f"{brand}工业互联网平台",
                    internet_status=status,
                    listed_on=listed,
                    accepted_on=add_months(listed, 12)
                    if status == InternetPlatformStatus.RECOGNIZED
                    else None,
                )
            )
        elif r < 0.022:
            platforms.append(
                Platform(
                    enterprise=e,
                    kind=PlatformKind.SME_SERVICE,
                    name=f"{brand}中小企业公共服务平台",
                    level=rng.choice(
                        [PlatformLevel.MUNICIPAL, PlatformLevel.PROVINCIAL, PlatformLevel.NATIONAL]
                    ),
                    listed_on=listed,
                )
            )
    bulk_insert(platforms)
    assessments = [
        PlatformAssessment(platform=p, year=today.year - 1, rank=rng.choice([1, 2, 3, None]))
        for p in platforms
        if p.kind == PlatformKind.SME_SERVICE
    ]
    bulk_insert(assessments)
    ctx.add("平台", len(platforms))


def _titles(ctx: DemoContext, chunk: list[Enterprise]) -> None:
    rng, today = ctx.rng, ctx.today
    kinds = [
        (TitleKind.GREEN_FACTORY, 30),
        (TitleKind.SERVICE_MANUFACTURING, 15),
        (TitleKind.INDUSTRIAL_DESIGN_CENTER, 10),
        (TitleKind.QUALITY_BENCHMARK, 10),
        (TitleKind.INDUSTRIAL_INTERNET, 10),
        (TitleKind.SINGLE_CHAMPION, 5),
        (TitleKind.GREEN_SUPPLY_CHAIN, 10),
        (TitleKind.NEW_MODE, 10),
    ]
    titles = []
    for e in chunk:
        if not e.above_designated_size or rng.random() > 0.02:
            continue
        kind = weighted(rng, kinds)
        awarded = dt.date(rng.randint(today.year - 3, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        by = AwardedBy.PROVINCE if kind == TitleKind.NEW_MODE else AwardedBy.MIIT
        issuer = "豫工信" if by == AwardedBy.PROVINCE else "工信部"
        titles.append(
            Title(
                enterprise=e,
                kind=kind,
                name=TitleKind(kind).label,
                awarded_by=by,
                awarded_on=awarded,
                document_no=f"{issuer}〔{awarded.year}〕{rng.randint(1, 200)}号",
            )
        )
    bulk_insert(titles)
    ctx.add("称号", len(titles))
