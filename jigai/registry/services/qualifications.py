"""Qualifications are facts someone vouches for (issue 7): an officer verifies a claimed qualification
against its certificate or the official list (名单), or rejects it with the reason.

The workflow is data (QUALIFICATION_TRANSITIONS); one service applies a move: permission first, then the
row read through the scope gate and locked, the kind checked against who may vouch for it
(models.COUNTY_CONFIRMABLE_LEVELS), an illegal or repeated move refused, the audit record written and the
enterprise told (in-app message; e-mail after commit).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.permissions import can, require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound

from ..models import Qualification, QualificationStatus, may_verify
from .common import snapshot

QS = QualificationStatus

# state → the states an officer may move it to. A verified qualification can still be withdrawn (the list
# was revised, the certificate found false) and a rejected one verified after all (the officer erred).
QUALIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    QS.SUBMITTED: frozenset({QS.VERIFIED, QS.REJECTED}),
    QS.VERIFIED: frozenset({QS.REJECTED}),
    QS.REJECTED: frozenset({QS.VERIFIED}),
}
ACTION_LABELS = {QS.VERIFIED: "核验通过", QS.REJECTED: "驳回"}
# What the officer's decision covers: the state and who made it when (the audit record's before/after).
DECISION_FIELDS = ("status", "verified_by", "verified_at", "review_comment", "list_document_no")


def unverify(q: Qualification) -> None:
    """Back to 待核验 (unsaved): what was vouched for has changed."""
    q.status = QS.SUBMITTED
    q.verified_by = None
    q.verified_at = None
    q.review_comment = ""
    q.list_document_no = ""


def allowed_moves(*, actor: Any, qualification: Qualification) -> list[str]:
    """The states `actor` may move the qualification to now (for the buttons); scope is the caller's read."""
    if not can(actor, "qualification.verify"):
        return []
    if not may_verify(actor.role, qualification.kind, qualification.level):
        return []
    return sorted(QUALIFICATION_TRANSITIONS.get(qualification.status, frozenset()))


def _enterprise_users(q: Qualification) -> list[Any]:
    return list(
        get_user_model().objects.filter(role=Role.ENTERPRISE, enterprise_id=q.enterprise_id, is_active=True)
    )


def _move(*, actor: Any, qualification: Qualification, to: str, comment: str) -> Qualification:
    require(actor, "qualification.verify")
    q = (
        Qualification.objects.restrict(actor, "change")
        .select_for_update(of=("self",))
        .filter(pk=qualification.pk)
        .first()
    )
    if q is None:
        raise NotFound("未找到该资质，或您无权操作。")
    if not may_verify(actor.role, q.kind, q.level):
        level = q.get_level_display() or "未填级别"
        raise AccessDenied(
            f"“{q.get_kind_display()}”（{level}）须由省工信厅核验，县级不能核验。", code="not_verifier"
        )
    if q.status == to:
        raise Conflict(
            f"该资质已是“{q.get_status_display()}”状态，请勿重复操作。", code="repeated_transition"
        )
    if to not in QUALIFICATION_TRANSITIONS.get(q.status, frozenset()):
        raise Conflict(
            f"该资质当前为“{q.get_status_display()}”，不能{ACTION_LABELS[to]}。", code="illegal_transition"
        )
    before = snapshot(q)
    q.status = to
    q.verified_by = actor
    q.verified_at = timezone.now()
    q.review_comment = comment
    q.save(update_fields=list(DECISION_FIELDS))
    after = snapshot(q)
    audit_record(
        actor=actor,
        action="confirm" if to == QS.VERIFIED else "reject",
        obj=q,
        before={k: before[k] for k in DECISION_FIELDS},
        after={k: after[k] for k in DECISION_FIELDS},
        comment=comment,
    )
    from jigai.notifications.services import notify

    kind_label = q.get_kind_display()
    if to == QS.VERIFIED:
        title, body = f"资质已核验：{kind_label}", f"您填报的资质“{q}”已核验通过。{comment}".strip()
    else:
        title, body = f"资质被驳回：{kind_label}", f"您填报的资质“{q}”未通过核验。驳回原因：{comment}"
    notify(
        recipients=_enterprise_users(q),
        kind=f"qualification.{to}",
        title=title,
        body=body,
        url=reverse("registry:enterprise_detail", args=[q.enterprise_id]),
    )
    return q


@transaction.atomic
def qualification_verify(*, actor: Any, qualification: Qualification, comment: str = "") -> Qualification:
    """A province officer (or the county, for what it may confirm) verifies the qualification against its
    certificate: from now on it counts, while in force, for the calculator and the refusal rules."""
    return _move(actor=actor, qualification=qualification, to=QS.VERIFIED, comment=(comment or "").strip())


@transaction.atomic
def qualification_reject(*, actor: Any, qualification: Qualification, reason: str) -> Qualification:
    """The officer rejects the qualification, with the reason the enterprise sees (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["请填写驳回原因（企业将看到该原因）。"]})
    return _move(actor=actor, qualification=qualification, to=QS.REJECTED, comment=reason)
