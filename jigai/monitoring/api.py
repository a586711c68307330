"""The monitoring API under /api/v1/monitoring/: indicators, targets (read, set, confirm), values (read,
enter) — the same services and selectors as the pages. Figures are decimal strings in the indicator's unit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from jigai.api.auth import session_auth
from jigai.api.errors import AUTH_ERRORS, ErrorOut, FieldErrorsOut

from . import selectors
from .dashboards.api import router as dash_router
from .models import Indicator
from .services import targets as target_svc
from .services import values as value_svc
from .services.common import region_of

router = Router(tags=["目标监测"], auth=session_auth)
router.add_router("/dashboard/", dash_router)
READ = {**AUTH_ERRORS, 404: ErrorOut}
WRITE = {**AUTH_ERRORS, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut}


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    direction: str
    aggregation: str
    source: str
    clause: str
    programme: str
    additive: bool
    reported_by: str
    province_goal: str | None
    goal_text: str


class TargetOut(Schema):
    id: int
    year: int
    indicator: str
    region: str
    value: str
    weight: str | None
    status: str


class TargetIn(Schema):
    year: int
    indicator: str
    region: str
    value: Decimal
    weight: Decimal | None = None
    note: str = ""


class ConfirmIn(Schema):
    signed_on: datetime.date
    signatories: str


class ChangeIn(Schema):
    reason: str


class LetterOut(Schema):
    id: int
    year: int
    region: str
    status: str
    signed_on: datetime.date | None
    signatories: str
    change_reason: str


class ValueOut(Schema):
    id: int
    indicator: str
    region: str
    year: int
    month: int
    value: str
    source: str
    status: str
    as_reported: str | None
    warning: str
    warning_note: str


class ValueIn(Schema):
    indicator: str
    region: str
    year: int
    month: int
    value: Decimal
    note: str = ""


def _s(v: Decimal | None) -> str | None:
    return None if v is None else format(v.normalize(), "f")


def _target(t) -> dict:
    return {
        "id": t.pk,
        "year": t.year,
        "indicator": t.indicator.code,
        "region": t.region_id,
        "value": _s(t.value),
        "weight": _s(t.weight),
        "status": t.status,
    }


def _value(v) -> dict:
    return {
        "id": v.pk,
        "indicator": v.indicator.code,
        "region": v.region_id,
        "year": v.year,
        "month": v.month,
        "value": _s(v.value),
        "source": v.source,
        "status": v.status,
        "as_reported": _s(v.as_reported),
        "warning": v.warning,
        "warning_note": v.warning_note,
    }


def _letter(lt) -> dict:
    return {
        "id": lt.pk,
        "year": lt.year,
        "region": lt.region_id,
        "status": lt.status,
        "signed_on": lt.signed_on,
        "signatories": lt.signatories,
        "change_reason": lt.change_reason,
    }


def _indicator(code: str) -> Indicator:
    from jigai.core.errors import InvalidInput

    found = Indicator.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput({"indicator": ["指标代码不存在。"]})
    return found


@router.get("/indicators/", response={200: list[IndicatorOut], **READ}, summary="指标体系")
def indicators(request: HttpRequest, programme: str | None = None):
    return [
        {
            **{f: getattr(i, f) for f in IndicatorOut.model_fields if f != "province_goal"},
            "province_goal": _s(i.province_goal),
        }
        for i in selectors.indicator_list(actor=request.user, programme=programme)
    ]


@router.get("/targets/", response={200: list[TargetOut], **READ}, summary="年度目标")
def targets(request: HttpRequest, year: int, region: str | None = None, indicator: str | None = None):
    qs = selectors.target_list(actor=request.user, year=year, region_code=region, indicator_code=indicator)
    return [_target(t) for t in qs]


@router.post("/targets/", response={200: TargetOut, **WRITE}, summary="设定目标（草稿）")
def target_set(request: HttpRequest, payload: TargetIn):
    t = target_svc.target_set(
        actor=request.user,
        year=payload.year,
        indicator=_indicator(payload.indicator),
        region=region_of(payload.region),
        value=payload.value,
        weight=payload.weight,
        note=payload.note,
    )
    return _target(t)


@router.post("/targets/publish/", response={200: list[LetterOut], **WRITE}, summary="下达目标（合计校验）")
def target_publish(request: HttpRequest, year: int):
    return [_letter(lt) for lt in target_svc.targets_publish(actor=request.user, year=year)]


@router.get("/letters/", response={200: list[LetterOut], **READ}, summary="目标责任书")
def letters(request: HttpRequest, year: int | None = None):
    return [_letter(lt) for lt in selectors.letter_list(actor=request.user, year=year)]


@router.post(
    "/letters/{letter_id}/confirm/", response={200: LetterOut, **WRITE}, summary="签订目标责任书（确认目标）"
)
def letter_confirm(request: HttpRequest, letter_id: int, payload: ConfirmIn):
    """The signed file is uploaded on the page; the API confirms a letter that already carries it."""
    letter = selectors.letter_get(actor=request.user, pk=letter_id)
    return _letter(
        target_svc.letter_confirm(
            actor=request.user, letter=letter, signed_on=payload.signed_on, signatories=payload.signatories
        )
    )


@router.post("/letters/{letter_id}/change/", response={200: LetterOut, **WRITE}, summary="申请调整目标")
def letter_change(request: HttpRequest, letter_id: int, payload: ChangeIn):
    letter = selectors.letter_get(actor=request.user, pk=letter_id)
    return _letter(target_svc.letter_request_change(actor=request.user, letter=letter, reason=payload.reason))


@router.get("/values/", response={200: list[ValueOut], **READ}, summary="月度数据")
def values(
    request: HttpRequest, year: int, month: int, region: str | None = None, indicator: str | None = None
):
    qs = selectors.value_list(
        actor=request.user, year=year, month=month, region_code=region, indicator_code=indicator
    )
    return [_value(v) for v in qs[:5000]]


@router.post("/values/", response={200: ValueOut, **WRITE}, summary="填报月度数据")
def value_enter(request: HttpRequest, payload: ValueIn):
    v = value_svc.value_enter(
        actor=request.user,
        indicator=_indicator(payload.indicator),
        region=region_of(payload.region),
        year=payload.year,
        month=payload.month,
        value=payload.value,
        note=payload.note,
    )
    return _value(v)
