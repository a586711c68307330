"""Qualifications are facts someone vouches for (issue 7): an officer verifies a claimed qualification
against its certificate or the official list (名单), or rejects it with the reason.

The workflow is data: QUALIFICATION_WORKFLOW, a table of the core type (jigai.core.workflow), applied by the
one workflow service `apply_move`: permission first, then the row read through the scope gate and locked,
an illegal or repeated move refused, the kind checked against who may vouch for it
(models.COUNTY_CONFIRMABLE_LEVELS), the audit record written and the enterprise told (in-app message;
e-mail after commit).
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
from jigai.core.errors import AccessDenied, InvalidInput
from jigai.core.workflow import Move, Workflow, apply_move

from ..models import Qualification, QualificationStatus, may_verify
from .common import snapshot

QS = QualificationStatus
PERMISSION = "qualification.verify"


def _moves_of(role: str) -> list[Move]:
    # A verified qualification can still be withdrawn (the list was revised, the certificate found false)
    # and a rejected one verified after all (the officer erred).
    def move(state: str, action: str, to: str, label: str, verb: str, kind: str) -> Move:
        return Move(
            state=state,
            role=role,
            action=action,
            to=to,
            permission=PERMISSION,
            label=label,
            verb=verb,
            kind=kind,
        )

    return [
        move(QS.SUBMITTED, "verify", QS.VERIFIED, "核验通过", "confirm", "primary"),
        move(QS.SUBMITTED, "reject", QS.REJECTED, "驳回", "reject", "danger"),
        move(QS.VERIFIED, "reject", QS.REJECTED, "驳回", "reject", "danger"),
        move(QS.REJECTED, "verify", QS.VERIFIED, "核验通过", "confirm", "primary"),
    ]


# (state, role, action) → next state, permission, label, audit verb. The province and the county move by the
# same table; which kinds the county may vouch for is checked on the row (models.may_verify).
QUALIFICATION_WORKFLOW = Workflow(
    noun="资质",
    field="status",
    state_label=lambda s: QualificationStatus(s).label,
    authorize=require,
    record=audit_record,
    moves=[*_moves_of(Role.PROVINCE), *_moves_of(Role.COUNTY)],
)
# Derived view of the table: state → the states an officer may move it to.
QUALIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    state: targets
    for (state, role), targets in QUALIFICATION_WORKFLOW.targets().items()
    if role == Role.PROVINCE
}
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
    if not can(actor, PERMISSION):
        return []
    if not may_verify(actor.role, qualification.kind, qualification.level):
        return []
    return sorted(m.to for m in QUALIFICATION_WORKFLOW.moves(qualification.status, actor.role))


def _enterprise_users(q: Qualification) -> list[Any]:
    return list(
        get_user_model().objects.filter(role=Role.ENTERPRISE, enterprise_id=q.enterprise_id, is_active=True)
    )


def _decision(q: Qualification) -> dict[str, Any]:
    whole = snapshot(q)
    return {k: whole[k] for k in DECISION_FIELDS}


def _notify(q: Qualification, m: Move) -> None:
    from jigai.notifications.services import notify

    kind_label = q.get_kind_display()
    comment = q.review_comment
    if m.to == QS.VERIFIED:
        title, body = f"资质已核验：{kind_label}", f"您填报的资质“{q}”已核验通过。{comment}".strip()
    else:
        title, body = f"资质被驳回：{kind_label}", f"您填报的资质“{q}”未通过核验。驳回原因：{comment}"
    notify(
        recipients=_enterprise_users(q),
        kind=f"qualification.{m.to}",
        title=title,
        body=body,
        url=reverse("registry:enterprise_detail", args=[q.enterprise_id]),
    )


def _move(*, actor: Any, qualification: Qualification, action: str, comment: str) -> Qualification:
    require(actor, PERMISSION)  # a role that never vouches is refused as such, before the row is read

    def prepare(q: Qualification, m: Move) -> None:
        if not may_verify(actor.role, q.kind, q.level):
            level = q.get_level_display() or "未填级别"
            raise AccessDenied(
                f"“{q.get_kind_display()}”（{level}）须由省工信厅核验，县级不能核验。", code="not_verifier"
            )
        q.verified_by = actor
        q.verified_at = timezone.now()
        q.review_comment = comment

    return apply_move(
        workflow=QUALIFICATION_WORKFLOW,
        queryset=Qualification.objects.restrict(actor, "change"),
        pk=qualification.pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=lambda q, m, from_status, text: None,  # the audit record is the qualification's history
        snapshot=_decision,
        prepare=prepare,
        notify=_notify,
        not_found="未找到该资质，或您无权操作。",
    )


@transaction.atomic
def qualification_verify(*, actor: Any, qualification: Qualification, comment: str = "") -> Qualification:
    """A province officer (or the county, for what it may confirm) verifies the qualification against its
    certificate: from now on it counts, while in force, for the calculator and the refusal rules."""
    return _move(actor=actor, qualification=qualification, action="verify", comment=(comment or "").strip())


@transaction.atomic
def qualification_reject(*, actor: Any, qualification: Qualification, reason: str) -> Qualification:
    """The officer rejects the qualification, with the reason the enterprise sees (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["请填写驳回原因（企业将看到该原因）。"]})
    return _move(actor=actor, qualification=qualification, action="reject", comment=reason)
