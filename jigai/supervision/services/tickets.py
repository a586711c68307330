"""Supervision tickets (督办, 四（三） “加强日常跟踪督导”): opening (by the province or by another app through
`open_ticket`, idempotent by key), replies by the receiving unit, closing, returning and reopening — all
moves of one workflow table applied by jigai.core.workflow.apply_move."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.models import User
from jigai.accounts.permissions import require, roles_with
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import AccessDenied, Conflict, InvalidInput
from jigai.core.workflow import ROLE_DENIED, Move, Workflow, apply_move
from jigai.notifications.services import notify
from jigai.regions.models import Region, RegionLevel

from ..models import Ticket, TicketEvent, TicketKind, TicketReply, TicketStatus

S = TicketStatus
_CO, _CI, _P = Role.COUNTY, Role.CITY, Role.PROVINCE
UNIT_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY)
CLOSED_BY_OPENER = "visit.record"  # a unit that recorded a visit problem closes and reopens it itself


def _moves() -> list[Move]:
    moves = []
    for state in (S.OPEN, S.REPLIED):
        for role in (_CO, _CI):
            moves.append(
                Move(state, role, "reply", S.REPLIED, "supervision.reply", "答复", "supervision.reply")
            )
            moves.append(Move(state, role, "close", S.CLOSED, CLOSED_BY_OPENER, "办结", "supervision.close"))
        moves.append(Move(state, _P, "close", S.CLOSED, "supervision.close", "办结", "supervision.close"))
    moves.append(
        Move(
            S.REPLIED,
            _P,
            "return",
            S.OPEN,
            "supervision.close",
            "退回重办",
            "supervision.return",
            kind="warning",
        )
    )
    moves.append(
        Move(
            S.CLOSED,
            _P,
            "reopen",
            S.OPEN,
            "supervision.close",
            "重新督办",
            "supervision.reopen",
            kind="warning",
        )
    )
    for role in (_CO, _CI):
        moves.append(
            Move(
                S.CLOSED,
                role,
                "reopen",
                S.OPEN,
                CLOSED_BY_OPENER,
                "重新交办",
                "supervision.reopen",
                kind="warning",
            )
        )
    return moves


# The ticket workflow: (state, role, action) → next state, permission, label, audit verb.
TICKET_WORKFLOW = Workflow(
    noun="督办事项",
    field="status",
    state_label=lambda s: TicketStatus(s).label,
    authorize=require,
    record=audit_record,
    moves=_moves(),
)
REASON_REQUIRED = {
    "close": "请填写办结意见。",
    "return": "退回重办必须填写理由。",
    "reopen": "重新督办必须填写理由。",
}


def may_make(actor: Any, ticket: Ticket, move: Move) -> bool:
    """Besides the table: a reply comes from the receiving unit itself; a county or city closes or reopens
    only the tickets it opened (the problems it recorded in its service visits)."""
    if move.action == "reply":
        return actor.region_id == ticket.region_id
    if actor.role in (_CO, _CI):
        return ticket.opened_region_id is not None and actor.region_id == ticket.opened_region_id
    return True


def allowed_moves(*, actor: Any, ticket: Ticket) -> list[Move]:
    """The moves `actor` may make on `ticket` now (the buttons; the service checks again)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    return [m for m in TICKET_WORKFLOW.moves(ticket.status, actor.role) if may_make(actor, ticket, m)]


def ticket_url(ticket: Ticket) -> str:
    return reverse("supervision:ticket_detail", args=[ticket.pk])


def unit_users(region_id: str) -> list[User]:
    """The active users of the receiving unit who may reply."""
    roles = roles_with("supervision.reply")
    return list(User.objects.filter(region_id=region_id, role__in=roles, is_active=True))


def province_users(permission: str = "supervision.close") -> list[User]:
    return list(User.objects.filter(role__in=roles_with(permission), is_active=True))


def _clean_open(*, region_code: str, subject: str, detail: str, deadline: Any) -> tuple[Region, str, str]:
    errors: dict[str, list[str]] = {}
    region = Region.objects.filter(code=(region_code or "").strip()).first()
    if region is None:
        errors["region_code"] = ["承办单位的区划代码不存在。"]
    elif region.level not in UNIT_LEVELS:
        errors["region_code"] = ["督办事项只能交给市级或县级单位。"]
    subject = (subject or "").strip()
    detail = (detail or "").strip()
    if not subject:
        errors["subject"] = ["请填写督办事项。"]
    elif len(subject) > 200:
        errors["subject"] = ["督办事项不能超过 200 字。"]
    if not detail:
        errors["detail"] = ["请填写存在的问题或差距。"]
    if not isinstance(deadline, dt.date):
        errors["deadline"] = ["请填写办理时限。"]
    if errors:
        raise InvalidInput(errors)
    return region, subject, detail


