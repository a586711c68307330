"""专项资金申报 over HTTP. Thin like the pages: reads through the funding selectors (scoped: an out-of-scope
id answers 404, the same as one that does not exist), changes through the same services, errors turned into
HTTP in one place (jigai/api/errors.py). Public endpoints (published guidelines, notices) need no sign-in.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from jigai.accounts.permissions import can, require
from jigai.api.auth import session_auth
from jigai.api.errors import AUTH_ERRORS, ErrorOut, FieldErrorsOut
from jigai.core.errors import AccessDenied

from .. import screens, selectors, services
from ..models import Application, Payment, PublicNotice
from .schemas import (
    MAX_ID,
    FundingApplicationDetailOut,
    FundingApplicationFilters,
    FundingApplicationIn,
    FundingApplicationPageOut,
    FundingGuidelineOut,
    FundingNoticeOut,
    FundingPaymentIn,
    FundingPaymentOut,
    FundingPaymentScheduleOut,
    FundingTransitionIn,
)

router = Router(tags=["专项资金申报"], auth=session_auth)

READ = {**AUTH_ERRORS, 422: FieldErrorsOut}
READ_ONE = {**READ, 404: ErrorOut}
WRITE = {**READ_ONE, 400: ErrorOut, 409: ErrorOut}
PUBLIC = {422: FieldErrorsOut}
PUBLIC_ONE = {**PUBLIC, 404: ErrorOut}

ID = Path(..., ge=1, le=MAX_ID, description="id")


# ---------------------------------------------------------------------------------------------- helpers


def _signed_in(request: HttpRequest) -> Any:
    """The session's user on a public endpoint, or None (anonymous)."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _takes_part(actor: Any) -> None:
    """As the work-queue page: banks and administrators have no part in the funding round."""
    if not can(actor, "application.view"):
        raise AccessDenied("您的角色不参与专项资金申报。")


def _readable(actor: Any, pk: Any) -> Application:
    """An application the actor may read: the screen's gates (scope: 404; an expert before declaring no
    conflict of interest: 403)."""
    return screens.application_readable(actor=actor, pk=pk)


def _detail(actor: Any, pk: Any) -> Application:
    """An application as GET /applications/{id} answers it, read from its screen; also re-read after every
    change."""
    screen = screens.application_screen(actor=actor, pk=pk)
    app: Any = screen.app
    app.api_actions = [m.action for m in screen.moves]
    app.api_can_submit = screen.can_submit
    app.api_events = screen.events
    app.api_history = screen.history
    app.api_attachments = screen.attachments
    return app


def _payment(actor: Any, pk: Any) -> Payment:
    return selectors.payment_get(actor=actor, pk=pk)


def _with_masked_entries(notice: Any) -> Any:
    """The public notice with its rows as the public page shows them (screens.notice_rows: the masking)."""
    notice.masked_entries = [asdict(r) for r in screens.notice_rows(notice)]
    return notice


# ---------------------------------------------------------------------------------------------- guidelines


@router.get(
    "/guidelines",
    auth=None,
    response={200: list[FundingGuidelineOut]},
    summary="申报指南列表（公开）",
    description=(
        "已发布（含已结束）的年度申报指南：开放事项、申报期、公示期、预算。无需登录；"
        "省工信厅用户登录后另见草稿。"
    ),
)
def guideline_list(request: HttpRequest) -> Any:
    user = _signed_in(request)
    if user is None:
        return list(selectors.guideline_public_list())
    return list(selectors.guideline_list(actor=user))


@router.get(
    "/guidelines/{id}",
    auth=None,
    response={200: FundingGuidelineOut, **PUBLIC_ONE},
    summary="申报指南详情（公开）",
    description="无需登录即可查看已发布的指南；草稿仅省工信厅可见，其他人得到 404。",
)
def guideline_detail(request: HttpRequest, id: int = ID) -> Any:
    user = _signed_in(request)
    if user is None:
        return get_object_or_404(selectors.guideline_public_list(), pk=id)
    return selectors.guideline_get(actor=user, pk=id)


# ---------------------------------------------------------------------------------------------- applications


