"""The financing API under /api/v1/financing/: the same selectors and services as the pages.

Money is a string of yuan both ways; dates ISO. A bank user reaches only /portal… (published whitelist,
consented fields, each look written to the audit trail), /outcomes (its own) and /events (invited to).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from jigai.accounts.permissions import require
from jigai.api.auth import session_auth
from jigai.api.errors import AUTH_ERRORS, ErrorOut, FieldErrorsOut
from jigai.api.types import MAX_ID, MaybeMoneyOut, MoneyOut, choice, date_in, money_in
from jigai.core.errors import AccessDenied

from . import selectors, services
from .models import ConsentField, FinancingKind, OutcomeStage

router = Router(tags=["融资对接"], auth=session_auth)

READ = {**AUTH_ERRORS, 422: FieldErrorsOut}
READ_ONE = {**READ, 404: ErrorOut}
WRITE = {**READ_ONE, 400: ErrorOut, 409: ErrorOut}
ID = Path(..., ge=1, le=MAX_ID, description="id")
LIMIT = 100


def _any(actor: Any, *perms: str) -> None:
    from jigai.accounts.permissions import can

    if not any(can(actor, p) for p in perms):
        raise AccessDenied("您的角色无权执行此操作。")


# ---------------------------------------------------------------------------------------------- schemas


class EntryOut(Schema):
    id: int
    project_id: int
    project: str = Field(alias="project.name")
    enterprise: str = Field(alias="project.enterprise.name")
    city: str = Field(alias="city.name")
    kind: str
    amount: MoneyOut
    term_months: int
    status: str
    batch: str | None = None

    @staticmethod
    def resolve_batch(obj: Any) -> str | None:
        return str(obj.batch) if obj.batch_id else None


class ProposeIn(Schema):
    project: int = Field(ge=1, le=MAX_ID, description="本市已入库项目的 id")
    amount: money_in("5000000", "融资需求金额")  # type: ignore[valid-type]
    term_months: int = Field(ge=1, le=360)
    kind: choice(FinancingKind.choices, "融资方式")  # type: ignore[valid-type]
    purpose: str = Field("", max_length=2000)


class WhitelistMoveIn(Schema):
    action: choice(
        [("approve", "审核通过"), ("return", "退回修改"), ("resubmit", "重新推荐"), ("remove", "移出")],
        "操作",
    )  # type: ignore[valid-type]
    comment: str = Field("", max_length=2000)


class PublishIn(Schema):
    published_on: date_in("2026-03-01")  # type: ignore[valid-type]


class BatchOut(Schema):
    id: int
    year: int
    number: int
    published_on: dt.date


class SectionRow(Schema):
    label: str
    value: str


class SectionOut(Schema):
    code: str
    label: str
    rows: list[SectionRow]


class OutcomeOut(Schema):
    id: int
    entry_id: int
    institution: str = Field(alias="institution.name")
    stage: str
    amount: MaybeMoneyOut
    on_date: dt.date
    product: str
    rate: Decimal | None
    status: str


class PortalProjectOut(Schema):
    entry: EntryOut
    fields: list[str]
    sections: list[SectionOut]
    outcomes: list[OutcomeOut]


class ConsentIn(Schema):
    institution: int | None = Field(None, ge=1, le=MAX_ID, description="金融机构 id；不填为全部金融机构")
    fields: list[choice(ConsentField.choices, "授权内容")]  # type: ignore[valid-type]


class ConsentOut(Schema):
    id: int
    institution_id: int | None
    fields: list[str]
    granted_at: dt.datetime
    withdrawn_at: dt.datetime | None


class OutcomeIn(Schema):
    stage: choice(OutcomeStage.choices, "阶段")  # type: ignore[valid-type]
    on_date: date_in("2026-03-01")  # type: ignore[valid-type]
    amount: money_in("3000000", "金额") | None = None  # type: ignore[valid-type]
    product: str = Field("", max_length=100)
    rate: Decimal | None = Field(None, ge=0, le=36, description="年利率（%）")
    note: str = Field("", max_length=2000)
    event: int | None = Field(None, ge=1, le=MAX_ID)


class CheckIn(Schema):
    confirm: bool
    comment: str = Field("", max_length=2000)


class EventIn(Schema):
    title: str = Field(max_length=200)
    held_on: date_in("2026-03-01")  # type: ignore[valid-type]
    organiser: str = Field(max_length=200)
    place: str = Field("", max_length=200)
    city: str | None = Field(None, max_length=6, description="举办市区划代码（省工信厅填写；市级为本市）")
    institutions: list[int] = []
    entries: list[int] = []


class EventOut(Schema):
    id: int
    title: str
    held_on: dt.date
    city: str = Field(alias="city.name")
    organiser: str
    place: str


class FinancingFigureOut(Schema):
    key: str
    label: str
    needed: MaybeMoneyOut
    approved: MoneyOut
    disbursed: MoneyOut
    unconfirmed: MoneyOut
    projects: int

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return str(obj["key"])


class FigureFilters(Schema):
    year: int = Field(ge=2000, le=2100)
    group_by: choice(
        [("city", "市"), ("institution", "金融机构"), ("programme", "融资方式"), ("month", "月份")], "分组"
    ) = "city"  # type: ignore[valid-type]


# ---------------------------------------------------------------------------------------------- whitelist


@router.get("/whitelist", response={200: list[EntryOut], **READ}, summary="白名单项目列表")
def whitelist_list(request: HttpRequest, status: str = "", offset: int = Query(0, ge=0)) -> Any:
    require(request.auth, "whitelist.view")
    qs = selectors.whitelist_list(actor=request.auth, filters={"status": status})
    return list(qs[offset : offset + LIMIT])


@router.post("/whitelist", response={201: EntryOut, **WRITE}, summary="推荐项目进入白名单（市级）")
def whitelist_propose(request: HttpRequest, payload: ProposeIn) -> Any:
    entry = services.whitelist_propose(actor=request.auth, **payload.model_dump())
    return Status(201, selectors.whitelist_get(actor=request.auth, pk=entry.pk))


@router.post("/whitelist/publish", response={201: BatchOut, **WRITE}, summary="发布一批白名单（省级）")
def whitelist_publish(request: HttpRequest, payload: PublishIn) -> Any:
    return Status(201, services.whitelist_publish(actor=request.auth, published_on=payload.published_on))


@router.get("/whitelist/{id}", response={200: EntryOut, **READ_ONE}, summary="白名单项目详情（政府部门）")
def whitelist_detail(request: HttpRequest, id: int = ID) -> Any:
    require(request.auth, "whitelist.view")
    return selectors.whitelist_get(actor=request.auth, pk=id)


@router.post("/whitelist/{id}/moves", response={200: EntryOut, **WRITE}, summary="审核、退回、重新推荐或移出")
def whitelist_move(request: HttpRequest, payload: WhitelistMoveIn, id: int = ID) -> Any:
    _any(request.auth, "whitelist.manage", "whitelist.propose")
    services.whitelist_move(actor=request.auth, entry=id, action=payload.action, comment=payload.comment)
    return selectors.whitelist_get(actor=request.auth, pk=id)


# ---------------------------------------------------------------------------------------------- bank portal


def _portal_out(bp: Any) -> dict[str, Any]:
    sections = [
        {
            "code": s["code"],
            "label": s["label"],
            "rows": [{"label": k, "value": "" if v is None else str(v)} for k, v in s["rows"]],
        }
        for s in bp.section_list
    ]
    return {"entry": bp.entry, "fields": bp.fields, "sections": sections, "outcomes": bp.outcomes}


@router.get("/portal", response={200: list[EntryOut], **READ}, summary="融资需求：已发布的白名单（金融机构）")
def portal_list(request: HttpRequest, offset: int = Query(0, ge=0)) -> Any:
    require(request.auth, "whitelist.portal")
    entries = list(selectors.bank_projects(actor=request.auth)[offset : offset + LIMIT])
    services.bank_access_record(
        actor=request.auth, entries=entries, action="view", comment="接口：融资需求列表"
    )
    return entries


@router.get(
    "/portal/{id}",
    response={200: PortalProjectOut, **READ_ONE},
    summary="白名单项目及企业授权的内容（金融机构）",
)
def portal_detail(request: HttpRequest, id: int = ID) -> Any:
    require(request.auth, "whitelist.portal")
    bp = selectors.bank_project(actor=request.auth, pk=id)
    services.bank_access_record(
        actor=request.auth, entries=[bp.entry], action="view", comment="接口：项目详情"
    )
    return _portal_out(bp)


@router.post("/portal/{id}/outcomes", response={201: OutcomeOut, **WRITE}, summary="录入融资成果（金融机构）")
def outcome_record(request: HttpRequest, payload: OutcomeIn, id: int = ID) -> Any:
    require(request.auth, "financing.record")
    return Status(201, services.outcome_record(actor=request.auth, entry=id, **payload.model_dump()))


# ---------------------------------------------------------------------------------------------- consent


@router.get("/consents", response={200: list[ConsentOut], **READ}, summary="本企业的授权记录")
def consent_list(request: HttpRequest) -> Any:
    require(request.auth, "consent.manage")
    return list(selectors.consent_history(actor=request.auth)[:500])


@router.post("/consents", response={201: ConsentOut, **WRITE}, summary="授权金融机构查看内容（企业）")
def consent_set(request: HttpRequest, payload: ConsentIn) -> Any:
    return Status(
        201, services.consent_set(actor=request.auth, institution=payload.institution, fields=payload.fields)
    )


@router.post("/consents/{id}/withdraw", response={200: ConsentOut, **WRITE}, summary="撤回授权（即时生效）")
def consent_withdraw(request: HttpRequest, id: int = ID) -> Any:
    return services.consent_withdraw(actor=request.auth, consent=id)


# -------------------------------------------------------------------------------------- outcomes and events


@router.get("/outcomes", response={200: list[OutcomeOut], **READ}, summary="融资成果列表")
def outcome_list(request: HttpRequest, status: str = "", offset: int = Query(0, ge=0)) -> Any:
    _any(request.auth, "financing.record", "financing.confirm", "whitelist.view")
    return list(
        selectors.outcome_list(actor=request.auth, filters={"status": status})[offset : offset + LIMIT]
    )


@router.post(
    "/outcomes/{id}/check", response={200: OutcomeOut, **WRITE}, summary="确认或退回融资成果（市级）"
)
def outcome_check(request: HttpRequest, payload: CheckIn, id: int = ID) -> Any:
    return services.outcome_check(
        actor=request.auth, outcome=id, confirm=payload.confirm, comment=payload.comment
    )


@router.get("/events", response={200: list[EventOut], **READ}, summary="融资对接活动")
def event_list(request: HttpRequest) -> Any:
    _any(request.auth, "event.manage", "event.join")
    return list(selectors.event_list(actor=request.auth)[:500])


@router.post("/events", response={201: EventOut, **WRITE}, summary="新建融资对接活动")
def event_create(request: HttpRequest, payload: EventIn) -> Any:
    return Status(201, services.event_create(actor=request.auth, **payload.model_dump()))


@router.get("/events/{id}", response={200: EventOut, **READ_ONE}, summary="融资对接活动详情")
def event_detail(request: HttpRequest, id: int = ID) -> Any:
    _any(request.auth, "event.manage", "event.join")
    return selectors.event_screen(actor=request.auth, pk=id).event


@router.get(
    "/figures",
    response={200: list[FinancingFigureOut], **READ},
    summary="融资统计（需求、授信、放款，仅计已确认）",
)
def figures(request: HttpRequest, filters: Query[FigureFilters]) -> Any:
    require(request.auth, "dashboard.view")
    return selectors.financing_figures(request.auth, year=filters.year, group_by=filters.group_by)
