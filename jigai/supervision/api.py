"""The supervision API under /api/v1/supervision/: tickets (list, detail, open, reply, close, return,
reopen), through the same selectors (scoped: an out-of-scope id answers 404) and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.permissions import can
from jigai.api.auth import session_auth
from jigai.api.errors import AUTH_ERRORS, ErrorOut, FieldErrorsOut
from jigai.core.errors import AccessDenied

from . import selectors, services
from .models import Ticket

router = Router(tags=["督办"], auth=session_auth)

MAX_ID = 2**31 - 1
ID = Path(..., ge=1, le=MAX_ID, description="督办事项 id")
READ = {**AUTH_ERRORS, 422: FieldErrorsOut}
READ_ONE = {**READ, 404: ErrorOut}
WRITE = {**READ_ONE, 400: ErrorOut, 409: ErrorOut}


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class TicketFilters(Schema):
    status: str | None = Field(
        None, max_length=10, description="open 待答复 / replied 已答复 / closed 已办结 / live"
    )
    overdue: bool | None = Field(None, description="只看逾期未办结的")
    region: str | None = Field(None, max_length=6, description="承办单位区划代码（含其下级）")
    q: str | None = Field(None, max_length=100, description="督办事项、问题或企业名称")
    visits: bool = Field(False, description="true：万人助万企服务企业问题")
    page: int = Field(1, ge=1, le=100_000)


class TicketOut(Schema):
    id: int
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    subject: str
    detail: str
    indicator_code: str
    enterprise_id: int | None
    deadline: dt.date
    status: str
    status_label: str
    overdue: bool
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    conclusion: str


class ReplyOut(Schema):
    id: int
    text: str
    author: str
    created_at: dt.datetime
    has_attachment: bool


class TicketDetailOut(TicketOut):
    replies: list[ReplyOut]
    actions: list[str]


class TicketPageOut(Schema):
    count: int
    page: int
    items: list[TicketOut]


class TicketOpenIn(_In):
    region_code: str = Field(..., max_length=6, description="承办单位（市或县）区划代码")
    subject: str = Field(..., max_length=200)
    detail: str = Field(..., max_length=10_000)
    deadline: dt.date
    indicator_code: str = Field("", max_length=64)


class ReplyIn(_In):
    text: str = Field(..., max_length=10_000, description="答复内容")


class CommentIn(_In):
    comment: str = Field(..., max_length=2000, description="办结意见 / 退回或重新督办的理由")


def _out(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "kind": t.kind,
        "kind_label": t.kind_label,
        "region_code": t.region_id,
        "region_name": t.region.name,
        "subject": t.subject,
        "detail": t.detail,
        "indicator_code": t.indicator_code,
        "enterprise_id": t.enterprise_id,
        "deadline": t.deadline,
        "status": t.status,
        "status_label": t.get_status_display(),
        "overdue": t.is_overdue,
        "opened_at": t.opened_at,
        "closed_at": t.closed_at,
        "conclusion": t.conclusion,
    }


def _detail(actor: Any, pk: int) -> dict[str, Any]:
    screen = selectors.ticket_detail(actor=actor, pk=pk)
    out = _out(screen.ticket)
    out["replies"] = [
        {
            "id": r.pk,
            "text": r.text,
            "author": (r.author.get_full_name() or r.author.get_username()) if r.author else "",
            "created_at": r.created_at,
            "has_attachment": bool(r.attachment),
        }
        for r in screen.replies
    ]
    out["actions"] = [m.action for m in screen.moves]
    return out


@router.get("/tickets", response={200: TicketPageOut, **READ}, summary="督办事项列表")
def ticket_list(request: HttpRequest, filters: Query[TicketFilters]) -> Any:
    actor = request.auth
    if not (can(actor, "supervision.view") or (filters.visits and can(actor, "visit.rate"))):
        raise AccessDenied("您的角色无权查看督办事项。")
    data = filters.dict(exclude_none=True)
    qs = selectors.ticket_list(
        actor=actor, filters={**data, "overdue": "1" if filters.overdue else ""}, visits=filters.visits
    )
    size = 20
    start = (filters.page - 1) * size
    return {"count": qs.count(), "page": filters.page, "items": [_out(t) for t in qs[start : start + size]]}


@router.get("/tickets/{id}", response={200: TicketDetailOut, **READ_ONE}, summary="督办事项详情")
def ticket_detail(request: HttpRequest, id: int = ID) -> Any:
    return _detail(request.auth, id)


@router.post("/tickets", response={201: TicketDetailOut, **WRITE}, summary="发出督办（省工信厅）")
def ticket_open(request: HttpRequest, body: TicketOpenIn) -> Any:
    ticket = services.ticket_open_manual(actor=request.auth, data=body.dict())
    return Status(201, _detail(request.auth, ticket.pk))


@router.post("/tickets/{id}/reply", response={200: TicketDetailOut, **WRITE}, summary="答复（承办单位）")
def ticket_reply(request: HttpRequest, body: ReplyIn, id: int = ID) -> Any:
    ticket = selectors.ticket_detail(actor=request.auth, pk=id).ticket
    services.ticket_reply(actor=request.auth, ticket=ticket, text=body.text)
    return _detail(request.auth, id)


def _move(request: HttpRequest, id: int, action: str, comment: str) -> Any:
    ticket = selectors.ticket_detail(actor=request.auth, pk=id).ticket
    services.ticket_move(actor=request.auth, ticket=ticket, action=action, comment=comment)
    return _detail(request.auth, id)


@router.post("/tickets/{id}/close", response={200: TicketDetailOut, **WRITE}, summary="办结")
def ticket_close(request: HttpRequest, body: CommentIn, id: int = ID) -> Any:
    return _move(request, id, "close", body.comment)


@router.post("/tickets/{id}/return", response={200: TicketDetailOut, **WRITE}, summary="退回重办（省工信厅）")
def ticket_return(request: HttpRequest, body: CommentIn, id: int = ID) -> Any:
    return _move(request, id, "return", body.comment)


@router.post("/tickets/{id}/reopen", response={200: TicketDetailOut, **WRITE}, summary="重新督办")
def ticket_reopen(request: HttpRequest, body: CommentIn, id: int = ID) -> Any:
    return _move(request, id, "reopen", body.comment)
