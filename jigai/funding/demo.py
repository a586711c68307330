"""Demo data of the funding round (`jigai demo`): this year's published guideline and applications of
Luoyang enterprises in every state, driven through the real services (so every event, audit record,
notification and frozen result is what the system itself would have written).

Registered in the registry's DEMO_BUILDERS / DEMO_RESETTERS (the demo command imports every app's `demo`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone

from jigai.accounts.models import User
from jigai.accounts.roles import Role
from jigai.core.errors import DomainError
from jigai.registry.demo import DEMO_BUILDERS, DEMO_REPORTS, DEMO_RESETTERS, DemoContext, demo_enterprises
from jigai.registry.models import Project

from . import services
from .models import (
    Allocation,
    Application,
    AppStatus,
    Attachment,
    ExpertAssignment,
    Guideline,
    ItemGroup,
    NoticeEntry,
    Objection,
    Payment,
    PaymentStage,
    PublicNotice,
    ReviewEvent,
)

SECOND_EXPERT = ("zhuanjia2", "何敏")
COUNTY_CODE, CITY_CODE = "410305", "410300"  # the regions of the demo reviewers xianji and shiji
# 2020 budget scale (design.md: about 877 million yuan, 567 million for transformation projects).
BUDGETS = {
    ItemGroup.TRANSFORMATION: Decimal("567000000"),
    ItemGroup.NEW_PRODUCT: Decimal("47600000"),
    ItemGroup.PLATFORM: Decimal("60000000"),
    ItemGroup.DEMONSTRATION: Decimal("30000000"),
}
ITEMS = [
    "3.1.1",
    "3.1.2",
    "3.1.3",
    "3.1.4",
    "3.2.1-insurance",
    "3.2.1-award",
    "3.2.2-insurance",
    "3.2.2-award",
    "3.3.1-cultivation",
    "3.3.1-provincial",
    "3.3.2",
    "3.3.3",
    "3.4.1",
    "3.4.2",
    "3.4.3",
]
COMMENTS = {
    AppStatus.COUNTY_APPROVED: "经核查，项目已入库，投资真实，同意上报。",
    AppStatus.CITY_RECOMMENDED: "经现场核查并征求技术、财务专家意见，同意推荐。",
    AppStatus.FORMAL_CHECKED: "材料齐全，形式审查通过。",
    AppStatus.REVIEWED: "专家评审完成。",
}


def _user_for(ent: Any, n: int) -> User:
    """An enterprise account for a demo enterprise (the featured one already has `qiye`)."""
    existing = User.objects.filter(role=Role.ENTERPRISE, enterprise=ent, is_active=True).first()
    if existing is not None:
        return existing
    return User.objects.create(
        username=f"demo_qy{n:03d}",
        full_name=ent.contact_person or "企业填报员",
        role=Role.ENTERPRISE,
        enterprise=ent,
        password=make_password(None),  # no sign-in: these accounts only carry the demo's applications
        password_changed_at=timezone.now(),
        must_change_password=False,
    )


def _candidates(ctx: DemoContext) -> list[Project]:
    """Eligible-looking 3.1.1 projects of demo enterprises, one per enterprise: the featured one, then 涧西区,
    then the rest of Luoyang (where the demo reviewers work), then elsewhere."""
    threshold = Decimal("10000000")
    qs = (
        Project.objects.filter(
            enterprise__in=demo_enterprises(), category__in=["high_end", "intelligent", "green"]
        )
        .annotate(base=F("equipment_investment") + F("software_investment"))
        .filter(base__gte=threshold)
        .select_related("enterprise__region")
        .order_by("-enterprise__region__code", "pk")
    )
    featured_id = ctx.featured.pk if ctx.featured else None
    seen: set[int] = set()
    out = []
    for p in sorted(qs, key=lambda p: (p.enterprise_id != featured_id, _pool(p), p.pk)):
        if p.enterprise_id not in seen:
            seen.add(p.enterprise_id)
            out.append(p)
    return out


def _pool(project: Project) -> int:
    """0: in the demo county reviewer's 涧西区, 1: elsewhere in the demo city reviewer's 洛阳市,
    2: elsewhere."""
    path = project.enterprise.region.path
    if path.endswith(COUNTY_CODE):
        return 0
    return 1 if f"/{CITY_CODE}" in path else 2


def _reviewer(ctx: DemoContext, role: str, app: Application) -> User:
    """The demo reviewer when the enterprise is in the demo reviewer's region, else one for its region."""
    named = {"county": "xianji", "city": "shiji"}[role]
    user = ctx.users.get(named)
    path = app.enterprise.region.path
    if user is not None and (path == user.region.path or path.startswith(user.region.path + "/")):
        return user
    code = path.split("/")[-1] if role == "county" else path.split("/")[1]
    found = User.objects.filter(role=role, region_id=code, is_active=True).first()
    if found is not None:
        return found
    return User.objects.create(
        username=f"demo_{role}_{code}",
        full_name=f"{app.enterprise.region.name}审核员",
        role=role,
        region_id=code,
        password=make_password(None),
        password_changed_at=timezone.now(),
        must_change_password=False,
    )


