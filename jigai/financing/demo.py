"""Demo data of the financing area (`jigai demo`): three institutions (two with a user: yinhang, yinhang2),
a published batch of about ten whitelisted projects across cities, one proposal waiting for the province
and one returned, consents (some for every field and institution, some two fields for one bank), a
matchmaking event in Luoyang and outcomes in every state. Driven through the real services, so every event
row and audit record is what the system itself writes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from jigai.accounts.models import User
from jigai.accounts.roles import Role
from jigai.registry.demo import (
    DEMO_BUILDERS,
    DEMO_PASSWORD,
    DEMO_RESETTERS,
    DemoContext,
    demo_enterprises,
)
from jigai.registry.models import LibraryStatus, Project

from . import services
from .models import (
    Consent,
    ConsentField,
    EventInstitution,
    EventProject,
    FinancialInstitution,
    FinancingKind,
    InstitutionKind,
    InstitutionMember,
    MatchEvent,
    Outcome,
    OutcomeStage,
    WhitelistBatch,
    WhitelistEntry,
    WhitelistEvent,
)

BANK2 = ("yinhang2", "郑凯", "金融机构（担保公司，第二家机构）")
INSTITUTIONS = [
    ("中原银行洛阳分行", InstitutionKind.BANK, "yinhang"),
    ("河南省中豫融资担保有限公司", InstitutionKind.GUARANTEE, BANK2[0]),
    ("河南省制造业转型升级基金", InstitutionKind.FUND, None),
]
KINDS = [
    FinancingKind.LOAN,
    FinancingKind.LOAN,
    FinancingKind.GUARANTEE,
    FinancingKind.FUND,
    FinancingKind.LEASE,
]
LUOYANG = "410300"
N_PUBLISHED = 10


def _city_user(ctx: DemoContext, code: str) -> User:
    """The demo city reviewer for Luoyang, else a city account (no sign-in) of that city."""
    if code == LUOYANG and "shiji" in ctx.users:
        return ctx.users["shiji"]
    user = User.objects.filter(role=Role.CITY, region_id=code, is_active=True).first()
    if user is not None:
        return user
    return User.objects.create(
        username=f"demo_city_{code}",
        full_name=f"{ctx.regions[code].name}工信局",
        role=Role.CITY,
        region_id=code,
        password=make_password(None),
        password_changed_at=timezone.now(),
        must_change_password=False,
    )


def _bank_user(ctx: DemoContext, username: str, full_name: str) -> User:
    """The second bank's demo user (signs in with the demo password; listed in the README's table)."""
    user = ctx.users.get(username) or User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username,
            full_name=full_name,
            email=f"{username}@demo.jigai.local",
            role=Role.BANK,
            password=make_password(DEMO_PASSWORD),
            password_changed_at=timezone.now(),
            must_change_password=False,
        )
    ctx.users[username] = user
    return user


def _projects(ctx: DemoContext) -> tuple[list[Project], list[Project]]:
    """In-library demo projects, one per enterprise: the featured enterprise's first, then Luoyang's (three
    at most), then one per other city, so the batch spans cities; and the rest, Luoyang's first."""
    qs = (
        Project.objects.filter(enterprise__in=demo_enterprises(), library_status=LibraryStatus.IN_LIBRARY)
        .select_related("enterprise__region")
        .order_by("pk")
    )
    featured = ctx.featured.pk if ctx.featured else None
    seen_ent: set[int] = set()
    seen_city: dict[str, int] = {}
    chosen: list[Project] = []
    rest: list[Project] = []

    def key(p: Project) -> tuple:
        return (
            p.enterprise_id != featured,
            not p.enterprise.region.path.startswith(f"410000/{LUOYANG}"),
            p.pk,
        )

    for p in sorted(qs, key=key):
        city = p.enterprise.region.path.split("/")[1] if "/" in p.enterprise.region.path else ""
        if p.enterprise_id in seen_ent or not city:
            continue
        seen_ent.add(p.enterprise_id)
        if seen_city.get(city, 0) >= (3 if city == LUOYANG else 1):
            rest.append(p)
            continue
        seen_city[city] = seen_city.get(city, 0) + 1
        chosen.append(p)
    return chosen, rest


def _need(p: Project, i: int) -> dict:
    amount = max(Decimal("1000000"), (p.total_investment * Decimal("0.4")).quantize(Decimal("10000")))
    return {"amount": amount, "term_months": [12, 24, 36, 60][i % 4], "kind": KINDS[i % len(KINDS)]}


def build_financing(ctx: DemoContext) -> None:
    shengting = ctx.users.get("shengting")
    if shengting is None:
        return
    insts = []
    for name, kind, username in INSTITUTIONS:
        inst = FinancialInstitution.objects.create(name=name, kind=kind)
        insts.append(inst)
        if username:
            user = ctx.users.get(username) or _bank_user(ctx, username, BANK2[1])
            InstitutionMember.objects.create(institution=inst, user=user)
    chosen, rest = _projects(ctx)
    if not chosen:
        return
    today = ctx.today
    published, pending = chosen[:N_PUBLISHED], (chosen[N_PUBLISHED:] + rest)[:2]
    entries = []
    for i, p in enumerate(published + pending):
        city = p.enterprise.region.path.split("/")[1]
        entries.append(
            services.whitelist_propose(
                actor=_city_user(ctx, city), project=p, purpose="购置设备、建设生产线", **_need(p, i)
            )
        )
    for e in entries[: len(published)]:
        services.whitelist_move(actor=shengting, entry=e, action="approve")
    publish_on = max(today.replace(month=1, day=1), today - dt.timedelta(days=40))
    services.whitelist_publish(actor=shengting, published_on=publish_on)
    if len(entries) > len(published):  # one returned to its city, the other waits for the province
        services.whitelist_move(
            actor=shengting,
            entry=entries[len(published)],
            action="return",
            comment="请核实融资需求金额与项目投资的匹配情况。",
        )
    ctx.add("白名单项目", len(entries))
    _consents(ctx, published, insts)
    _event_and_outcomes(ctx, entries[: len(published)], insts, today)


