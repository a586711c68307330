"""企业与项目库 over HTTP. Thin like the pages: reads through the selectors (scoped: an out-of-scope id
answers 404), changes through the same services, errors turned into HTTP in one place (jigai/api/errors.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from jigai.accounts.roles import Role
from jigai.api.auth import session_auth
from jigai.api.errors import AUTH_ERRORS, ErrorOut, FieldErrorsOut
from jigai.core.errors import AccessDenied
from jigai.policy import evaluate_request

from .. import selectors, services
from ..facts import calculator_case
from ..models import Enterprise, Qualification, QualificationStatus
from ..screens import project_screen
from ..selectors_qualifications import qualification_queue
from .schemas import (
    ACTIONS,
    MAX_ID,
    CalculatorOut,
    CalculatorQuery,
    EnterpriseDetailOut,
    EnterpriseFilters,
    EnterprisePageOut,
    InHenanCheckIn,
    ProgressIn,
    ProgressListOut,
    ProgressOut,
    ProjectDetailOut,
    ProjectFilters,
    ProjectIn,
    ProjectPageOut,
    QualificationFilters,
    QualificationPageOut,
    QualificationQueueItemOut,
    QualificationRejectIn,
    QualificationVerifyIn,
    TransitionIn,
)

router = Router(tags=["企业与项目库"], auth=session_auth)

READ = {**AUTH_ERRORS, 422: FieldErrorsOut}
READ_ONE = {**READ, 404: ErrorOut}
WRITE = {**READ_ONE, 400: ErrorOut, 409: ErrorOut}
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="记录 id")]


def _page(qs: Any, filters: Any) -> dict[str, Any]:
    return {
        "total": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(qs[filters.offset : filters.offset + filters.limit]),
    }


# ---------------------------------------------------------------------------------------------- enterprises


@router.get(
    "/enterprises",
    response={200: EnterprisePageOut, **READ},
    summary="企业列表",
    description="当前用户可见的企业（企业用户：本企业；县、市：本辖区；省级：全省），按名称排序。",
)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilters]) -> Any:
    wanted = {
        "q": filters.q,
        "region": filters.region,
        "size": filters.size,
        "status": filters.status,
        "above_designated_size": {True: "1", False: "0"}.get(filters.above_designated),
    }
    return _page(selectors.enterprise_list(actor=request.auth, filters=wanted), filters)


@router.get(
    "/enterprises/{id}",
    response={200: EnterpriseDetailOut, **READ_ONE},
    summary="企业详情（含资质）",
)
def enterprise_detail(request: HttpRequest, id: Id) -> Any:
    enterprise: Any = selectors.enterprise_get(actor=request.auth, pk=id)
    enterprise.qualification_list = list(
        Qualification.objects.restrict(request.auth).filter(enterprise=enterprise)
    )
    return enterprise


@router.post(
    "/enterprises/{id}/in-henan-check",
    response={200: EnterpriseDetailOut, **WRITE},
    summary="核实“研发、生产在河南省内”声明",
    description=(
        "企业所在县级工信部门（或省工信厅）核实企业关于研发、生产在河南省内的声明：confirmed=true 属实，"
        "false 不属实（须填写 comment）。企业未声明时返回 409。与网页同一服务。"
    ),
)
def enterprise_in_henan_check(request: HttpRequest, id: Id, payload: InHenanCheckIn) -> Any:
    actor = request.auth
    enterprise = selectors.enterprise_get(actor=actor, pk=id)
    services.enterprise_confirm_in_henan(
        actor=actor, enterprise=enterprise, confirmed=payload.confirmed, comment=payload.comment
    )
    return enterprise_detail(request, id)


# ------------------------------------------------------------------------------------------ qualifications

MOVE_NAMES = {QualificationStatus.VERIFIED: "verify", QualificationStatus.REJECTED: "reject"}


def _qualification(actor: Any, pk: Any) -> Any:
    q: Any = selectors.qualification_get(actor=actor, pk=pk)
    q.actions = [MOVE_NAMES[m] for m in services.allowed_moves(actor=actor, qualification=q)]
    return q


@router.get(
    "/qualifications",
    response={200: QualificationPageOut, **READ},
    summary="资质核验队列",
    description=(
        "省工信厅、县级工信部门可核验的企业资质（县级：仅其可核验的类型），缺省为待核验，按填报时间排序。"
        "其他角色得到空列表。"
    ),
)
def qualification_list(request: HttpRequest, filters: Query[QualificationFilters]) -> Any:
    actor = request.auth
    wanted = {"q": filters.q, "kind": filters.kind, "status": filters.status, "region": filters.region}
    qs = qualification_queue(actor=actor, filters=wanted).select_related("enterprise__region")
    page = _page(qs, filters)
    for q in page["items"]:
        q.actions = [MOVE_NAMES[m] for m in services.allowed_moves(actor=actor, qualification=q)]
    return page


@router.post(
    "/qualifications/{id}/verify",
    response={200: QualificationQueueItemOut, **WRITE},
    summary="资质核验通过",
    description="对照证书或名单核验通过；此后该资质在有效期内计入政策测算。重复或非法的操作返回 409。",
)
def qualification_verify(request: HttpRequest, id: Id, payload: QualificationVerifyIn) -> Any:
    actor = request.auth
    q = selectors.qualification_get(actor=actor, pk=id)
    services.qualification_verify(actor=actor, qualification=q, comment=payload.comment)
    return _qualification(actor, id)


@router.post(
    "/qualifications/{id}/reject",
    response={200: QualificationQueueItemOut, **WRITE},
    summary="驳回资质",
    description="驳回企业填报的资质，reason 必填（企业可见）。重复或非法的操作返回 409。",
)
def qualification_reject(request: HttpRequest, id: Id, payload: QualificationRejectIn) -> Any:
    actor = request.auth
    q = selectors.qualification_get(actor=actor, pk=id)
    services.qualification_reject(actor=actor, qualification=q, reason=payload.reason)
    return _qualification(actor, id)


# ---------------------------------------------------------------------------------------------- projects


def _project(actor: Any, pk: Any) -> Any:
    """A project as GET /projects/{id} answers it, read from its screen (the page renders the same one);
    also re-read after a change (cumulative, events)."""
    screen = project_screen(actor=actor, pk=pk)
    project: Any = screen.project
    project.missing_statistics = screen.missing
    project.actions = [m.action for m in screen.moves]
    project.calculator_items = screen.items
    project.flow = screen.flow
    return project


def _own_enterprise(actor: Any) -> Enterprise:
    """The enterprise user's own enterprise, read through the scope gate (as on the page)."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_id:
        raise AccessDenied("只有企业用户可以填报本企业的项目。")
    return selectors.enterprise_get(actor=actor, pk=actor.enterprise_id)


