"""Demo data of supervision (`jigai demo`), driven through the real services: tickets to 洛阳市 and 涧西区 in
every state (one overdue, one opened by the monitoring system), service-visit problems of qiye's enterprise
(one rated, one waiting for qiye's rating, one open), a published green-development ranking and typical
practices of 洛阳市 (two published, one waiting for the province).

Registered in the registry's DEMO_BUILDERS / DEMO_RESETTERS (the demo command imports every app's `demo`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from jigai.accounts.models import User
from jigai.registry.demo import DEMO_BUILDERS, DEMO_RESETTERS, DEMO_USERS, DemoContext, demo_enterprises

from . import services
from .models import GreenData, GreenRanking, GreenRankingEntry, Practice, ScoringRule, Ticket

CITY, COUNTY = "410300", "410305"
DEMO_KEY = "demo:"
WEIGHTS = [
    {"indicator": "energy", "weight": "0.4", "direction": "lower"},
    {"indicator": "water", "weight": "0.3", "direction": "lower"},
    {"indicator": "emission", "weight": "0.3", "direction": "lower"},
]


def _ago(ticket: Ticket, days: int, today: dt.date) -> None:
    """Back-date a demo ticket's opening, so the lists look like weeks of work."""
    when = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time(9, 30)))
    Ticket.objects.filter(pk=ticket.pk).update(opened_at=when)


def _tickets(ctx: DemoContext) -> None:
    province, city, county = ctx.users["shengting"], ctx.users["shiji"], ctx.users["xianji"]
    today = ctx.today

    def manual(n: int, region: str, subject: str, detail: str, days_ago: int, due_in: int) -> Ticket:
        t = services.open_ticket(
            key=f"{DEMO_KEY}{n}",
            kind="manual",
            region_code=region,
            subject=subject,
            detail=detail,
            deadline=today + dt.timedelta(days=due_in),
            opened_by=province,
        )
        _ago(t, days_ago, today)
        return t

    manual(
        1,
        CITY,
        "技术改造投资增速低于序时进度",
        "洛阳市本年技术改造投资累计增速低于全省目标（年均增长 20% 以上）的序时进度，"
        "请分析原因并报送整改措施。",
        10,
        5,
    )
    manual(
        2,
        CITY,
        "规上工业企业技改项目入库不足",
        "洛阳市规上工业企业中开展技术改造的项目入库率偏低，请组织县区做好项目入库，确保应统尽统。",
        40,
        -7,  # overdue: not answered by its deadline
    )
    t3 = manual(
        3,
        CITY,
        "智能化改造诊断服务覆盖率",
        "请报送本年度智能化改造诊断服务开展情况及下一步计划。",
        30,
        10,
    )
    services.ticket_reply(
        actor=city, ticket=t3, text="已组织诊断服务机构对 42 家规上企业开展诊断，计划年底前覆盖 80 家。"
    )
    t4 = manual(
        4,
        CITY,
        "绿色工厂创建进度",
        "请报送国家级、省级绿色工厂创建工作进展（二（三））。",
        60,
        -20,
    )
    services.ticket_reply(
        actor=city, ticket=t4, text="已推荐 6 家企业申报国家级绿色工厂，3 家完成第三方评价。"
    )
    services.ticket_close(actor=province, ticket=t4, conclusion="答复清楚，措施可行，予以办结。请持续跟踪。")
    manual(
        5,
        COUNTY,
        "月度技改进度填报不及时",
        "涧西区上月有项目未按时填报月度进度，请督促企业于 5 个工作日内补报。",
        3,
        7,
    )
    # One opened by the system, as the monitoring early warning does (red two months running).
    services.open_ticket(
        key=f"{DEMO_KEY}monitoring:{CITY}:tech_invest_growth",
        kind="warning",
        region_code=CITY,
        subject="预警督办：技术改造投资增速连续两个月红色预警",
        detail="技术改造投资增速连续两个月处于红色预警（低于序时进度 20% 以上），"
        "请于期限内报送分析和整改措施。",
        deadline=today + dt.timedelta(days=15),
        indicator_code="tech_invest_growth",
    )
    ctx.add("督办事项", Ticket.objects.filter(key__startswith=DEMO_KEY).count())
    _visits(ctx, county, province)


def _visits(ctx: DemoContext, county: User, province: User) -> None:
    ent = ctx.featured
    if ent is None:
        return
    today = ctx.today
    problems = [
        ("用电增容审批周期长，新生产线无法按期投产。", "已协调供电公司开通绿色通道，增容工程已完工送电。", 5),
        ("技改项目设备进口关税减免政策不清楚。", "已邀请海关专家上门讲解政策，企业已完成减免备案。", None),
        ("企业招聘高级技工困难，希望对接职业院校。", "", None),
    ]
    for i, (problem, resolution, rating) in enumerate(problems):
        visit = services.visit_record(
            actor=county,
            data={
                "enterprise": ent,
                "visit_date": today - dt.timedelta(days=30 - i * 10),
                "visitor": "李红梅、涧西区工信局服务专员",
                "problem": problem,
                "region_code": COUNTY,
                "deadline": today + dt.timedelta(days=10 - i * 5),
            },
        )
        if resolution:
            services.ticket_reply(actor=county, ticket=visit.ticket, text=resolution)
            services.ticket_close(actor=county, ticket=visit.ticket, conclusion=resolution)
        if rating:
            owner = User.objects.filter(enterprise=ent, role="enterprise", is_active=True).first()
            services.visit_rate(actor=owner, visit=visit, rating=rating, comment="办理及时，非常满意。")
    ctx.add("服务企业问题", len(problems))


