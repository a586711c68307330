"""Reads of the financing area, always through the scope gate (`Model.objects.restrict`).

The bank portal reads only published whitelist entries and, of each, only the fields its enterprise
consented to for the bank's institution or for all institutions (`bank_project`): a withdrawn consent is
not read, so withdrawal takes effect at the bank's next request. `financing_figures` gives the monitoring
dashboards and the 融资统计 page the needed / approved / disbursed figures (confirmed outcomes only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role
from jigai.accounts.scope import get_scoped_or_404
from jigai.audit.models import AuditEvent
from jigai.funding.models import DECIDED_STATUSES, Application
from jigai.registry.models import LibraryStatus, Project

from .models import (
    Consent,
    ConsentField,
    EntryStatus,
    FinancialInstitution,
    FinancingKind,
    InstitutionMember,
    MatchEvent,
    Outcome,
    OutcomeStage,
    OutcomeStatus,
    WhitelistBatch,
    WhitelistEntry,
)
from .services import WHITELIST_WORKFLOW

ZERO = Decimal(0)
ENTRY_TYPE = WhitelistEntry._meta.label_lower
GROUPS = ("city", "county", "institution", "programme", "month")


def institution_for(actor: Any) -> FinancialInstitution | None:
    member = (
        InstitutionMember.objects.select_related("institution")
        .filter(user_id=getattr(actor, "pk", None))
        .first()
    )
    return member.institution if member else None


# ------------------------------------------------------------------------------------------------ whitelist


def _entries(actor: Any, action: str = "view") -> QuerySet[WhitelistEntry]:
    return WhitelistEntry.objects.restrict(actor, action).select_related(
        "project__enterprise__region", "city", "batch"
    )


def whitelist_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[WhitelistEntry]:
    """The entries the actor may see (city and county: their region's; province and leader: all),
    narrowed by status, kind, city, batch and q (project or enterprise name)."""
    f = filters or {}
    qs = _entries(actor)
    if f.get("status") in EntryStatus.values:
        qs = qs.filter(status=f["status"])
    if f.get("kind") in FinancingKind.values:
        qs = qs.filter(kind=f["kind"])
    if f.get("city"):
        qs = qs.filter(city_id=str(f["city"]))
    if str(f.get("batch") or "").isdigit():
        qs = qs.filter(batch_id=int(f["batch"]))
    if f.get("q"):
        text = str(f["q"]).strip()
        qs = qs.filter(Q(project__name__icontains=text) | Q(project__enterprise__name__icontains=text))
    return qs.order_by("-created_at", "-id")


def whitelist_get(*, actor: Any, pk: Any) -> WhitelistEntry:
    return get_scoped_or_404(_entries(actor), actor, "view", pk=pk)


@dataclass
class EntryScreen:
    entry: WhitelistEntry
    moves: list[Any]
    events: list[Any]
    can_edit: bool
    outcomes: list[Outcome]


def whitelist_screen(*, actor: Any, pk: Any) -> EntryScreen:
    """The detail page of an entry (government roles): the buttons the actor may press, the history."""
    if getattr(actor, "role", None) == Role.BANK:
        raise Http404("未找到该记录，或您无权查看。")  # the bank reads through its portal only
    entry = whitelist_get(actor=actor, pk=pk)
    may_change = WhitelistEntry.objects.restrict(actor, "change").filter(pk=entry.pk).exists()
    moves = WHITELIST_WORKFLOW.moves(entry.status, actor.role) if may_change else []
    return EntryScreen(
        entry=entry,
        moves=[m for m in moves if can(actor, m.permission)],
        events=list(entry.events.select_related("actor")),
        can_edit=may_change and entry.status == EntryStatus.RETURNED and can(actor, "whitelist.propose"),
        outcomes=list(Outcome.objects.restrict(actor).filter(entry=entry).select_related("institution")),
    )


def review_queue(*, actor: Any) -> QuerySet[WhitelistEntry]:
    """What waits for the province: proposed entries, then approved ones waiting for a batch."""
    return (
        _entries(actor)
        .filter(status__in=[EntryStatus.PROPOSED, EntryStatus.APPROVED])
        .order_by("status", "created_at", "id")
    )


def batches(*, actor: Any) -> QuerySet[WhitelistBatch]:
    return (
        WhitelistBatch.objects.restrict(actor).annotate(n=Count("entries")).order_by("-published_on", "-id")
    )


def proposable_projects(*, actor: Any) -> QuerySet[Project]:
    """Projects of the city's library (入库) that are not already proposed or listed."""
    live = WhitelistEntry.objects.exclude(status=EntryStatus.REMOVED).values("project_id")
    return (
        Project.objects.restrict(actor, "change")
        .filter(library_status=LibraryStatus.IN_LIBRARY)
        .exclude(pk__in=live)
        .select_related("enterprise")
        .order_by("enterprise__name", "name", "pk")
    )


# ------------------------------------------------------------------------------------------------ bank portal


def consented_fields(*, enterprise_id: int, institution_id: int | None) -> list[str]:
    """The fields the enterprise lets this institution see now: its live consents for the institution
    and for all institutions together."""
    live = Consent.objects.filter(enterprise_id=enterprise_id, withdrawn_at__isnull=True).filter(
        Q(institution__isnull=True) | Q(institution_id=institution_id)
    )
    chosen: set[str] = set()
    for fields in live.values_list("fields", flat=True):
        chosen.update(fields or [])
    return [f for f in ConsentField.values if f in chosen]


def bank_projects(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[WhitelistEntry]:
    """The published whitelist as the bank sees it (project, enterprise, city, the financing needed)."""
    f = filters or {}
    qs = WhitelistEntry.objects.restrict(actor).filter(status=EntryStatus.PUBLISHED)
    qs = qs.select_related("project__enterprise", "city", "batch")
    if f.get("kind") in FinancingKind.values:
        qs = qs.filter(kind=f["kind"])
    if f.get("city"):
        qs = qs.filter(city_id=str(f["city"]))
    if f.get("q"):
        text = str(f["q"]).strip()
        qs = qs.filter(Q(project__name__icontains=text) | Q(project__enterprise__name__icontains=text))
    return qs.order_by("-batch__published_on", "-id")


@dataclass
class BankProject:
    """One whitelisted project as a bank user may see it: the whitelist facts, and only the sections the
    enterprise consented to (a section not consented to is absent, not empty)."""

    entry: WhitelistEntry
    fields: list[str]
    sections: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def field_labels(self) -> list[str]:
        return [ConsentField(f).label for f in self.fields]

    @property
    def section_list(self) -> list[dict[str, Any]]:
        return [{"code": k, "label": ConsentField(k).label, "rows": v} for k, v in self.sections.items()]


def _awards(project: Project) -> list[tuple[str, Any]]:
    apps = Application.objects.filter(project=project, status__in=DECIDED_STATUSES).order_by("pk")
    rows: list[tuple[str, Any]] = []
    for a in apps.select_related("guideline"):
        rows.append((f"{a.guideline} · {a.get_status_display()}", a.granted_amount))
    return rows or [("获得奖补", "暂无")]


def _section(code: str, entry: WhitelistEntry) -> list[tuple[str, Any]]:
    p, ent = entry.project, entry.project.enterprise
    if code == ConsentField.OVERVIEW:
        return [
            ("改造类型", p.get_category_display()),
            ("建设内容", p.description or "—"),
            ("计划开工", p.planned_start),
            ("计划竣工", p.planned_end),
        ]
    if code == ConsentField.INVESTMENT:
        return [
            ("总投资（元）", p.total_investment),
            ("设备投资（元）", p.equipment_investment),
            ("软件投资（元）", p.software_investment),
        ]
    if code == ConsentField.PROGRESS:
        return [
            ("建设状态", p.get_construction_status_display()),
            ("累计完成投资（元）", p.cumulative_investment),
            ("最近填报月份", p.last_reported_month.strftime("%Y-%m") if p.last_reported_month else "—"),
        ]
    if code == ConsentField.AWARDS:
        return _awards(p)
    return [("联系人", ent.contact_person or "—"), ("联系电话", ent.contact_phone or "—")]


def bank_project(*, actor: Any, pk: Any) -> BankProject:
    """A published project for the bank portal with the consented sections (404 for anything else)."""
    entry = get_scoped_or_404(
        WhitelistEntry.objects.filter(status=EntryStatus.PUBLISHED).select_related(
            "project__enterprise", "city", "batch"
        ),
        actor,
        "view",
        pk=pk,
    )
    institution = institution_for(actor)
    fields = consented_fields(
        enterprise_id=entry.project.enterprise_id, institution_id=getattr(institution, "pk", None)
    )
    outcomes = list(Outcome.objects.restrict(actor).filter(entry=entry).order_by("-on_date", "-id"))
    return BankProject(
        entry=entry, fields=fields, sections={f: _section(f, entry) for f in fields}, outcomes=outcomes
    )


# ------------------------------------------------------------------------------------------------ consent


def consent_history(*, actor: Any) -> QuerySet[Consent]:
    return (
        Consent.objects.restrict(actor)
        .select_related("institution", "granted_by", "withdrawn_by")
        .order_by("-granted_at", "-id")
    )


def institutions(*, actor: Any) -> QuerySet[FinancialInstitution]:
    return FinancialInstitution.objects.restrict(actor).order_by("name", "id")


def access_log(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[AuditEvent]:
    """查阅记录: every look and export of the enterprise's whitelisted projects by a financial institution's
    user. Only the enterprise itself (its own rows) reads it here."""
    if getattr(actor, "role", None) != Role.ENTERPRISE or not getattr(actor, "enterprise_id", None):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(
        enterprise_id=actor.enterprise_id,
        actor_role=Role.BANK,
        action__in=["view", "export"],
        target_type=ENTRY_TYPE,
    )
    f = filters or {}
    if f.get("action") in ("view", "export"):
        qs = qs.filter(action=f["action"])
    return qs.order_by("-seq")


def access_rows(events: Any) -> list[dict[str, Any]]:
    """The log rows with the institution of each bank user (one query for all)."""
    events = list(events)
    users = {int(e.actor_ref) for e in events if e.actor_ref.isdigit()}
    names = dict(
        InstitutionMember.objects.filter(user_id__in=users).values_list("user_id", "institution__name")
    )
    return [
        {
            "at": e.occurred_at,
            "who": e.actor_name,
            "institution": names.get(int(e.actor_ref), "") if e.actor_ref.isdigit() else "",
            "action": "导出" if e.action == "export" else "查看",
            "project": e.target_label,
            "comment": e.comment,
        }
        for e in events
    ]


# ------------------------------------------------------------------------------------ events and outcomes


def event_list(*, actor: Any) -> QuerySet[MatchEvent]:
    return (
        MatchEvent.objects.restrict(actor)
        .select_related("city")
        .annotate(
            n_inst=Count("invited_institutions", distinct=True),
            n_proj=Count("invited_projects", distinct=True),
        )
        .order_by("-held_on", "-id")
    )


@dataclass
class EventScreen:
    event: MatchEvent
    institutions: list[Any]
    projects: list[Any]
    can_manage: bool
    outcomes: list[Outcome]


def event_screen(*, actor: Any, pk: Any) -> EventScreen:
    event = get_scoped_or_404(MatchEvent.objects.select_related("city"), actor, "view", pk=pk)
    manage = (
        can(actor, "event.manage")
        and MatchEvent.objects.restrict(actor, "change").filter(pk=event.pk).exists()
    )
    projects = event.invited_projects.select_related("entry__project__enterprise")
    if getattr(actor, "role", None) == Role.ENTERPRISE:
        projects = projects.filter(entry__project__enterprise_id=actor.enterprise_id)  # its own only
    institutions_qs = event.invited_institutions.select_related("institution")
    if getattr(actor, "role", None) == Role.BANK:
        mine = institution_for(actor)
        institutions_qs = institutions_qs.filter(institution=mine)
    return EventScreen(
        event=event,
        institutions=list(institutions_qs.order_by("institution__name")),
        projects=list(projects.order_by("entry__project__name")),
        can_manage=manage,
        outcomes=list(
            Outcome.objects.restrict(actor)
            .filter(event=event)
            .select_related("entry__project", "institution")
        ),
    )


def outcome_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Outcome]:
    f = filters or {}
    qs = Outcome.objects.restrict(actor).select_related(
        "entry__project__enterprise", "entry__city", "institution", "event"
    )
    if f.get("status") in OutcomeStatus.values:
        qs = qs.filter(status=f["status"])
    if f.get("stage") in OutcomeStage.values:
        qs = qs.filter(stage=f["stage"])
    if f.get("q"):
        text = str(f["q"]).strip()
        qs = qs.filter(Q(entry__project__name__icontains=text) | Q(institution__name__icontains=text))
    return qs.order_by("-on_date", "-id")


# ------------------------------------------------------------------------------------------------ figures


def _label_maps(group_by: str, keys: set[Any]) -> dict[Any, str]:
    if group_by in ("city", "county"):
        from jigai.regions.models import Region

        return {code: r.label for code, r in Region.objects.in_bulk(list(keys)).items()}
    if group_by == "institution":
        return dict(FinancialInstitution.objects.filter(pk__in=keys).values_list("pk", "name"))
    if group_by == "programme":
        return dict(FinancingKind.choices)
    return {m: f"{m}月" for m in range(1, 13)}


def county_of(region_path: str) -> str:
    """The county (or zone) a region lies in, from its materialised path: "410000/410300/410305" → "410305";
    a city's own path ("410000/410300", an enterprise registered at the city, or Jiyuan) → the city."""
    parts = [p for p in (region_path or "").split("/") if p]
    return parts[2] if len(parts) > 2 else (parts[-1] if parts else "")


def _in_region(field: str, region: Any) -> Q:
    """Rows whose `field` (a FK to regions.Region) is `region` or lies below it: a narrowing of the scope
    gate, never a widening (the gate is applied first)."""
    return Q(**{f"{field}__path": region.path}) | Q(**{f"{field}__path__startswith": f"{region.path}/"})


# The raw key of each grouping in the entry rows and in the outcome rows (county: the project's region path,
# reduced to its county by `county_of`).
_ENTRY_KEY = {
    "city": "city_id",
    "county": "project__enterprise__region__path",
    "programme": "kind",
    "month": "month",
}
_OUTCOME_KEY = {
    "city": "entry__city_id",
    "county": "entry__project__enterprise__region__path",
    "programme": "entry__kind",
    "month": "month",
    "institution": "institution_id",
}


def _key(group_by: str, raw: Any) -> Any:
    return county_of(raw) if group_by == "county" else raw


def financing_figures(
    actor: Any, *, year: int, group_by: str = "city", region: Any = None
) -> list[dict[str, Any]]:
    """Financing needed, approved and disbursed in `year`, grouped by city, county (the county or zone of
    the project's enterprise; the city itself for an enterprise registered at the city), institution,
    programme (the financing kind: 贷款/担保/基金投资/融资租赁) or month, within the actor's scope and, when
    `region` (a Region) is given, within that region (the monitoring dashboard of a city or a county).

    needed: the amounts of the entries published that year (by their batch's date; an entry later removed
    still counts in the year it was listed); approved / disbursed: CONFIRMED outcomes of the stage dated in
    the year (unconfirmed ones are reported apart as `unconfirmed`). Entries are not tied to an institution:
    by institution, `needed` is None. Rows: key, label, needed, approved, disbursed, unconfirmed, projects,
    sorted by key; yuan as Decimal."""
    return financing_figures_by(actor, year=year, groups=(group_by,), region=region)[group_by]


def financing_figures_by(
    actor: Any, *, year: int, groups: tuple[str, ...], region: Any = None
) -> dict[str, list[dict[str, Any]]]:
    """`financing_figures` for several groupings at once (the monitoring dashboard shows four), from the
    same two grouped queries: {group_by: rows}."""
    for group_by in groups:
        if group_by not in GROUPS:
            raise ValueError(f"group_by must be one of {GROUPS}")
    tables: dict[str, dict[Any, dict[str, Any]]] = {g: {} for g in groups}

    def row(group_by: str, key: Any) -> dict[str, Any]:
        return tables[group_by].setdefault(
            key,
            {
                "key": key,
                "needed": None if group_by == "institution" else ZERO,
                "approved": ZERO,
                "disbursed": ZERO,
                "unconfirmed": ZERO,
                "projects": 0,
            },
        )

    listed_groups = [g for g in groups if g != "institution"]
    if listed_groups:
        listed = WhitelistEntry.objects.restrict(actor).filter(batch__published_on__year=year)
        if region is not None:
            listed = listed.filter(_in_region("project__enterprise__region", region))
        listed = listed.annotate(month=ExtractMonth("batch__published_on"))
        fields = sorted({_ENTRY_KEY[g] for g in listed_groups})
        for r in listed.values(*fields).annotate(total=Sum("amount"), n=Count("id")):
            for g in listed_groups:
                target = row(g, _key(g, r[_ENTRY_KEY[g]]))
                target["needed"] += r["total"] or ZERO
                target["projects"] += r["n"]
    money = Outcome.objects.restrict(actor).filter(
        on_date__year=year, stage__in=[OutcomeStage.APPROVED, OutcomeStage.DISBURSED]
    )
    if region is not None:
        money = money.filter(_in_region("entry__project__enterprise__region", region))
    money = money.annotate(month=ExtractMonth("on_date"))
    fields = sorted({_OUTCOME_KEY[g] for g in groups})
    for r in money.values(*fields, "stage", "status").annotate(total=Sum("amount")):
        total = r["total"] or ZERO
        for g in groups:
            target = row(g, _key(g, r[_OUTCOME_KEY[g]]))
            if r["status"] == OutcomeStatus.CONFIRMED:
                target[r["stage"]] += total
            elif r["status"] == OutcomeStatus.ENTERED:
                target["unconfirmed"] += total
    region_keys = set().union(*(tables[g] for g in groups if g in ("city", "county")))
    region_labels = _label_maps("city", region_keys) if region_keys else {}
    out: dict[str, list[dict[str, Any]]] = {}
    for g in groups:
        labels = region_labels if g in ("city", "county") else _label_maps(g, set(tables[g]))
        keys = sorted(tables[g], key=lambda k: str(k) if g != "month" else f"{k:02d}")
        out[g] = [{**tables[g][k], "label": labels.get(k, str(k))} for k in keys]
    return out


def figures_total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = {
        "label": "合计",
        "needed": ZERO,
        "approved": ZERO,
        "disbursed": ZERO,
        "unconfirmed": ZERO,
        "projects": 0,
    }
    for r in rows:
        for k in ("approved", "disbursed", "unconfirmed", "projects"):
            total[k] += r[k]
        if r["needed"] is None:
            total["needed"] = None
        elif total["needed"] is not None:
            total["needed"] += r["needed"]
    return total


def stats_years(*, today: dt.date) -> list[int]:
    return list(range(today.year, today.year - 5, -1))