def _create(
    *,
    key: str,
    kind: str,
    region: Region,
    subject: str,
    detail: str,
    deadline: dt.date,
    opened_by: Any,
    opened_region: Region | None,
    indicator_code: str,
    enterprise: Any,
) -> tuple[Ticket, bool]:
    """The live ticket with `key`, or a new one (True). Inside the caller's transaction; a concurrent caller
    with the same key loses on the partial unique constraint and gets the winner's ticket."""
    existing = Ticket.objects.filter(key=key).exclude(status=S.CLOSED).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                key=key,
                kind=kind,
                region=region,
                subject=subject,
                detail=detail,
                deadline=deadline,
                opened_by=opened_by,
                opened_region=opened_region,
                indicator_code=(indicator_code or "")[:64],
                enterprise=enterprise,
            )
    except IntegrityError:
        existing = Ticket.objects.filter(key=key).exclude(status=S.CLOSED).first()
        if existing is None:
            raise
        return existing, False
    TicketEvent.objects.create(
        ticket=ticket, actor=opened_by, action="open", to_status=S.OPEN, comment=detail
    )
    audit_record(actor=opened_by, action="supervision.open", obj=ticket, after=snapshot(ticket))
    notify(
        recipients=unit_users(region.code),
        kind="supervision.ticket",
        title=f"督办事项：{subject}",
        body=f"{detail}\n办理时限：{deadline:%Y-%m-%d}",
        url=ticket_url(ticket),
    )
    return ticket, True


def open_ticket(
    *,
    key: str,
    kind: str,
    region_code: str,
    subject: str,
    detail: str,
    deadline: dt.date,
    opened_by: Any = None,
    indicator_code: str = "",
    enterprise: Any = None,
) -> Ticket:
    """Open a supervision ticket to a unit (see CONTRACT.md). Idempotent by `key`: while a ticket with that
    key is not closed, it is returned unchanged. `opened_by` None = the system (no permission check)."""
    key = (key or "").strip()
    kind = (kind or "").strip()
    if not key or len(key) > 200:
        raise InvalidInput({"key": ["幂等键不能为空，且不超过 200 个字符。"]})
    if not kind or len(kind) > 32:
        raise InvalidInput({"kind": ["类型不能为空，且不超过 32 个字符。"]})
    if opened_by is not None:
        require(opened_by, "supervision.open")
    with transaction.atomic():
        existing = Ticket.objects.filter(key=key).exclude(status=S.CLOSED).first()
        if existing is not None:
            return existing
        region, subject, detail = _clean_open(
            region_code=region_code, subject=subject, detail=detail, deadline=deadline
        )
        ticket, _created = _create(
            key=key,
            kind=kind,
            region=region,
            subject=subject,
            detail=detail,
            deadline=deadline,
            opened_by=opened_by,
            opened_region=None,
            indicator_code=indicator_code,
            enterprise=enterprise,
        )
    return ticket


def ticket_open_manual(*, actor: Any, data: dict[str, Any]) -> Ticket:
    """The province opens a ticket by hand (page and API): a fresh key each time."""
    require(actor, "supervision.open")
    deadline = data.get("deadline")
    if isinstance(deadline, dt.date) and deadline < timezone.localdate():
        raise InvalidInput({"deadline": ["办理时限不能早于今天。"]})
    enterprise = data.get("enterprise")
    return open_ticket(
        key=f"manual:{uuid.uuid4().hex}",
        kind=TicketKind.MANUAL,
        region_code=data.get("region_code", ""),
        subject=data.get("subject", ""),
        detail=data.get("detail", ""),
        deadline=data.get("deadline"),
        opened_by=actor,
        indicator_code=data.get("indicator_code", "") or "",
        enterprise=enterprise,
    )