@router.get(
    "/applications",
    response={200: FundingApplicationPageOut, **READ},
    summary="申报列表（工作台）",
    description=(
        "当前用户可见的申报（企业：本企业；县、市：本辖区已提交的；省级、领导：全部已提交的；"
        "专家：分配给本人的；财政：已决策的）。status=todo 为当前角色待处理的。缺省按提交时间新→旧。"
        "金融机构、管理员不参与申报（403）。"
    ),
)
def application_list(request: HttpRequest, filters: Query[FundingApplicationFilters]) -> Any:
    actor = request.auth
    _takes_part(actor)
    wanted = filters.model_dump(exclude={"limit", "offset"}, exclude_none=True)
    qs = selectors.application_list(actor=actor, filters=wanted)
    return {
        "total": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(qs[filters.offset : filters.offset + filters.limit]),
    }


@router.post(
    "/applications",
    response={201: FundingApplicationDetailOut, **WRITE},
    summary="新建申报（草稿）",
    description=(
        "企业用户为本企业的项目、产品、平台或称号申报指南中开放的一个事项，保存为草稿（与网页同一服务）。"
        "对象不属于本企业、事项未开放或与对象不符、指南已截止时返回 422 并指明字段。"
    ),
)
def application_create(request: HttpRequest, payload: FundingApplicationIn) -> Any:
    actor = request.auth
    require(actor, "application.submit")
    guideline = selectors.guideline_get(actor=actor, pk=payload.guideline)
    target = services.resolve_target(actor=actor, value=f"{payload.target_kind}:{payload.target_id}")
    app = services.application_create_draft(
        actor=actor,
        guideline=guideline,
        item=payload.item,
        target=target,
        requested_amount=payload.requested_amount,
        declared_other_provincial_support=payload.declared_other_provincial_support,
        contact_person=payload.contact_person,
        contact_phone=payload.contact_phone,
        summary=payload.summary,
    )
    return Status(201, _detail(actor, app.pk))


@router.get(
    "/applications/{id}",
    response={200: FundingApplicationDetailOut, **READ_ONE},
    summary="申报详情",
    description=(
        "含提交时冻结的事实与测算结果（补助上限及逐条款说明）、审核流转记录、审计记录、当前用户可执行的操作。"
        "专家须先声明无利益冲突（否则 403）。"
    ),
)
def application_detail(request: HttpRequest, id: int = ID) -> Any:
    return _detail(request.auth, id)


@router.delete(
    "/applications/{id}",
    response={204: None, **WRITE},
    summary="删除申报草稿",
    description=(
        "企业删除本企业尚未提交的申报草稿（及其上传的材料文件），记入审计。"
        "已提交、退回补正或已撤回的申报不能删除（409）；其他企业的申报返回 404；"
        "政府部门等其他角色无权删除（403）。"
    ),
)
def application_delete(request: HttpRequest, id: int = ID) -> Any:
    actor = request.auth
    require(actor, "application.submit")
    app = selectors.application_get(actor=actor, pk=id, action="change")
    services.application_delete_draft(actor=actor, application=app)
    return Status(204, None)


@router.post(
    "/applications/{id}/submit",
    response={200: FundingApplicationDetailOut, **WRITE},
    summary="提交申报",
    description=(
        "企业提交草稿或退回补正的申报：检查申报期、事项、一年一项（政策三末段）、不重复支持、资格与条件，"
        "冻结事实与测算上限。不符合时返回原因（400/422），申报不变；已提交的再提交返回 409。"
    ),
)
def application_submit(request: HttpRequest, id: int = ID) -> Any:
    actor = request.auth
    app = selectors.application_get(actor=actor, pk=id, action="change")
    services.application_submit(actor=actor, application=app)
    return _detail(actor, id)


@router.post(
    "/applications/{id}/transitions",
    response={200: FundingApplicationDetailOut, **WRITE},
    summary="审核流转（通过、退回补正、不予通过、撤回）",
    description=(
        "县级初审 → 市级推荐（可填推荐排序）→ 省级形式审查 → 专家评审结束（须至少两位专家评分）。"
        "退回补正、不予通过须填写意见；退回补正使此前的审核作废。"
        "当前状态或角色不允许的操作返回 409 并说明原因。"
    ),
)
def application_transition(request: HttpRequest, payload: FundingTransitionIn, id: int = ID) -> Any:
    actor = request.auth
    app = selectors.application_get(actor=actor, pk=id, action="change")
    services.application_transition(
        actor=actor, application=app, action=payload.action, comment=payload.comment, rank=payload.rank
    )
    return _detail(actor, id)