@router.get(
    "/projects",
    response={200: ProjectPageOut, **READ},
    summary="项目库列表",
    description="当前用户可见的技术改造项目，新建在前；金额为元（字符串）。",
)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    wanted = {
        "q": filters.q,
        "category": filters.category,
        "construction": filters.construction_status,
        "status": filters.library_status,
        "region": filters.region,
        "enterprise": filters.enterprise,
        "missing": "1" if filters.missing else None,
    }
    return _page(selectors.project_list(actor=request.auth, filters=wanted), filters)


@router.post(
    "/projects",
    response={201: ProjectDetailOut, **WRITE},
    summary="新建项目（草稿）",
    description="企业用户为本企业新建技术改造项目，保存为草稿；与网页同一服务、同一校验规则。",
)
def project_create(request: HttpRequest, payload: ProjectIn) -> Any:
    actor = request.auth
    enterprise = _own_enterprise(actor)
    project = services.project_create(actor=actor, enterprise=enterprise, data=payload.model_dump())
    return Status(201, _project(actor, project.pk))


@router.get(
    "/projects/{id}",
    response={200: ProjectDetailOut, **READ_ONE},
    summary="项目详情",
    description="含入库流转记录、当前用户可执行的操作和可测算的支持项目。",
)
def project_detail(request: HttpRequest, id: Id) -> Any:
    return _project(request.auth, id)


@router.post(
    "/projects/{id}/transitions",
    response={200: ProjectDetailOut, **WRITE},
    summary="项目入库流转",
    description=(
        "submit：企业提交（草稿或退回补正的项目）；county_approve：县级审核通过；city_approve：市级审核通过"
        "（入库）；return：县级或市级退回补正，须填写意见。非法或重复的操作返回 409 并说明原因。"
    ),
)
def project_transition(request: HttpRequest, id: Id, payload: TransitionIn) -> Any:
    actor = request.auth
    project = selectors.project_get(actor=actor, pk=id)
    services.project_transition(
        actor=actor, project=project, to_status=ACTIONS[payload.action], comment=payload.comment
    )
    return _project(actor, id)


@router.get(
    "/projects/{id}/progress",
    response={200: ProgressListOut, **READ_ONE},
    summary="月度进度",
    description="项目的月度完成投资，按月份排序，每月附截至该月的累计完成投资。",
)
def progress_list(request: HttpRequest, id: Id) -> Any:
    project = selectors.project_get(actor=request.auth, pk=id)
    return {
        "project_id": project.pk,
        "total_investment": project.total_investment,
        "cumulative_investment": project.cumulative,
        "items": selectors.progress_with_cumulative(project=project),
    }


@router.post(
    "/projects/{id}/progress",
    response={201: ProgressOut, **WRITE},
    summary="填报月度进度",
    description=(
        "企业填报已入库项目某月的完成投资（每月一次）；累计完成投资超过项目总投资时须填写 over_total_reason。"
    ),
)
def progress_create(request: HttpRequest, id: Id, payload: ProgressIn) -> Any:
    actor = request.auth
    project = selectors.project_get(actor=actor, pk=id)
    report = services.progress_report(actor=actor, project=project, **payload.model_dump())
    reports = selectors.progress_with_cumulative(project=project)
    return Status(201, next(r for r in reports if r.pk == report.pk))


@router.get(
    "/projects/{id}/calculator-case",
    response={200: CalculatorOut, **READ_ONE},
    summary="项目的政策计算器案例与测算结果",
    description=(
        "由项目库数据生成计算器案例（与申报时冻结的事实同源），并按豫政办〔2022〕8号测算补助上限。"
        "as_of 缺省为今天。"
    ),
)
def calculator(request: HttpRequest, id: Id, query: Query[CalculatorQuery]) -> Any:
    project = selectors.project_get(actor=request.auth, pk=id)
    case = calculator_case(
        obj=project,
        item=query.item,
        as_of=query.as_of or timezone.localdate(),
        other_provincial_support=query.other_provincial_support,
    )
    answer = evaluate_request({"cases": [case]})
    return {"case": case, "policy": answer["policy"], "result": answer["results"][0]}
