"""The demo products (首台（套）/首版次, with recognitions, insurance and invoices), platforms (with
assessments) and titles of each chunk of enterprises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..excel.bulk import bulk_insert
from ..models import (
    AwardedBy,
    Enterprise,
    InsurancePeriod,
    InsurancePolicy,
    InternetPlatformStatus,
    Platform,
    PlatformAssessment,
    PlatformKind,
    PlatformLevel,
    Product,
    ProductKind,
    ProductRecognition,
    SalesInvoice,
    Title,
    TitleKind,
)
from .common import YUAN, DemoContext, add_months, money, weighted
from .data import (
    EQUIPMENT_NAMES,
    FEATURED_NAME,
    PRODUCTS,
    SOFTWARE_NAMES,
)


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
