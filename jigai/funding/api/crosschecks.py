"""The register of other provincial funds' awards and the duplicate-claim flags over HTTP — the same
services as the pages (jigai.funding.services.other_funds, .programme)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from jigai.accounts.permissions import require
from jigai.accounts.scope import get_scoped_or_404
from jigai.api.auth import session_auth
from jigai.api.types import MoneyOut

from ..models import FingerprintFlag, OtherFundAward
from ..services import other_funds, programme
from .routes import ID, READ, READ_ONE, WRITE
from .schemas import MoneyIn, _In

router = Router(auth=session_auth)  # tags from the funding router it is added to


class OtherFundAwardIn(_In):
    fund_name: str = Field(min_length=1, max_length=200, description="资金名称")
    year: int = Field(ge=2000, le=2100, description="安排年度")
    uscc: str = Field(min_length=18, max_length=18, description="统一社会信用代码")
    enterprise_name: str = Field(min_length=1, max_length=200, description="企业名称")
    project_name: str = Field(min_length=1, max_length=200, description="项目名称")
    amount: MoneyIn = Field(description="安排金额（元）")
    document_no: str = Field("", max_length=100, description="文号")
    note: str = Field("", max_length=2000, description="备注")


class OtherFundAwardOut(Schema):
    id: int
    fund_name: str
    year: int
    uscc: str
    enterprise_name: str
    enterprise_id: int | None
    project_name: str
    amount: MoneyOut
    document_no: str


class OtherFundFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="安排年度")
    uscc: str | None = Field(None, max_length=18, description="统一社会信用代码")


class FlagClearIn(_In):
    reason: str = Field(min_length=1, max_length=2000, description="核查意见：为何不属于重复申报")


class FlagOut(Schema):
    id: int
    application_id: int
    other_application_id: int
    kind: str
    label: str
    status: str
    reason: str


@router.get(
    "/other-fund-awards",
    response={200: list[OtherFundAwardOut], **READ},
    summary="其他省级专项资金支持记录",
    description="省工信厅维护；县、市可查看本辖区记录。企业提交申报时按统一社会信用代码和项目比对（政策三末段）。",
)
def other_fund_award_list(request: HttpRequest, filters: Query[OtherFundFilters]) -> Any:
    require(request.auth, "otherfund.view")
    rows = OtherFundAward.objects.restrict(request.auth, "view")
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.uscc:
        rows = rows.filter(uscc=filters.uscc.strip().upper())
    return list(rows.order_by("-year", "uscc", "pk")[:500])


@router.post(
    "/other-fund-awards",
    response={201: OtherFundAwardOut, **WRITE},
    summary="登记其他省级专项资金支持记录",
    description="仅省工信厅。字段有误时返回 400 并指出字段。",
)
def other_fund_award_create(request: HttpRequest, payload: OtherFundAwardIn) -> Any:
    award = other_funds.other_fund_award_create(actor=request.auth, data=payload.dict())
    return Status(201, award)


@router.post(
    "/flags/{id}/clear",
    response={200: FlagOut, **WRITE},
    summary="核查排除重复申报疑点",
    description="同一发票或保单在两份申报中使用时系统标记疑点，未排除前不能安排资金。县、市、省审核人员填写核查意见后排除。",
)
def fingerprint_flag_clear(request: HttpRequest, payload: FlagClearIn, id: int = ID) -> Any:
    flag = get_scoped_or_404(FingerprintFlag, request.auth, "change", pk=id)
    return programme.fingerprint_flag_clear(actor=request.auth, flag=flag, reason=payload.reason)


@router.get(
    "/applications/{id}/flags",
    response={200: list[FlagOut], **READ_ONE},
    summary="申报的重复申报疑点",
    description="审核人员可见；企业与其他角色返回空列表。",
)
def application_flags(request: HttpRequest, id: int = ID) -> Any:
    from .. import selectors

    app = selectors.application_get(actor=request.auth, pk=id)
    return selectors.application_flags(actor=request.auth, application=app)