def _advance(
    ctx: DemoContext, app: Application, target: str, experts: list[User], scores: tuple[int, int]
) -> Application:
    province = ctx.users["shengting"]
    while app.status != target:
        if app.status == AppStatus.SUBMITTED:
            actor = _reviewer(ctx, "county", app)
        elif app.status == AppStatus.COUNTY_APPROVED:
            actor = _reviewer(ctx, "city", app)
        elif app.status == AppStatus.FORMAL_CHECKED:
            assignments = services.expert_assign(actor=province, application=app, experts=experts)
            for assignment, total in zip(assignments, scores, strict=True):
                services.expert_declare(actor=assignment.expert, assignment=assignment, has_conflict=False)
                services.expert_score(
                    actor=assignment.expert,
                    assignment=assignment,
                    scores=_spread(total),
                    comment="项目技术路线清晰，投资构成合理，示范带动作用明显。",
                )
            actor = province
        elif app.status == AppStatus.CITY_RECOMMENDED:
            actor = province
        else:
            return app
        app = services.application_transition(
            actor=actor, application=app, action="approve", comment=COMMENTS.get(_next(app.status), "同意。")
        )
    return app


def _next(status: str) -> str:
    order = [
        AppStatus.SUBMITTED,
        AppStatus.COUNTY_APPROVED,
        AppStatus.CITY_RECOMMENDED,
        AppStatus.FORMAL_CHECKED,
        AppStatus.REVIEWED,
    ]
    return order[order.index(status) + 1] if status in order[:-1] else status


def _spread(total: int) -> dict[str, str]:
    out, left = {}, Decimal(total)
    for key, _label, top in services.RUBRIC:
        give = min(Decimal(top), left)
        out[key] = str(give)
        left -= give
    return out


def _demo_payee(app: Any) -> dict[str, str]:
    """A made-up corporate account of the demo enterprise (payments carry the payee's account): the bank
    branch of its region, a 19-digit number drawn from its credit code."""
    ent = app.enterprise
    digits = "".join(str(ord(c) % 10) for c in ent.uscc)
    return {
        "payee_name": ent.name,
        "payee_bank": f"中国工商银行{ent.region.name}支行",
        "payee_account": ("1705" + digits)[:19].ljust(19, "0"),
    }


