"""The land API under /api/v1/land/: the same selectors and services as the pages (an out-of-scope id answers
404, errors turned into HTTP in one place, jigai/api/errors.py). Money and areas are strings, never floats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import PlainValidator, WithJsonSchema

from jigai.api.auth import session_auth
from jigai.api.errors import AUTH_ERRORS, ErrorOut, FieldErrorsOut
from jigai.api.types import MAX_ID, MaybeMoneyOut, MoneyOut, choice, date_in, decimal_in, money_in, page_of
from jigai.core.errors import NotFound
from jigai.registry.models import Project

from . import selectors, services
from .models import CaseStatus, FeeKind

router = Router(tags=["用地保障"], auth=session_auth)

READ = {**AUTH_ERRORS, 422: FieldErrorsOut}
READ_ONE = {**READ, 404: ErrorOut}
WRITE = {**READ_ONE, 400: ErrorOut, 409: ErrorOut}
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="记录 id")]
AREA_PATTERN = r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$"
AreaIn = Annotated[
    Decimal,
    PlainValidator(
        decimal_in(AREA_PATTERN, '请填写面积（平方米）字符串，如 "1500.50"：不能为负数，最多两位小数。')
    ),
    WithJsonSchema({"type": "string", "pattern": AREA_PATTERN, "description": "平方米，字符串"}),
]
RateIn = money_in("320.00", '请填写标准（元/平方米）字符串，如 "320.00"：不能为负数，最多两位小数。')
DateIn = date_in("2026-05-31")
Action = choice([(m, m) for m in services.MOVE_FIELDS], "操作")


def _area(value: Any) -> str | None:
    return None if value is None else format(Decimal(value).quantize(Decimal("0.01")), "f")


AreaOut = Annotated[str | None, PlainValidator(_area), WithJsonSchema({"type": ["string", "null"]})]

# ---------------------------------------------------------------------------------------------- schemas


class CaseOut(Schema):
    id: int
    project_id: int
    project: str = Field(alias="project.name")
    enterprise: str = Field(alias="project.enterprise.name")
    region: str = Field(alias="project.enterprise.region_id")
    status: str
    status_label: str = Field(alias="get_status_display")
    zone: str
    added_floor_area: AreaOut
    started_on: dt.date | None
    completed_on: dt.date | None
    checked_on: dt.date | None
    check_result: str
    check_reason: str
    checking_unit: str
    premium_rate_id: int | None
    premium_per_m2: MaybeMoneyOut
    premium_valid_from: dt.date | None
    premium_waived: MaybeMoneyOut
    municipal_rate_id: int | None
    municipal_per_m2: MaybeMoneyOut
    municipal_valid_from: dt.date | None
    municipal_waived: MaybeMoneyOut
    waived_total: MaybeMoneyOut


CasePageOut = page_of(CaseOut, "LandCasePageOut")


class CaseFilters(Schema):
    status: choice(CaseStatus.choices, "状态") | None = None  # type: ignore[valid-type]
    region: str | None = Field(None, max_length=6)
    year: int | None = Field(None, ge=2000, le=2100)
    q: str | None = Field(None, max_length=100)
    limit: int = Field(20, ge=1, le=200)
    offset: int = Field(0, ge=0)


class CaseIn(Schema):
    project_id: int = Field(ge=1, le=MAX_ID)
    zone: str = Field("", max_length=50)
    added_floor_area: AreaIn | None = None
    started_on: DateIn | None = None


class LandMoveIn(Schema):
    on: DateIn | None = None
    added_floor_area: AreaIn | None = None
    checking_unit: str = Field("", max_length=200)
    comment: str = Field("", max_length=2000)


class RateOut(Schema):
    id: int
    city: str = Field(alias="city_id")
    city_name: str = Field(alias="city.name")
    zone: str
    kind: str
    per_m2: MoneyOut
    valid_from: dt.date
    document_no: str


RatePageOut = page_of(RateOut, "LandRatePageOut")


class RateFilters(Schema):
    city: str | None = Field(None, max_length=6)
    kind: choice(FeeKind.choices, "收费项目") | None = None  # type: ignore[valid-type]
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class RateIn2(Schema):
    city: str = Field(max_length=6, description="省辖市区划代码")
    zone: str = Field("", max_length=50)
    kind: choice(FeeKind.choices, "收费项目")  # type: ignore[valid-type]
    per_m2: RateIn
    valid_from: DateIn
    document_no: str = Field("", max_length=200)


class LandFigureOut(Schema):
    region_code: str
    region_name: str
    year: int
    projects: int
    added_floor_area: AreaOut
    premium_waived: MoneyOut
    municipal_waived: MoneyOut
    amount_waived: MoneyOut


class FigureQuery(Schema):
    year: int = Field(ge=2000, le=2100)
    group_by: choice([("city", "市"), ("county", "县"), ("province", "省")], "汇总层级") = "city"  # type: ignore[valid-type]


class PriorityOut(Schema):
    city: str
    rank: int
    need_id: int
    project_id: int
    project: str
    enterprise: str
    library_status: str
    honour: int
    total_investment: MoneyOut
    area: AreaOut
    intensity: MoneyOut
    met_on: dt.date | None


class PriorityQuery(Schema):
    city: str | None = Field(None, max_length=6)
    include_met: bool = False


class NeedIn(Schema):
    project_id: int = Field(ge=1, le=MAX_ID)
    area: AreaIn
    note: str = Field("", max_length=2000)


class NeedOut(Schema):
    id: int
    project_id: int
    area: AreaOut
    note: str
    met_on: dt.date | None


def _page(qs: Any, f: Any) -> dict[str, Any]:
    return {
        "total": qs.count(),
        "limit": f.limit,
        "offset": f.offset,
        "items": list(qs[f.offset : f.offset + f.limit]),
    }


def _project(pk: int) -> Project:
    project = Project.objects.filter(pk=pk).first()
    if project is None:
        raise NotFound("未找到该项目，或您无权操作。")
    return project  # the service re-reads it through the gate


# ---------------------------------------------------------------------------------------------- routes


@router.get("/cases", response={200: CasePageOut, **READ}, summary="零增地项目列表")
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    wanted = {k: getattr(filters, k) for k in ("status", "region", "year", "q")}
    return _page(selectors.case_list(actor=request.user, filters=wanted), filters)


@router.get("/cases/{pk}", response={200: CaseOut, **READ_ONE}, summary="零增地项目详情")
def case_detail(request: HttpRequest, pk: Id) -> Any:
    return selectors.case_detail(actor=request.user, pk=pk).case


@router.post("/cases", response={201: CaseOut, **WRITE}, summary="登记零增地项目（县级）")
def case_register(request: HttpRequest, body: CaseIn) -> Any:
    case = services.land_case_register(
        actor=request.user, project=_project(body.project_id), data=body.dict()
    )
    return Status(201, case)


@router.post(
    "/cases/{pk}/moves/{action}",
    response={200: CaseOut, **WRITE},
    summary="办理：开工、竣工、核验合格/不合格、重新报验",
    description="start 开工（on）；complete 竣工（on, added_floor_area）；"
    "pass / fail 核验（on, checking_unit, comment：不合格时必填原因）；"
    "recheck 整改后重新报验。核验合格时按核验日期执行的标准确定免收金额。",
)
def case_move(request: HttpRequest, pk: Id, action: Action, body: LandMoveIn) -> Any:
    case = selectors.case_detail(actor=request.user, pk=pk).case
    return services.land_case_move(actor=request.user, case=case, action=action, data=body.dict())


@router.get("/rates", response={200: RatePageOut, **READ}, summary="收费标准（含历史）")
def rate_list(request: HttpRequest, filters: Query[RateFilters]) -> Any:
    qs = selectors.rate_list(
        actor=request.user, filters={"city": filters.city or "", "kind": filters.kind or ""}
    )
    return _page(qs, filters)


@router.post("/rates", response={201: RateOut, **WRITE}, summary="录入收费标准（市级、省级）")
def rate_create(request: HttpRequest, body: RateIn2) -> Any:
    return Status(201, services.fee_rate_create(actor=request.user, data=body.dict()))


@router.get(
    "/figures", response={200: list[LandFigureOut], **READ}, summary="减免汇总（按市/县/省、核验年度）"
)
def figures(request: HttpRequest, query: Query[FigureQuery]) -> Any:
    return selectors.land_figures(request.user, year=query.year, group_by=query.group_by)


@router.get("/priority", response={200: list[PriorityOut], **READ}, summary="工业用地保障清单（四（二））")
def priority(request: HttpRequest, query: Query[PriorityQuery]) -> Any:
    rows = selectors.priority_list(actor=request.user, city=query.city or "", include_met=query.include_met)
    return [
        {
            "city": r.city_code,
            "rank": r.rank,
            "need_id": r.need.pk,
            "project_id": r.need.project_id,
            "project": r.need.project.name,
            "enterprise": r.need.project.enterprise.name,
            "library_status": r.need.project.library_status,
            "honour": r.honour,
            "total_investment": r.need.project.total_investment,
            "area": r.need.area,
            "intensity": r.intensity,
            "met_on": r.need.met_on,
        }
        for r in rows
    ]


@router.post("/needs", response={201: NeedOut, **WRITE}, summary="登记用地需求")
def need_create(request: HttpRequest, body: NeedIn) -> Any:
    need = services.land_need_create(actor=request.user, project=_project(body.project_id), data=body.dict())
    return Status(201, need)