def _consents(ctx: DemoContext, projects: list[Project], insts: list[FinancialInstitution]) -> None:
    """Half the enterprises consent to every field for all institutions, the others to two fields for
    the demo bank; the featured enterprise (qiye) to two fields for the demo bank only."""
    for i, p in enumerate(projects):
        owner = User.objects.filter(role=Role.ENTERPRISE, enterprise=p.enterprise, is_active=True).first()
        if owner is None:
            owner = User.objects.create(
                username=f"demo_fin_qy{p.enterprise_id}",
                full_name=p.enterprise.contact_person or "企业填报员",
                role=Role.ENTERPRISE,
                enterprise=p.enterprise,
                password=make_password(None),
                password_changed_at=timezone.now(),
                must_change_password=False,
            )
        if i == 0 or i % 2 == 1:
            services.consent_set(
                actor=owner, institution=insts[0], fields=[ConsentField.OVERVIEW, ConsentField.INVESTMENT]
            )
        else:
            services.consent_set(actor=owner, institution=None, fields=list(ConsentField.values))
    ctx.add("信息授权", len(projects))


def _event_and_outcomes(
    ctx: DemoContext, entries: list[WhitelistEntry], insts: list[FinancialInstitution], today: dt.date
) -> None:
    shiji = ctx.users.get("shiji")
    luoyang = [e for e in entries if e.city_id == LUOYANG]
    if shiji is None or not luoyang:
        return
    event = services.event_create(
        actor=shiji,
        title="洛阳市技术改造项目融资对接会",
        held_on=today - dt.timedelta(days=10),
        organiser="洛阳市工业和信息化局、中国人民银行洛阳市分行",
        place="洛阳市会展中心",
        institutions=[i.pk for i in insts],
        entries=[e.pk for e in luoyang],
    )
    services.event_attendance(
        actor=shiji, event=event, institutions=[insts[0].pk, insts[1].pk], entries=[e.pk for e in luoyang]
    )
    bank, bank2 = ctx.users["yinhang"], ctx.users[BANK2[0]]
    first = luoyang[0]
    on = today - dt.timedelta(days=5)
    services.outcome_record(
        actor=bank, entry=first, stage=OutcomeStage.INTENTION, on_date=on, event=event, note="已对接，拟授信"
    )
    approved = services.outcome_record(
        actor=bank, entry=first, stage=OutcomeStage.APPROVED, on_date=on, amount=first.amount, event=event
    )
    services.outcome_check(actor=shiji, outcome=approved, confirm=True)
    loan = services.outcome_record(
        actor=bank,
        entry=first,
        stage=OutcomeStage.DISBURSED,
        on_date=today - dt.timedelta(days=2),
        amount=(first.amount / 2).quantize(Decimal("1")),
        product="技改贷",
        rate=Decimal("3.450"),
        event=event,
    )
    services.outcome_check(actor=shiji, outcome=loan, confirm=True)
    other = luoyang[-1]
    services.outcome_record(
        actor=bank2,
        entry=other,
        stage=OutcomeStage.APPROVED,
        on_date=today - dt.timedelta(days=3),
        amount=other.amount,
        event=event,
    )  # left for the city to confirm
    returned = services.outcome_record(
        actor=bank2,
        entry=other,
        stage=OutcomeStage.DISBURSED,
        on_date=today - dt.timedelta(days=1),
        amount=Decimal("1000000"),
        product="担保贷",
        rate=Decimal("4.200"),
    )
    services.outcome_check(
        actor=shiji, outcome=returned, confirm=False, comment="放款凭证与金额不符，请核对后重新录入。"
    )
    ctx.add("融资成果", Outcome.objects.count())


def reset_financing() -> None:
    """Delete the financing rows of the demo enterprises and the demo institutions (nothing else)."""
    ents = demo_enterprises()
    entries = WhitelistEntry.objects.filter(project__enterprise__in=ents)
    Outcome.objects.filter(entry__in=entries).delete()
    EventProject.objects.filter(entry__in=entries).delete()
    demo_insts = FinancialInstitution.objects.filter(name__in=[n for n, _k, _u in INSTITUTIONS])
    events = MatchEvent.objects.filter(title="洛阳市技术改造项目融资对接会")
    EventInstitution.objects.filter(event__in=events).delete()
    events.delete()
    Consent.objects.filter(enterprise__in=ents).delete()
    WhitelistEvent.objects.filter(entry__in=entries).delete()
    batches = list(entries.exclude(batch=None).values_list("batch_id", flat=True))
    entries.delete()
    WhitelistBatch.objects.filter(pk__in=batches, entries__isnull=True).delete()
    InstitutionMember.objects.filter(institution__in=demo_insts).delete()
    demo_insts.filter(outcomes__isnull=True).delete()
    # The city users (demo_city_…) are the funding demo's; it deletes them after its own rows.
    User.objects.filter(username__startswith="demo_fin_qy").delete()


if build_financing not in DEMO_BUILDERS:
    DEMO_BUILDERS.append(build_financing)
if reset_financing not in DEMO_RESETTERS:
    DEMO_RESETTERS.insert(0, reset_financing)