def build_funding(ctx: DemoContext) -> None:
    province = ctx.users.get("shengting")
    if province is None:
        return
    now = timezone.now()
    year = ctx.today.year
    guideline = services.guideline_create(
        actor=province,
        data={
            "year": year,
            "title": f"{year}年度省级制造业高质量发展专项资金（企业技术改造）申报指南",
            "policy_version": "2022-01-24",
            "items": ITEMS,
            "opens_at": now - dt.timedelta(days=20),
            "closes_at": now + dt.timedelta(days=40),
            "notice_days": 5,
            "description": (
                "依据豫政办〔2022〕8号第三部分支持政策。"
                "每个企业一个申报年度原则上只能申报1个项目（头雁企业定额奖励除外）。"
            ),
        },
        budgets=BUDGETS,
    )
    guideline = services.guideline_publish(actor=province, guideline=guideline)
    experts = [ctx.users["zhuanjia"]] if "zhuanjia" in ctx.users else []
    second = ctx.users.get(SECOND_EXPERT[0]) or User.objects.filter(username=SECOND_EXPERT[0]).first()
    second = second or User.objects.create(
        username=SECOND_EXPERT[0],
        full_name=SECOND_EXPERT[1],
        role=Role.EXPERT,
        password=ctx.users["zhuanjia"].password if "zhuanjia" in ctx.users else make_password(None),
        password_changed_at=now,
        must_change_password=False,
    )
    experts.append(second)
    experts = experts[:2]

    # The plan: (target status, expert scores, preferred region pool) in the order the round needs them.
    # The work left waiting for the demo reviewers is in their own region: 待县级初审 in 涧西区 (xianji),
    # 待市级推荐 in 洛阳市 (shiji); the rest takes the candidates as they come.
    plan = [
        ("awarded", (88, 92), None),
        ("awarded", (80, 84), None),
        ("awarded", (83, 81), None),
        ("notice_ended", (85, 87), None),
        ("on_notice", (86, 82), None),
        ("submitted", (0, 0), 0),
        ("submitted", (0, 0), 0),
        ("county_approved", (0, 0), 1),
        ("county_approved", (0, 0), 1),
        ("reviewed", (75, 79), None),
        ("formal_checked", (0, 0), None),
        ("city_recommended", (0, 0), None),
        ("returned", (0, 0), None),
        ("rejected", (0, 0), None),
    ]
    apps: list[tuple[Application, str, tuple[int, int]]] = []
    projects = _candidates(ctx)
    featured_project = (
        projects.pop(0)
        if projects and ctx.featured and projects[0].enterprise_id == ctx.featured.pk
        else None
    )
    # Region-bound targets pick first from their pool (涧西区 also counts as 洛阳市), the others in order.
    picks: list[tuple[Project, str, tuple[int, int]]] = []
    left = list(projects)
    for target, scores, pool in sorted(plan, key=lambda t: t[2] is None):
        if pool is not None:
            fit = [p for p in left if _pool(p) <= pool]
            preferred = [p for p in fit if _pool(p) == pool] + [p for p in fit if _pool(p) != pool]
            preferred = preferred or left  # no candidate in the region: anywhere, still waiting for review
        else:
            preferred = left
        if preferred:
            picks.append((preferred[0], target, scores))
            left.remove(preferred[0])
    picks.sort(key=lambda t: [x[0] for x in plan].index(t[1]))
    spare = iter(left)
    tried = 0
    for project, target, scores in picks:
        while True:
            tried += 1
            user = _user_for(project.enterprise, tried)
            try:
                app = services.application_create_draft(
                    actor=user, guideline=guideline, item="3.1.1", target=project
                )
                app = services.application_submit(actor=user, application=app)
            except DomainError:  # not eligible under the rules (e.g. already funded): the next one
                project = next(spare, None)
                if project is None:
                    break
                continue
            apps.append((app, target, scores))
            break

    def reach(status: str) -> list[Application]:
        done = []
        for i, (app, target, scores) in enumerate(apps):
            if target == status:
                if status in ("returned", "rejected"):
                    app = services.application_transition(
                        actor=_reviewer(ctx, "county", app),
                        application=app,
                        action="return" if status == "returned" else "reject",
                        comment="请补充设备购置合同和发票。"
                        if status == "returned"
                        else "项目不属于技术改造示范范围。",
                    )
                else:
                    app = _advance(ctx, app, min(status, AppStatus.REVIEWED, key=_rank), experts, scores)
                if status == AppStatus.FORMAL_CHECKED and len(experts) == 2:  # the experts' task list
                    services.expert_assign(actor=ctx.users["shengting"], application=app, experts=experts)
                apps[i] = (app, target, scores)
                done.append(app)
        return done

    # First round: three awards decided, on notice, the notice over, payments under way.
    reach("awarded")
    if any(t == "awarded" for _, t, _ in apps):
        alloc = services.allocation_propose(
            actor=province, guideline=guideline, item_group="3.1", method="score"
        )
        services.allocation_decide(actor=province, allocation=alloc)
        notice = services.notice_publish(
            actor=province, guideline=guideline, title=f"{year}年度第一批拟支持项目公示"
        )
        PublicNotice.objects.filter(pk=notice.pk).update(
            starts_on=ctx.today - dt.timedelta(days=14), ends_on=ctx.today - dt.timedelta(days=7)
        )
        notice.refresh_from_db()
        services.notice_finalize(actor=province, notice=notice)
        # Payments: the first award paid and confirmed, the second entered and waiting for the checker
        # (caizheng2), the third waiting to be entered (caizheng).
        maker, checker = ctx.users.get("caizheng"), ctx.users.get("caizheng2")
        awarded = [a for a, t, _ in apps if t == "awarded"]
        for n, app in enumerate(awarded[:2]):
            stage = app.payment_stages.order_by("sequence").first()
            if maker is None or checker is None or stage is None:
                break
            payment = services.payment_enter(
                actor=maker,
                stage=stage,
                paid_on=ctx.today,
                amount=stage.planned_amount,
                voucher_no=f"豫财企〔{year}〕{12 + n}号",
                **_demo_payee(app),
            )
            if n == 0:
                services.payment_confirm(actor=checker, payment=payment)
    # A batch whose notice period is over and without objections: 确定立项 can be tried at once.
    reach("notice_ended")
    if any(t == "notice_ended" for _, t, _ in apps):
        alloc = services.allocation_propose(
            actor=province, guideline=guideline, item_group="3.1", method="score"
        )
        services.allocation_decide(actor=province, allocation=alloc)
        notice = services.notice_publish(
            actor=province, guideline=guideline, title=f"{year}年度第二批拟支持项目公示"
        )
        PublicNotice.objects.filter(pk=notice.pk).update(
            starts_on=ctx.today - dt.timedelta(days=12), ends_on=ctx.today - dt.timedelta(days=2)
        )
    # Second round: one on notice now, with an open objection.
    reach("on_notice")
    if any(t == "on_notice" for _, t, _ in apps):
        alloc = services.allocation_propose(
            actor=province, guideline=guideline, item_group="3.1", method="score"
        )
        services.allocation_decide(actor=province, allocation=alloc)
        notice = services.notice_publish(
            actor=province, guideline=guideline, title=f"{year}年度第三批拟支持项目公示"
        )
        entry = notice.entries.first()
        services.objection_record(
            actor=province,
            notice=notice,
            application=entry.application,
            content="反映该项目部分设备为旧设备翻新，请核查。",
            received_on=notice.starts_on,
            objector="匿名",
        )
    for status in (
        "reviewed",
        "formal_checked",
        "city_recommended",
        "county_approved",
        "returned",
        "rejected",
    ):
        reach(status)
    # The demo enterprise user has a draft ready to submit (what a new user tries first).
    if featured_project is not None:
        qiye = ctx.users.get("qiye") or _user_for(featured_project.enterprise, 999)
        services.application_create_draft(
            actor=qiye, guideline=guideline, item="3.1.1", target=featured_project, summary="年度重点技改项目"
        )
    ctx.add("申报指南", 1)
    ctx.add("专项资金申报", Application.objects.filter(guideline=guideline).count())


