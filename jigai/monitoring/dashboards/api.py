"""The dashboards' data over HTTP, mounted at /api/v1/monitoring/dashboard/ (jigai/monitoring/api.py): the
same screen objects as the pages (selectors), figures as decimal strings in the indicator's unit (never
floats)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jigai.api.auth import session_auth
from jigai.api.errors import AUTH_ERRORS, ErrorOut, FieldErrorsOut
from jigai.api.types import MaybeMoneyOut, MoneyOut

from .. import review as review_mod
from . import selectors

router = Router(tags=["目标监测看板"], auth=session_auth)
READ = {**AUTH_ERRORS, 404: ErrorOut, 422: FieldErrorsOut}
Num = str | None


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class DashboardQuery(Schema):
    region: str | None = Field(
        None, pattern=r"^[0-9]{6}$", description="地区代码（默认：本人所在地区，省级为全省）"
    )
    year: int | None = Field(None, ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    indicator: str | None = Field(None, max_length=50, description="排名、地图与趋势的指标代码")


class DashRegionOut(Schema):
    code: str
    name: str
    level: str


class IndicatorRowOut(Schema):
    code: str
    name: str
    unit: str
    clause: str
    programme: str
    actual: Num
    month_value: Num
    target: Num
    expected: Num
    completion_pct: Num
    yoy_growth_pct: Num
    share_pct: Num
    warning: str


class ChildOut(Schema):
    rank: int
    region: DashRegionOut
    actual: Num
    target: Num
    completion_pct: Num
    yoy_growth_pct: Num
    share_pct: Num
    warning: str


class TrendOut(Schema):
    month: int
    actual: Num
    last_year: Num
    expected: Num
    month_value: Num


class ProgrammeOut(Schema):
    clause: str
    label: str
    indicators: list[str]


class DashFinancingRowOut(Schema):
    key: str
    label: str
    projects: int
    needed: MaybeMoneyOut = Field(description="融资需求（元）；按金融机构分组时为 null")
    approved: MoneyOut
    disbursed: MoneyOut
    unconfirmed: MoneyOut


class DashFinancingBlockOut(Schema):
    key: str = Field(
        description="financing_region | financing_institution | financing_programme | financing_month"
    )
    title: str
    rows: list[DashFinancingRowOut]
    total: DashFinancingRowOut


class DashLandRowOut(Schema):
    region_code: str
    region_name: str
    projects: int
    added_floor_area: str = Field(description="新增建筑面积（㎡）")
    premium_waived: MoneyOut
    municipal_waived: MoneyOut
    amount_waived: MoneyOut


class DashLandOut(Schema):
    title: str
    rows: list[DashLandRowOut]
    total: DashLandRowOut


class DashFinanceLandOut(Schema):
    year: int
    financing: list[DashFinancingBlockOut] | None = Field(description="null：本角色不查看融资对接数据")
    land: DashLandOut | None = Field(description="null：本角色不查看用地数据")


class DashboardOut(Schema):
    region: DashRegionOut
    chain: list[DashRegionOut]
    year: int
    month: int
    indicator: str | None
    rows: list[IndicatorRowOut]
    children: list[ChildOut]
    trend: list[TrendOut]
    programmes: list[ProgrammeOut]
    finance: DashFinanceLandOut = Field(
        description="融资与用地（四（二））：看板所选年度全年的数字，金额为元"
    )


def _region(r: Any) -> dict[str, str]:
    return {"code": r.code, "name": r.name, "level": r.level}


def _financing_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": str(r.get("key", "total")),
        "label": r["label"],
        "projects": r["projects"],
        "needed": r["needed"],
        "approved": r["approved"],
        "disbursed": r["disbursed"],
        "unconfirmed": r["unconfirmed"],
    }


def _land_row(r: dict[str, Any], code: str = "", name: str = "") -> dict[str, Any]:
    return {
        "region_code": r.get("region_code", code),
        "region_name": r.get("region_name", name),
        "projects": r["projects"],
        "added_floor_area": str(r["added_floor_area"]),
        "premium_waived": r["premium_waived"],
        "municipal_waived": r["municipal_waived"],
        "amount_waived": r["amount_waived"],
    }


def _finance(f: Any) -> dict[str, Any]:
    financing = None
    if f.financing is not None:
        financing = [
            {
                "key": b.key,
                "title": b.title,
                "rows": [_financing_row(r) for r in b.rows],
                "total": _financing_row(b.total),
            }
            for b in f.blocks
        ]
    land = None
    if f.land is not None:
        land = {
            "title": f.land.title,
            "rows": [_land_row(r) for r in f.land.rows],
            "total": _land_row(f.land.total, f.region.code, "合计"),
        }
    return {"year": f.year, "financing": financing, "land": land}


@router.get(
    "/",
    response={200: DashboardOut, **READ},
    summary="监测看板数据",
    description="一个地区某月的目标完成进度、同比、占比，下级地区排名，月度趋势和四大专项，"
    "以及该年度的融资与用地数字（四（二）：融资需求、已确认的授信审批和放款，按下级地区、金融机构、融资方式、"
    "月份；零增地项目核验合格数、新增建筑面积、减免金额；金额为元的字符串）（与页面相同）。"
    "地区须在本人范围内（县：本县；市：本市及所辖县；省级、领导、财政：全省），否则 404。",
)
def dashboard(request: HttpRequest, q: Query[DashboardQuery]) -> Any:
    d = selectors.dashboard(
        actor=request.user, region_code=q.region, year=q.year, month=q.month, indicator_code=q.indicator or ""
    )
    return {
        "region": _region(d.region),
        "chain": [_region(r) for r in d.chain],
        "year": d.year,
        "month": d.month,
        "indicator": d.indicator.code if d.indicator else None,
        "rows": [
            {
                "code": r.indicator.code,
                "name": r.indicator.name,
                "unit": r.indicator.unit,
                "clause": r.indicator.clause,
                "programme": r.indicator.programme,
                "actual": _s(r.actual),
                "month_value": _s(r.month_value),
                "target": _s(r.target),
                "expected": _s(r.expected),
                "completion_pct": _s(r.completion),
                "yoy_growth_pct": _s(r.yoy),
                "share_pct": _s(r.share),
                "warning": r.level,
            }
            for r in d.rows
        ],
        "children": [
            {
                "rank": c.rank,
                "region": _region(c.region),
                "actual": _s(c.actual),
                "target": _s(c.target),
                "completion_pct": _s(c.completion),
                "yoy_growth_pct": _s(c.yoy),
                "share_pct": _s(c.share),
                "warning": c.level,
            }
            for c in d.children
        ],
        "trend": [
            {
                "month": t.month,
                "actual": _s(t.actual),
                "last_year": _s(t.last_year),
                "expected": _s(t.expected),
                "month_value": _s(t.month_value),
            }
            for t in d.trend
        ],
        "programmes": [
            {"clause": g.clause, "label": g.label, "indicators": [r.indicator.code for r in g.rows]}
            for g in d.programmes
        ],
        "finance": _finance(d.finance),
    }


class WarningQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    level: str | None = Field(None, pattern=r"^(green|amber|red)$")
    indicator: str | None = Field(None, max_length=50)
    region_level: str | None = Field(None, pattern=r"^(city|county)$")


class WarningOut(Schema):
    region: DashRegionOut
    indicator: str
    level: str
    actual: str
    expected: str
    target: str
    progress: Num
    gap: str
    red_streak: int
    ticket_id: int | None


class WarningsOut(Schema):
    year: int
    month: int
    counts: dict[str, int]
    behind: list[WarningOut]


@router.get(
    "/warnings",
    response={200: WarningsOut, **READ},
    summary="预警名单",
    description="本人范围内各地区、各指标相对序时进度的绿/黄/红预警，及滞后（黄、红）名单和差距。",
)
def warnings(request: HttpRequest, q: Query[WarningQuery]) -> Any:
    filters = {k: ("" if v is None else str(v)) for k, v in q.dict().items()}
    w = selectors.warning_list(actor=request.user, filters=filters)
    return {
        "year": w.year,
        "month": w.month,
        "counts": w.counts,
        "behind": [
            {
                "region": _region(s.region),
                "indicator": s.indicator.code,
                "level": s.level,
                "actual": str(s.actual),
                "expected": str(s.expected),
                "target": str(s.target),
                "progress": _s(s.progress),
                "gap": str(s.gap),
                "red_streak": s.red_streak,
                "ticket_id": s.ticket_id,
            }
            for s in w.behind
        ],
    }


class ReviewQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class ReviewCellOut(Schema):
    indicator: str
    target: str
    actual: Num
    completion_pct: Num
    done: bool


class ReviewRowOut(Schema):
    rank: int | None
    region: DashRegionOut
    score_pct: Num
    cells: list[ReviewCellOut]


class ReviewOut(Schema):
    year: int
    month: int | None
    final: bool
    rows: list[ReviewRowOut]


@router.get(
    "/review",
    response={200: ReviewOut, **READ},
    summary="年度目标完成情况考核",
    description="各地区每项考核指标的完成率、综合完成率与排名（四（三）财政奖补参考）。",
)
def review(request: HttpRequest, q: Query[ReviewQuery]) -> Any:
    r = review_mod.year_review(actor=request.user, year=q.year)
    return {
        "year": r.year,
        "month": r.month,
        "final": r.final,
        "rows": [
            {
                "rank": row.rank,
                "region": _region(row.region),
                "score_pct": _s(row.score),
                "cells": [
                    {
                        "indicator": c.indicator.code,
                        "target": str(c.target),
                        "actual": _s(c.actual),
                        "completion_pct": _s(c.completion),
                        "done": c.done,
                    }
                    for c in row.cells.values()
                ],
            }
            for row in r.rows
        ],
    }
