"""Reads for vouching (issue 7): the officers' queue of qualifications to verify, each qualification's
state and the moves the viewer may make, and the 研发、生产在河南省内 declaration with its check. Every read
starts from the scope gate (`restrict`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from jigai.accounts.permissions import can

from .models import Enterprise, Qualification, QualificationStatus, verifiable_q
from .services.qualifications import allowed_moves


def qualification_queue(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Qualification]:
    """Qualifications the actor may vouch for, in their region (the county: only the kinds it may confirm):
    status (default 待核验), kind, region (code: that region and below), q (enterprise name or code). The
    oldest claim first. An actor who may not verify gets nothing."""
    f = filters or {}
    if not can(actor, "qualification.verify"):
        return Qualification.objects.none()
    qs = (
        Qualification.objects.restrict(actor, "change")
        .filter(verifiable_q(actor.role))
        .select_related("enterprise", "enterprise__region", "enterprise__region__parent", "verified_by")
    )
    qs = qs.filter(status=f.get("status") or QualificationStatus.SUBMITTED)
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("region"):
        code = f["region"]
        qs = qs.filter(Q(enterprise__region_id=code) | Q(enterprise__region__path__contains=f"{code}/"))
    if f.get("q"):
        text = f["q"].strip()
        qs = qs.filter(Q(enterprise__name__icontains=text) | Q(enterprise__uscc__icontains=text.upper()))
    return qs.order_by("created_at", "pk")


@dataclass(frozen=True)
class QualificationRow:
    """One qualification as the enterprise page shows it: the row, its state, and the viewer's moves."""

    obj: Qualification
    can_verify: bool
    can_reject: bool


def with_moves(*, actor: Any, qualifications: Any) -> list[QualificationRow]:
    """Each qualification with the verify / reject buttons the actor may use on it."""
    rows = []
    for q in qualifications:
        moves = allowed_moves(actor=actor, qualification=q)
        rows.append(
            QualificationRow(
                obj=q,
                can_verify=QualificationStatus.VERIFIED in moves,
                can_reject=QualificationStatus.REJECTED in moves,
            )
        )
    return rows


@dataclass(frozen=True)
class QualificationTable:
    rows: list[QualificationRow]
    any_moves: bool  # the table needs its 操作 column for the viewer's buttons


def qualification_table(*, actor: Any, enterprise: Enterprise) -> QualificationTable:
    """The enterprise's qualifications the actor may see, with the state (and rejection reason) and the
    verify / reject buttons the actor may use on each."""
    qs = Qualification.objects.restrict(actor).filter(enterprise=enterprise).select_related("verified_by")
    rows = with_moves(actor=actor, qualifications=qs)
    return QualificationTable(rows=rows, any_moves=any(r.can_verify or r.can_reject for r in rows))


@dataclass(frozen=True)
class InHenanPanel:
    """研发、生产在河南省内 on the enterprise page: the declaration, its check, and what the viewer may do."""

    declared: bool
    state: str
    counts: bool  # what the calculator receives as applicant.in_henan
    confirmed_by: str
    confirmed_at: Any
    comment: str
    can_check: bool


def in_henan_panel(*, actor: Any, enterprise: Enterprise) -> InHenanPanel:
    """The panel for an enterprise the actor has already read through the scope gate. The check buttons
    show for a checker whose scope holds the enterprise for change (the county of its region, the
    province), and only once the enterprise has declared."""
    may_check = (
        can(actor, "enterprise.confirm_in_henan")
        and enterprise.in_henan_declared
        and Enterprise.objects.restrict(actor, "change").filter(pk=enterprise.pk).exists()
    )
    by = enterprise.in_henan_confirmed_by
    return InHenanPanel(
        declared=enterprise.in_henan_declared,
        state=enterprise.in_henan_state,
        counts=enterprise.in_henan,
        confirmed_by=(by.get_full_name() or by.get_username()) if by is not None else "",
        confirmed_at=enterprise.in_henan_confirmed_at,
        comment=enterprise.in_henan_comment,
        can_check=may_check,
    )
