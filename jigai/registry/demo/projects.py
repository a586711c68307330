"""The demo projects of each chunk of enterprises, with their library workflow events and monthly
progress (and the projects' stored totals)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from ..excel.bulk import bulk_insert
from ..models import (
    ConstructionStatus,
    Enterprise,
    LibraryStatus,
    ProgressReport,
    Project,
    ProjectCategory,
    ProjectEvent,
)
from ..services.progress_totals import store_project_totals
from .common import CHUNK, WAN, YUAN, DemoContext, add_months, money, weighted
from .data import (
    FEATURED_NAME,
    FEATURED_REGION,
    PRODUCTS,
)


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
        # the featured enterprise's neighbours in 涧西区 have a 3.1 demonstration project (the county queue)
        neighbour = not featured and e.region_id == FEATURED_REGION
        count = max(count, 1) if neighbour else count
        for i in range(count):
            category = weighted(rng, [("intelligent", 40), ("high_end", 30), ("green", 20), ("service", 10)])
            # 5,000,000–300,000,000 yuan, log-uniform (most projects are small), in whole 万元
            total = (Decimal(str(round(5 * 60 ** rng.random(), 4))) * 1_000_000).quantize(WAN)
            if neighbour and i == 0:
                category = "high_end" if category == "service" else category
                total = max(total, Decimal("30000000"))
            equipment = (total * Decimal(str(rng.uniform(0.4, 0.7)))).quantize(WAN)
            software = (total * Decimal(str(rng.uniform(0.02, 0.1)))).quantize(WAN)
            machine = rng.random() < 0.15
            zero_land = rng.random() < 0.2
            start = dt.date(rng.randint(today.year - 3, today.year), rng.randint(1, 12), 1)
            if featured:
                start = add_months(today.replace(day=1), [-20, -8, 2][i])
            if neighbour and i == 0:
                start = min(start, today.replace(day=1))
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
            if neighbour and i == 0:
                status = "in_library"
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