def _ranking(ctx: DemoContext) -> None:
    province = ctx.users["shengting"]
    services.rule_create(
        actor=province,
        name="绿色发展排行榜评分规则（演示）",
        valid_from=ctx.today.replace(month=1, day=1),
        weights=WEIGHTS,
    )
    year = ctx.today.year - 1
    rng = ctx.rng
    # The three industry divisions with most demo enterprises, up to 15 enterprises each.
    divisions = (
        demo_enterprises()
        .exclude(industry_division="")
        .values("industry_division")
        .annotate(n=Count("pk"))
        .order_by("-n", "industry_division")[:3]
    )
    n = 0
    for row in divisions:
        ents = demo_enterprises().filter(industry_division=row["industry_division"]).order_by("pk")[:15]
        for ent in ents:
            value_added = Decimal(rng.randint(2_000, 60_000)) * 10_000  # 0.2-6 亿元
            wan = value_added / 10_000
            services.green_data_save(
                actor=province,
                enterprise=ent,
                year=year,
                values={
                    "value_added": value_added,
                    "energy_use": (wan * Decimal(str(round(rng.uniform(0.05, 0.6), 3)))).quantize(
                        Decimal("0.01")
                    ),
                    "water_use": (wan * Decimal(str(round(rng.uniform(2, 18), 2)))).quantize(Decimal("0.01")),
                    "emissions": (wan * Decimal(str(round(rng.uniform(0.1, 1.5), 3)))).quantize(
                        Decimal("0.01")
                    ),
                },
            )
            n += 1
    ctx.add("绿色发展数据", n)
    if n:
        ranking = services.ranking_compute(actor=province, year=year)
        services.ranking_move(actor=province, ranking=ranking, action="publish", comment="经厅务会审定")


def _practices(ctx: DemoContext) -> None:
    city, province = ctx.users["shiji"], ctx.users["shengting"]
    items = [
        (
            "洛阳市“智能化改造诊断+金融服务”一体化推进企业技术改造",
            "洛阳市组织诊断服务机构为规上企业免费开展智能化改造诊断，诊断报告同步推送合作银行，"
            "对诊断后实施改造的项目给予技改贷款贴息，形成“诊断—改造—融资”闭环。全年完成诊断 200 余家，"
            "带动技改投资增长 25%。",
            True,
        ),
        (
            "涧西区“万人助万企”专班包联推动重点技改项目落地",
            "涧西区对投资亿元以上技改项目实行区级领导包联、专班推进，建立问题清单、责任清单、销号清单，"
            "企业反映的用电、用地、审批问题平均 7 个工作日内办结。",
            True,
        ),
        (
            "洛阳市推行“零增地”技改项目“先建后验”",
            "对不新增用地的技术改造项目，实行承诺制审批、先建后验，项目开工时间平均提前 3 个月。",
            False,
        ),
    ]
    for title, text, publish in items:
        p = services.practice_submit(actor=city, data={"title": title, "text": text})
        if publish:
            services.practice_move(actor=province, practice=p, action="publish")
    ctx.add("典型做法", len(items))


def build_supervision(ctx: DemoContext) -> None:
    if not all(u in ctx.users for u in ("shengting", "shiji", "xianji")):
        return
    _tickets(ctx)
    _ranking(ctx)
    _practices(ctx)


def reset_supervision() -> None:
    """Delete the demo's supervision rows (before the registry deletes the demo enterprises and users)."""
    ents = demo_enterprises()
    demo_users = User.objects.filter(username__in=[u[0] for u in DEMO_USERS])
    Ticket.objects.filter(key__startswith=DEMO_KEY).delete()
    Ticket.objects.filter(enterprise__in=ents).delete()
    GreenRankingEntry.objects.filter(enterprise__in=ents).delete()
    GreenRanking.objects.filter(entries__isnull=True).delete()
    GreenData.objects.filter(enterprise__in=ents).delete()
    ScoringRule.objects.filter(created_by__in=demo_users, name__endswith="（演示）").exclude(
        pk__in=GreenRanking.objects.values("rule")
    ).delete()
    Practice.objects.filter(submitted_by__in=demo_users).delete()


if build_supervision not in DEMO_BUILDERS:
    DEMO_BUILDERS.append(build_supervision)
if reset_supervision not in DEMO_RESETTERS:
    DEMO_RESETTERS.append(reset_supervision)