# Who acts next on a demo application, by status (the README's and `jigai demo`'s list).
NEXT_STEP = {
    AppStatus.DRAFT: "qiye 提交申报",
    AppStatus.SUBMITTED: "xianji 初审（涧西区）或当地县级",
    AppStatus.COUNTY_APPROVED: "shiji 推荐（洛阳市）或当地市级",
    AppStatus.CITY_RECOMMENDED: "shengting 形式审查",
    AppStatus.FORMAL_CHECKED: "zhuanjia、zhuanjia2 声明无利益冲突后评分",
    AppStatus.REVIEWED: "shengting 资金分配",
    AppStatus.ON_NOTICE: "shengting 处理异议，公示期满后确定立项",
    AppStatus.AWARDED: "caizheng 录入拨付 / caizheng2 复核",
    AppStatus.RETURNED: "企业补正后重新提交",
    AppStatus.REJECTED: "—（已办结）",
}


def applications_table() -> str:
    """The demo applications and what waits on each, as a Markdown table (printed by `jigai demo`)."""
    apps = (
        Application.objects.filter(enterprise__in=demo_enterprises())
        .select_related("enterprise__region")
        .prefetch_related("notice_entries__notice", "payment_stages__payments")
        .order_by("pk")
    )
    lines = ["| 申报编号 | 企业（地区） | 状态 | 下一步 |", "|---|---|---|---|"]
    for app in apps:
        status = app.get_status_display()
        step = NEXT_STEP.get(app.status, "")
        if app.status == AppStatus.ON_NOTICE:
            notice = next((e.notice for e in app.notice_entries.all()), None)
            if notice is not None and notice.ends_on < timezone.localdate():
                status, step = "公示期已满", "shengting 确定立项"
            elif notice is not None:
                status = f"公示中（至 {notice.ends_on:%m月%d日}）"
        elif app.status == AppStatus.AWARDED:
            payments = [p for stage in app.payment_stages.all() for p in stage.payments.all()]
            if any(p.status == "confirmed" for p in payments):
                step = "已拨付（第一阶段）"
            elif payments:
                step = "caizheng2 复核拨付"
            else:
                step = "caizheng 录入拨付"
        number, who = app.tracking_no or "（草稿）", f"{app.enterprise.name}（{app.enterprise.region.name}）"
        lines.append(f"| {number} | {who} | {status} | {step} |")
    return "\n".join(lines)


