"""Changes of the financing area (四（二）“金融支持”). Each service: permission and rules first, one
transaction, an event row where the object has a workflow, an audit record, notifications in the same
transaction.

The whitelist workflow is data (WHITELIST_WORKFLOW, jigai.core.workflow): the city proposes, the province
approves or returns, publishes the approved entries as a dated batch, and a project leaves the list with a
reason. A bank user's every look at a project and every export is written to the audit trail
(`bank_access_record`), so the enterprise sees who looked (selectors.access_log).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.models import User
from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from jigai.core.workflow import Move, Workflow, apply_move
from jigai.notifications.services import notify
from jigai.regions.models import Region, RegionLevel
from jigai.registry.models import LibraryStatus, Project

from .models import (
    Consent,
    ConsentField,
    EntryStatus,
    EventInstitution,
    EventProject,
    FinancialInstitution,
    FinancingKind,
    InstitutionMember,
    MatchEvent,
    Outcome,
    OutcomeStage,
    OutcomeStatus,
    WhitelistBatch,
    WhitelistEntry,
    WhitelistEvent,
)

S = EntryStatus
MAX_TERM_MONTHS = 360


def _move(state: str, role: str, action: str, to: str, perm: str, label: str, verb: str, **kw: Any) -> Move:
    kind = kw.pop("kind", "warning" if action in ("return", "remove") else "primary")
    return Move(
        state=state, role=role, action=action, to=to, permission=perm, label=label, verb=verb, kind=kind, **kw
    )


# (state, role, action) → next state, permission, label, audit verb.
WHITELIST_WORKFLOW = Workflow(
    noun="白名单项目",
    field="status",
    state_label=lambda s: EntryStatus(s).label,
    authorize=require,
    record=audit_record,
    moves=[
        _move(S.PROPOSED, Role.PROVINCE, "approve", S.APPROVED, "whitelist.manage", "审核通过", "approve"),
        _move(S.PROPOSED, Role.PROVINCE, "return", S.RETURNED, "whitelist.manage", "退回修改", "return"),
        _move(S.APPROVED, Role.PROVINCE, "return", S.RETURNED, "whitelist.manage", "退回修改", "return"),
        _move(S.RETURNED, Role.CITY, "resubmit", S.PROPOSED, "whitelist.propose", "重新推荐", "resubmit"),
        _move(
            S.APPROVED,
            Role.PROVINCE,
            "publish",
            S.PUBLISHED,
            "whitelist.manage",
            "发布",
            "publish",
            special="在“白名单审核”页按批次发布",
        ),
        _move(
            S.PUBLISHED,
            Role.PROVINCE,
            "remove",
            S.REMOVED,
            "whitelist.manage",
            "移出白名单",
            "delete",
            kind="danger",
        ),
        _move(
            S.PUBLISHED,
            Role.CITY,
            "remove",
            S.REMOVED,
            "whitelist.propose",
            "移出白名单",
            "delete",
            kind="danger",
        ),
        _move(
            S.RETURNED,
            Role.CITY,
            "remove",
            S.REMOVED,
            "whitelist.propose",
            "撤销推荐",
            "delete",
            kind="danger",
        ),
    ],
)
# Moves whose comment (the reason) is required.
NEEDS_REASON = {"return": "退回修改必须填写意见。", "remove": "移出白名单必须填写原因。"}


def _entry_snapshot(entry: WhitelistEntry) -> dict[str, Any]:
    return snapshot(entry, ["status", "amount", "term_months", "kind", "purpose", "batch", "comment"])


def _event_writer(actor: Any) -> Any:
    """The workflow's event-row writer for one actor's move."""

    def write(entry: WhitelistEntry, move: Move, before: str, comment: str) -> WhitelistEvent:
        return WhitelistEvent.objects.create(
            entry=entry, actor=actor, from_status=before, to_status=move.to, comment=comment
        )

    return write


def _check_need(amount: Any, term_months: Any, kind: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if amount is None or Decimal(amount) <= 0:
        errors["amount"] = ["请填写融资需求金额（万元），须大于 0。"]
    if term_months is None or not (1 <= int(term_months) <= MAX_TERM_MONTHS):
        errors["term_months"] = [f"期限须为 1 至 {MAX_TERM_MONTHS} 个月。"]
    if kind not in FinancingKind.values:
        errors["kind"] = ["请选择融资方式：贷款、担保、基金投资或融资租赁。"]
    return errors


def _city_of(actor: Any) -> Region:
    region = actor.region
    if region is None or region.level != RegionLevel.CITY:
        raise AccessDenied("只有市级工信部门可以推荐白名单项目。")
    return region


# ------------------------------------------------------------------------------------------------ whitelist


@transaction.atomic
def whitelist_propose(
    *, actor: Any, project: Project | int, amount: Decimal, term_months: int, kind: str, purpose: str = ""
) -> WhitelistEntry:
    """The city proposes a project of its library (入库, its region's) with the financing it needs."""
    require(actor, "whitelist.propose")
    city = _city_of(actor)
    pk = project.pk if isinstance(project, Project) else project
    locked = Project.objects.restrict(actor, "change").select_for_update(of=("self",)).filter(pk=pk).first()
    if locked is None:
        raise InvalidInput({"project": ["未找到该项目，或项目不在本市项目库中。"]})
    errors = _check_need(amount, term_months, kind)
    if locked.library_status != LibraryStatus.IN_LIBRARY:
        errors.setdefault("project", []).append("只有已入库的项目才能推荐进入白名单。")
    elif WhitelistEntry.objects.filter(project=locked).exclude(status=S.REMOVED).exists():
        errors.setdefault("project", []).append("该项目已在白名单推荐或名单中。")
    if errors:
        raise InvalidInput(errors)
    entry = WhitelistEntry.objects.create(
        project=locked,
        city=city,
        amount=amount,
        term_months=term_months,
        kind=kind,
        purpose=(purpose or "").strip(),
        status=S.PROPOSED,
        proposed_by=actor,
    )
    WhitelistEvent.objects.create(entry=entry, actor=actor, from_status="", to_status=S.PROPOSED)
    audit_record(actor=actor, action="recommend", obj=entry, after=_entry_snapshot(entry))
    return entry


@transaction.atomic
def whitelist_update(
    *, actor: Any, entry: WhitelistEntry, amount: Decimal, term_months: int, kind: str, purpose: str = ""
) -> WhitelistEntry:
    """The city corrects the financing need of an entry returned to it."""
    require(actor, "whitelist.propose")
    locked = (
        WhitelistEntry.objects.restrict(actor, "change")
        .select_for_update(of=("self",))
        .filter(pk=entry.pk)
        .first()
    )
    if locked is None:
        raise NotFound("未找到该白名单项目，或您无权操作。")
    if locked.status != S.RETURNED:
        raise Conflict(
            f"该项目当前为“{locked.get_status_display()}”，退回修改后方可修改。", code="not_editable"
        )
    errors = _check_need(amount, term_months, kind)
    if errors:
        raise InvalidInput(errors)
    before = _entry_snapshot(locked)
    locked.amount, locked.term_months, locked.kind = amount, term_months, kind
    locked.purpose = (purpose or "").strip()
    locked.save()
    audit_record(actor=actor, action="update", obj=locked, before=before, after=_entry_snapshot(locked))
    return locked


def whitelist_move(
    *, actor: Any, entry: WhitelistEntry | int, action: str, comment: str = ""
) -> WhitelistEntry:
    """Approve, return, resubmit or remove an entry by the one workflow service (locks, checks the table,
    writes the event row and the audit record). A return and a removal need a reason."""
    comment = (comment or "").strip()
    pk = entry.pk if isinstance(entry, WhitelistEntry) else entry
    if action == "publish":
        raise Conflict("发布请在“白名单审核”页按批次进行。", code="publish_by_batch")

    def prepare(e: WhitelistEntry, m: Move) -> None:
        if m.action in NEEDS_REASON and not comment:
            raise InvalidInput({"comment": [NEEDS_REASON[m.action]]})
        e.comment = comment

    def tell(e: WhitelistEntry, m: Move) -> None:
        if m.action == "return":
            notify(
                recipients=[e.proposed_by],
                kind="whitelist.return",
                title=f"白名单推荐被退回：{e.project.name}",
                body=comment,
                url=reverse("financing:whitelist_detail", args=[e.pk]),
            )

    return apply_move(
        workflow=WHITELIST_WORKFLOW,
        queryset=WhitelistEntry.objects.restrict(actor, "change"),
        pk=pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=_event_writer(actor),
        snapshot=_entry_snapshot,
        prepare=prepare,
        notify=tell,
        not_found="未找到该白名单项目，或您无权操作。",
    )


@transaction.atomic
def whitelist_publish(
    *, actor: Any, published_on: dt.date, entries: list[int] | None = None
) -> WhitelistBatch:
    """The province publishes the approved entries (all, or those listed) as one batch with its date."""
    require(actor, "whitelist.manage")
    if published_on is None:
        raise InvalidInput({"published_on": ["请填写发布日期。"]})
    qs = WhitelistEntry.objects.restrict(actor, "change").filter(status=S.APPROVED)
    if entries is not None:
        qs = qs.filter(pk__in=entries)
    locked = list(qs.select_for_update(of=("self",)).select_related("project").order_by("pk"))
    if not locked:
        raise Conflict("没有审核通过、待发布的白名单项目。", code="nothing_to_publish")
    year = published_on.year
    last = WhitelistBatch.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0
    batch = WhitelistBatch.objects.create(
        year=year, number=last + 1, published_on=published_on, published_by=actor
    )
    audit_record(
        actor=actor,
        action="publish",
        obj=batch,
        after={"entries": [e.pk for e in locked], "published_on": published_on},
    )
    write = _event_writer(actor)
    for e in locked:
        before = _entry_snapshot(e)
        e.batch = batch
        WHITELIST_WORKFLOW.step(e, actor=actor, action="publish", comment=str(batch), write_event=write)
        audit_record(
            actor=actor, action="publish", obj=e, before=before, after=_entry_snapshot(e), comment=str(batch)
        )
    return batch


# ------------------------------------------------------------------------------------------------ consent


def _clean_fields(fields: Any) -> list[str]:
    chosen = [f for f in ConsentField.values if f in set(fields or [])]
    unknown = set(fields or []) - set(ConsentField.values)
    if unknown or not chosen:
        raise InvalidInput(
            {"fields": ["请至少选择一项可查看的内容（项目概况、投资额、建设进度、获得奖补、联系人）。"]}
        )
    return chosen


@transaction.atomic
def consent_set(*, actor: Any, institution: FinancialInstitution | int | None, fields: list[str]) -> Consent:
    """The enterprise lets one institution (or, with None, every institution) see these fields of its
    whitelisted projects. The live consent for the same institution is closed first (history kept)."""
    require(actor, "consent.manage")
    if not actor.enterprise_id:
        raise AccessDenied("您的账号未关联企业。")
    chosen = _clean_fields(fields)
    inst = None
    if institution is not None:
        pk = institution.pk if isinstance(institution, FinancialInstitution) else institution
        inst = FinancialInstitution.objects.filter(pk=pk).first()
        if inst is None:
            raise InvalidInput({"institution": ["未找到该金融机构。"]})
    now = timezone.now()
    live = Consent.objects.select_for_update().filter(
        enterprise_id=actor.enterprise_id, institution=inst, withdrawn_at__isnull=True
    )
    for old in live:
        old.withdrawn_at, old.withdrawn_by = now, actor
        old.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_record(actor=actor, action="withdraw", obj=old, comment="被新的授权替代")
    consent = Consent.objects.create(
        enterprise_id=actor.enterprise_id, institution=inst, fields=chosen, granted_by=actor
    )
    audit_record(
        actor=actor,
        action="create",
        obj=consent,
        after={"institution": inst.pk if inst else None, "fields": chosen},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent | int) -> Consent:
    """Withdraw a consent: from the bank's next request on, the fields are no longer shown."""
    require(actor, "consent.manage")
    pk = consent.pk if isinstance(consent, Consent) else consent
    locked = Consent.objects.restrict(actor, "change").select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound("未找到该授权记录。")
    if locked.withdrawn_at is not None:
        raise Conflict("该授权已撤回，请勿重复操作。", code="repeated_transition")
    locked.withdrawn_at, locked.withdrawn_by = timezone.now(), actor
    locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(actor=actor, action="withdraw", obj=locked, after={"fields": locked.fields})
    return locked


# ------------------------------------------------------------------------------------------------ bank access


def institution_of(actor: Any) -> FinancialInstitution:
    """The bank user's institution; a bank user without one may do nothing."""
    member = (
        InstitutionMember.objects.select_related("institution")
        .filter(user_id=getattr(actor, "pk", None))
        .first()
    )
    if member is None:
        raise AccessDenied("您的账号未关联金融机构，请联系管理员。")
    return member.institution


@transaction.atomic
def bank_access_record(*, actor: Any, entries: list[WhitelistEntry], action: str, comment: str = "") -> None:
    """Write one audit record per project a bank user looked at ("view") or exported ("export"), filed
    under the project's enterprise, so the enterprise's 查阅记录 shows who looked and when."""
    if action not in ("view", "export"):
        raise ValueError(action)
    for entry in entries:
        audit_record(actor=actor, action=action, obj=entry, comment=comment)


# ------------------------------------------------------------------------------------------------ outcomes


def _check_outcome(stage: str, amount: Any, on_date: Any, product: str, rate: Any) -> None:
    errors: dict[str, list[str]] = {}
    if stage not in OutcomeStage.values:
        errors["stage"] = ["请选择阶段：意向、授信审批或放款。"]
    if on_date is None:
        errors["on_date"] = ["请填写日期。"]
    if stage in (OutcomeStage.APPROVED, OutcomeStage.DISBURSED) and (amount is None or Decimal(amount) <= 0):
        errors["amount"] = ["授信审批和放款须填写金额（万元），且大于 0。"]
    if stage == OutcomeStage.DISBURSED:
        if not (product or "").strip():
            errors["product"] = ["放款须填写金融产品名称。"]
        if rate is None:
            errors["rate"] = ["放款须填写年利率（%）。"]
    if rate is not None and not (Decimal(0) <= Decimal(rate) <= Decimal(36)):
        errors.setdefault("rate", []).append("年利率须在 0 至 36% 之间。")
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def outcome_record(
    *,
    actor: Any,
    entry: WhitelistEntry | int,
    stage: str,
    on_date: dt.date,
    amount: Decimal | None = None,
    product: str = "",
    rate: Decimal | None = None,
    note: str = "",
    event: MatchEvent | int | None = None,
) -> Outcome:
    """The institution enters an outcome on a published whitelist project; the city confirms it."""
    require(actor, "financing.record")
    institution = institution_of(actor)
    pk = entry.pk if isinstance(entry, WhitelistEntry) else entry
    found = (
        WhitelistEntry.objects.restrict(actor, "view")
        .select_related("project__enterprise")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("未找到该白名单项目。")
    _check_outcome(stage, amount, on_date, product, rate)
    event_obj = None
    if event is not None:
        event_pk = event.pk if isinstance(event, MatchEvent) else event
        event_obj = MatchEvent.objects.restrict(actor, "view").filter(pk=event_pk).first()
        if event_obj is None:
            raise InvalidInput({"event": ["未找到该对接活动，或本机构未受邀。"]})
    outcome = Outcome.objects.create(
        entry=found,
        institution=institution,
        event=event_obj,
        stage=stage,
        amount=amount if stage != OutcomeStage.INTENTION or amount else None,
        on_date=on_date,
        product=(product or "").strip(),
        rate=rate,
        note=(note or "").strip(),
        entered_by=actor,
    )
    audit_record(actor=actor, action="create", obj=outcome, after=snapshot(outcome))
    city_users = User.objects.filter(role=Role.CITY, region=found.city, is_active=True)
    notify(
        recipients=city_users,
        kind="financing.outcome",
        title=f"待确认融资成果：{found.project.name}（{outcome.get_stage_display()}）",
        url=reverse("financing:outcome_list") + "?status=entered",
        email=False,
    )
    return outcome


@transaction.atomic
def outcome_check(*, actor: Any, outcome: Outcome | int, confirm: bool, comment: str = "") -> Outcome:
    """The project's city confirms an outcome (it then counts in the figures) or returns it with a reason."""
    require(actor, "financing.confirm")
    pk = outcome.pk if isinstance(outcome, Outcome) else outcome
    locked = Outcome.objects.restrict(actor, "change").select_for_update(of=("self",)).filter(pk=pk).first()
    if locked is None:
        raise NotFound("未找到该融资成果，或您无权操作。")
    if locked.status != OutcomeStatus.ENTERED:
        raise Conflict(
            f"该融资成果已是“{locked.get_status_display()}”，请勿重复操作。", code="repeated_transition"
        )
    comment = (comment or "").strip()
    if not confirm and not comment:
        raise InvalidInput({"comment": ["退回须填写原因。"]})
    before = snapshot(locked, ["status"])
    locked.status = OutcomeStatus.CONFIRMED if confirm else OutcomeStatus.RETURNED
    locked.checked_by, locked.checked_at, locked.check_comment = actor, timezone.now(), comment
    locked.save()
    audit_record(
        actor=actor,
        action="confirm" if confirm else "return",
        obj=locked,
        before=before,
        after=snapshot(locked, ["status"]),
        comment=comment,
    )
    if not confirm:
        notify(
            recipients=[locked.entered_by],
            kind="financing.outcome_return",
            title=f"融资成果被退回：{locked.entry.project.name}",
            body=comment,
            url=reverse("financing:outcome_list"),
            email=False,
        )
    return locked


# ------------------------------------------------------------------------------------------------ events


@transaction.atomic
def event_create(
    *,
    actor: Any,
    title: str,
    held_on: dt.date,
    organiser: str,
    place: str = "",
    city: Region | str | None = None,
    institutions: list[int] | None = None,
    entries: list[int] | None = None,
) -> MatchEvent:
    """The province or a city organises a matchmaking event and invites institutions and whitelisted
    (published) projects; a city organises in its own city only."""
    require(actor, "event.manage")
    errors: dict[str, list[str]] = {}
    if actor.role == Role.CITY:
        city_obj = _city_of(actor)
    else:
        code = city.pk if isinstance(city, Region) else city
        city_obj = Region.objects.filter(pk=code, level=RegionLevel.CITY).first() if code else None
        if city_obj is None:
            errors["city"] = ["请选择举办活动的省辖市。"]
    if not (title or "").strip():
        errors["title"] = ["请填写活动名称。"]
    if not (organiser or "").strip():
        errors["organiser"] = ["请填写主办单位。"]
    if held_on is None:
        errors["held_on"] = ["请填写活动日期。"]
    inst_ids = sorted(set(institutions or []))
    entry_ids = sorted(set(entries or []))
    found_insts = list(FinancialInstitution.objects.filter(pk__in=inst_ids))
    if len(found_insts) != len(inst_ids):
        errors["institutions"] = ["所选金融机构不存在。"]
    found_entries = list(
        WhitelistEntry.objects.restrict(actor, "view").filter(pk__in=entry_ids, status=S.PUBLISHED)
    )
    if len(found_entries) != len(entry_ids):
        errors["entries"] = ["只能邀请本辖区已发布白名单中的项目。"]
    if errors:
        raise InvalidInput(errors)
    event = MatchEvent.objects.create(
        title=title.strip(),
        held_on=held_on,
        city=city_obj,
        organiser=organiser.strip(),
        place=(place or "").strip(),
        created_by=actor,
    )
    EventInstitution.objects.bulk_create([EventInstitution(event=event, institution=i) for i in found_insts])
    EventProject.objects.bulk_create([EventProject(event=event, entry=e) for e in found_entries])
    audit_record(
        actor=actor,
        action="create",
        obj=event,
        after={**snapshot(event), "institutions": inst_ids, "entries": entry_ids},
    )
    return event


@transaction.atomic
def event_attendance(
    *, actor: Any, event: MatchEvent | int, institutions: list[int], entries: list[int]
) -> MatchEvent:
    """The organiser records who attended: the institutions and projects ticked, the rest absent."""
    require(actor, "event.manage")
    pk = event.pk if isinstance(event, MatchEvent) else event
    locked = MatchEvent.objects.restrict(actor, "change").select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound("未找到该对接活动，或您无权操作。")
    if locked.held_on > timezone.localdate():
        raise Conflict("活动尚未举行，不能登记出席情况。", code="not_yet")
    inst, proj = set(institutions or []), set(entries or [])
    before = {
        "institutions": sorted(
            locked.invited_institutions.filter(attended=True).values_list("institution_id", flat=True)
        ),
        "entries": sorted(locked.invited_projects.filter(attended=True).values_list("entry_id", flat=True)),
    }
    for row in locked.invited_institutions.all():
        row.attended = row.institution_id in inst
        row.save(update_fields=["attended"])
    for row in locked.invited_projects.all():
        row.attended = row.entry_id in proj
        row.save(update_fields=["attended"])
    after = {
        "institutions": sorted(
            i for i in inst if i in {r.institution_id for r in locked.invited_institutions.all()}
        ),
        "entries": sorted(e for e in proj if e in {r.entry_id for r in locked.invited_projects.all()}),
    }
    audit_record(actor=actor, action="update", obj=locked, before=before, after=after, comment="登记出席情况")
    return locked