def _notify_move(ticket: Ticket, move: Move, comment: str) -> None:
    url = ticket_url(ticket)
    if move.action == "reply":
        opener = [ticket.opened_by] if ticket.opened_by_id else province_users()
        notify(
            recipients=opener, kind="supervision.reply", title=f"督办事项已答复：{ticket.subject}", url=url
        )
        return
    title = {
        "close": f"督办事项已办结：{ticket.subject}",
        "return": f"督办事项被退回重办：{ticket.subject}",
        "reopen": f"督办事项重新督办：{ticket.subject}",
    }[move.action]
    recipients = unit_users(ticket.region_id)
    if move.action == "close" and ticket.kind == TicketKind.SERVICE_VISIT and ticket.enterprise_id:
        # The enterprise rates the resolution of its problem.
        recipients += list(User.objects.filter(enterprise_id=ticket.enterprise_id, is_active=True))
    notify(recipients=recipients, kind="supervision.move", title=title, body=comment, url=url)


def _apply(*, actor: Any, ticket: Ticket, action: str, comment: str, on_move: Any = None) -> Ticket:
    comment = (comment or "").strip()
    if not TICKET_WORKFLOW.by_role_action(getattr(actor, "role", None), action):  # a role that never does it
        raise AccessDenied(ROLE_DENIED, code="permission_denied")

    def prepare(t: Ticket, m: Move) -> None:
        if not may_make(actor, t, m):
            if m.action == "reply":
                raise AccessDenied("只有承办单位可以答复该督办事项。")
            raise AccessDenied("只有省工信厅或交办单位可以办结、重新交办该事项。")
        if m.action in REASON_REQUIRED and not comment:
            raise InvalidInput({"comment": [REASON_REQUIRED[m.action]]})
        now = timezone.now()
        if m.action == "close":
            t.closed_at, t.closed_by, t.conclusion = now, actor, comment
        elif m.action == "reopen":
            if Ticket.objects.filter(key=t.key).exclude(pk=t.pk).exclude(status=S.CLOSED).exists():
                raise Conflict("同一事项已有未办结的督办，不能重复督办。", code="ticket_live")
            t.closed_at, t.closed_by = None, None
        elif m.action == "reply":
            t.replied_at = now
        if on_move is not None:
            on_move(t, m)

    def write_event(t: Ticket, m: Move, from_status: str, text: str) -> TicketEvent:
        return TicketEvent.objects.create(
            ticket=t, actor=actor, action=m.action, from_status=from_status, to_status=m.to, comment=text
        )

    return apply_move(
        workflow=TICKET_WORKFLOW,
        queryset=Ticket.objects.restrict(actor, "change"),
        pk=ticket.pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=write_event,
        snapshot=snapshot,
        prepare=prepare,
        notify=lambda t, m: _notify_move(t, m, comment),
        not_found="未找到该督办事项，或您无权操作。",
    )


def ticket_reply(*, actor: Any, ticket: Ticket, text: str, upload: Any = None) -> TicketReply:
    """The receiving unit replies (again while not closed), with an optional PDF/PNG/JPEG attachment."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": ["请填写答复内容。"]})
    made: list[TicketReply] = []

    def add_reply(t: Ticket, m: Move) -> None:
        reply = TicketReply(ticket=t, author=actor, text=text)
        if upload is not None:
            reply.attachment = upload
            reply.attachment_name = (getattr(upload, "name", "") or "附件")[:200]
            try:
                reply.full_clean(exclude=["ticket", "author"])
            except ValidationError as exc:  # the upload validator's: shown on the field
                messages = exc.message_dict.get("attachment") or ["附件不符合要求。"]
                raise InvalidInput({"attachment": messages}) from None
        reply.save()
        made.append(reply)

    _apply(actor=actor, ticket=ticket, action="reply", comment=text, on_move=add_reply)
    return made[0]


def ticket_close(*, actor: Any, ticket: Ticket, conclusion: str) -> Ticket:
    return _apply(actor=actor, ticket=ticket, action="close", comment=conclusion)


def ticket_return(*, actor: Any, ticket: Ticket, reason: str) -> Ticket:
    return _apply(actor=actor, ticket=ticket, action="return", comment=reason)


def ticket_reopen(*, actor: Any, ticket: Ticket, reason: str) -> Ticket:
    return _apply(actor=actor, ticket=ticket, action="reopen", comment=reason)


def ticket_move(*, actor: Any, ticket: Ticket, action: str, comment: str = "") -> Ticket:
    """One move by its action name (the page's buttons); replies go through ticket_reply."""
    if action not in REASON_REQUIRED:
        raise InvalidInput({"action": ["未知的操作。"]})
    return _apply(actor=actor, ticket=ticket, action=action, comment=comment)