# ---------------------------------------------------------------------------------------------- notices


@router.get(
    "/notices",
    auth=None,
    response={200: list[FundingNoticeOut]},
    summary="公示（公开）",
    description=(
        "已发布的拟支持项目公示及名单，无需登录。统一社会信用代码、联系人、联系电话部分隐去，与公示网页相同。"
    ),
)
def notice_list(request: HttpRequest) -> Any:
    return [_with_masked_entries(n) for n in selectors.notice_public_list()]


@router.get(
    "/notices/{id}",
    auth=None,
    response={200: FundingNoticeOut, **PUBLIC_ONE},
    summary="公示详情（公开）",
    description="一次公示及其名单（部分隐去），无需登录；未发布的返回 404。",
)
def notice_detail(request: HttpRequest, id: int = ID) -> Any:
    notice: PublicNotice = get_object_or_404(selectors.notice_public_list(), pk=id)
    return _with_masked_entries(notice)


# ---------------------------------------------------------------------------------------------- payments


@router.get(
    "/applications/{id}/payments",
    response={200: FundingPaymentScheduleOut, **READ_ONE},
    summary="拨付计划与拨付记录",
    description="立项后的拨付阶段（按冻结的测算阶段折算到安排金额）及每阶段的拨付记录；已确认的拨付合计。",
)
def application_payments(request: HttpRequest, id: int = ID) -> Any:
    actor = request.auth
    app = _readable(actor, id)
    stages = (
        selectors.payment_stages(actor=actor)
        .filter(application=app)
        .prefetch_related(None)  # the selector's plain prefetch, replaced by one that names the people
        .prefetch_related(
            Prefetch("payments", queryset=Payment.objects.select_related("entered_by", "confirmed_by"))
        )
    )
    return {
        "application_id": app.pk,
        "tracking_no": app.tracking_no,
        "granted_amount": app.granted_amount,
        "paid_total": selectors.paid_total(app),
        "stages": list(stages),
    }


@router.post(
    "/payments",
    response={201: FundingPaymentOut, **WRITE},
    summary="录入拨付（待复核）",
    description=(
        "财政人员（仅财政）录入一个拨付阶段的拨付：只拨已立项的项目，每阶段只拨一次，不超过该阶段计划和"
        "安排金额，拨付日期不早于资金安排决策日期、不晚于今天（否则 422 指明 paid_on）；收款单位、开户银行、"
        "银行账号必填（否则 422 指明该字段）；前一阶段复核拨付后才能拨付下一阶段（否则 409）。"
        "录入后须由另一位财政人员复核确认。"
    ),
)
def payment_enter(request: HttpRequest, payload: FundingPaymentIn) -> Any:
    actor = request.auth
    require(actor, "payment.enter")
    stage = selectors.stage_get(actor=actor, pk=payload.stage)
    payment = services.payment_enter(
        actor=actor,
        stage=stage,
        paid_on=payload.paid_on,
        amount=payload.amount,
        voucher_no=payload.voucher_no,
        payee_name=payload.payee_name,
        payee_bank=payload.payee_bank,
        payee_account=payload.payee_account,
    )
    return Status(201, _payment(actor, payment.pk))


@router.post(
    "/payments/{id}/confirm",
    response={200: FundingPaymentOut, **WRITE},
    summary="复核确认拨付",
    description=(
        "录入与复核须由不同人员办理（本人录入的返回 400）；已确认的再确认返回 409；"
        "同一阶段只能确认一笔，并发确认也只成功一次。"
    ),
)
def payment_confirm(request: HttpRequest, id: int = ID) -> Any:
    actor = request.auth
    require(actor, "payment.confirm")
    payment = selectors.payment_get(actor=actor, pk=id)
    services.payment_confirm(actor=actor, payment=payment)
    return _payment(actor, id)