_ORDER = ["submitted", "county_approved", "city_recommended", "formal_checked", "reviewed"]


def _rank(status: str) -> int:
    return _ORDER.index(status) if status in _ORDER else len(_ORDER)


def reset_funding() -> None:
    """Delete the funding rows of the demo (every guideline with its applications), before the registry's."""
    ents = demo_enterprises()
    apps = Application.objects.filter(enterprise__in=ents)
    guidelines = Guideline.objects.filter(applications__in=apps).distinct()
    Payment.objects.filter(stage__application__in=apps).delete()
    PaymentStage.objects.filter(application__in=apps).delete()
    Objection.objects.filter(application__in=apps).delete()
    NoticeEntry.objects.filter(application__in=apps).delete()
    PublicNotice.objects.filter(guideline__in=guidelines).delete()
    Allocation.objects.filter(guideline__in=guidelines).delete()
    ExpertAssignment.objects.filter(application__in=apps).delete()
    ReviewEvent.objects.filter(application__in=apps).delete()
    Attachment.objects.filter(application__in=apps).delete()
    guideline_ids = list(guidelines.values_list("pk", flat=True))
    apps.delete()
    Guideline.objects.filter(pk__in=guideline_ids, applications__isnull=True).delete()
    User.objects.filter(username=SECOND_EXPERT[0]).delete()
    User.objects.filter(username__startswith="demo_county_").delete()
    User.objects.filter(username__startswith="demo_city_").delete()


if build_funding not in DEMO_BUILDERS:
    DEMO_BUILDERS.append(build_funding)
if reset_funding not in DEMO_RESETTERS:
    DEMO_RESETTERS.append(reset_funding)
if applications_table not in DEMO_REPORTS:
    DEMO_REPORTS.append(applications_table)

# The guideline what-if simulator's demo drafts run after the round above exists (issue 13).
from .simulator.demo import build_scenarios, reset_scenarios  # noqa: E402

if build_scenarios not in DEMO_BUILDERS:
    DEMO_BUILDERS.append(build_scenarios)
if reset_scenarios not in DEMO_RESETTERS:
    DEMO_RESETTERS.insert(0, reset_scenarios)

# 免申即享 / 政策匹配 (issue 13): the nightly matching once, after the round and its objects exist.
from .matching.demo import build_matching  # noqa: E402

if build_matching not in DEMO_BUILDERS:
    DEMO_BUILDERS.append(build_matching)
