"""The project library (项目库): entering a project, the check workflow as data, construction status and
monthly progress (policy 五（三）: 优化项目入库流程，确保应统尽统)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record
from jigai.core.errors import Conflict, DomainError, InvalidInput, NotFound
from jigai.core.money import wan_yuan
from jigai.core.workflow import Move, Workflow, apply_move

from ..models import (
    ConstructionStatus,
    Enterprise,
    LibraryStatus,
    ProgressReport,
    Project,
    ProjectEvent,
)
from .common import apply, full_clean, require_enterprise_editor, snapshot
from .progress_totals import store_project_totals, unexplained_overruns

S = LibraryStatus

# Approvals a return for correction voids: they must be given again after resubmission.
APPROVAL_STATES = frozenset({S.COUNTY_CHECKED, S.IN_LIBRARY})


def _move(state: str, role: str, action: str, to: str, permission: str, label: str, verb: str) -> Move:
    kind = "warning" if action == "return" else "primary"
    return Move(
        state=state, role=role, action=action, to=to, permission=permission, label=label, verb=verb, kind=kind
    )


# The library workflow: (state, role, action) → next state, permission, label, audit verb.
PROJECT_WORKFLOW = Workflow(
    noun="项目",
    field="library_status",
    state_label=lambda s: LibraryStatus(s).label,
    authorize=require,
    record=audit_record,
    moves=[
        _move(S.DRAFT, Role.ENTERPRISE, "submit", S.SUBMITTED, "project.submit", "提交", "submit"),
        _move(S.RETURNED, Role.ENTERPRISE, "submit", S.SUBMITTED, "project.submit", "提交", "resubmit"),
        _move(
            S.SUBMITTED,
            Role.COUNTY,
            "county_approve",
            S.COUNTY_CHECKED,
            "project.check_county",
            "县级审核通过",
            "approve",
        ),
        _move(S.SUBMITTED, Role.COUNTY, "return", S.RETURNED, "project.check_county", "退回补正", "return"),
        _move(
            S.COUNTY_CHECKED,
            Role.CITY,
            "city_approve",
            S.IN_LIBRARY,
            "project.check_city",
            "市级审核通过（入库）",
            "approve",
        ),
        _move(S.COUNTY_CHECKED, Role.CITY, "return", S.RETURNED, "project.check_city", "退回补正", "return"),
    ],
)
# Derived views of the table: (state, role) → target states, and a target state's label.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = PROJECT_WORKFLOW.targets()
ACTION_LABELS = {m.to: m.label for m in PROJECT_WORKFLOW.table.values()}

PROJECT_FIELDS = (
    "name",
    "category",
    "is_machine_replacement",
    "is_smart_factory",
    "total_investment",
    "equipment_investment",
    "software_investment",
    "machine_purchase_investment",
    "planned_start",
    "planned_end",
    "zero_new_land",
    "added_floor_area",
    "description",
)
CONSTRUCTION_ORDER = [
    ConstructionStatus.PLANNED,
    ConstructionStatus.UNDER_CONSTRUCTION,
    ConstructionStatus.COMPLETED,
    ConstructionStatus.ACCEPTED,
]


def allowed_moves(*, actor: Any, project: Project) -> list[Move]:
    """The moves `actor` may make on `project` now (the buttons on the page; the service re-checks)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    return PROJECT_WORKFLOW.moves(project.library_status, actor.role)


def allowed_transitions(*, actor: Any, project: Project) -> list[str]:
    """The states `actor` may move `project` to now."""
    return sorted(m.to for m in allowed_moves(actor=actor, project=project))


def _check_project(project: Project) -> None:
    errors: dict[str, list[str]] = {}
    money = ("total_investment", "equipment_investment", "software_investment", "machine_purchase_investment")
    for name in money:
        value = getattr(project, name)
        if value is not None and Decimal(value) < 0:
            errors.setdefault(name, []).append("金额不能为负数。")
    if project.planned_start and project.planned_end and project.planned_end < project.planned_start:
        errors.setdefault("planned_end", []).append("计划竣工日期不能早于计划开工日期。")
    money_ok = not any(name in errors for name in money)
    if money_ok and project.total_investment is not None:
        parts = Decimal(project.equipment_investment or 0) + Decimal(project.software_investment or 0)
        if parts > Decimal(project.total_investment):
            errors.setdefault("total_investment", []).append("设备投资与软件投资之和不能超过总投资。")
        if Decimal(project.machine_purchase_investment or 0) > Decimal(project.total_investment):
            errors.setdefault("machine_purchase_investment", []).append("整机购置投资不能超过总投资。")
    if project.zero_new_land and project.added_floor_area is None:
        errors.setdefault("added_floor_area", []).append("零增地项目请填写新增建筑面积（平方米）。")
    if project.added_floor_area is not None and project.added_floor_area < 0:
        errors.setdefault("added_floor_area", []).append("新增建筑面积不能为负数。")
    if project.is_machine_replacement and not project.machine_purchase_investment:
        errors.setdefault("machine_purchase_investment", []).append("机器换人项目请填写整机购置投资。")
    if errors:
        raise InvalidInput(errors)
    full_clean(project, exclude=["enterprise"])


def edit_refusal(project: Project) -> DomainError | None:
    """Why the enterprise cannot edit `project` now (None when it can): only a draft or a project returned
    for correction is edited. project_update raises it; the project page shows 修改项目 disabled with it."""
    if project.is_editable:
        return None
    return Conflict(
        f"项目当前状态为“{project.get_library_status_display()}”，不能修改；退回补正后方可修改。",
        code="not_editable",
    )


def submit_refusal(project: Project) -> DomainError | None:
    """Why `project` cannot be submitted now (None when it can): the enterprise must first be confirmed
    by the county. The submit move raises it; the project page shows 提交 disabled with it."""
    if project.enterprise.status != "confirmed":
        return Conflict("企业尚未经县级工信部门确认，不能提交项目。", code="enterprise_not_confirmed")
    return None


def progress_refusal(project: Project) -> DomainError | None:
    """Why no monthly progress can be reported for `project` now (None when it can): only a project in
    the library reports (应统尽统). progress_report raises it; the page shows 填报月度进度 disabled
    with it."""
    if project.library_status != S.IN_LIBRARY:
        return Conflict("项目入库后方可填报月度进度。", code="not_in_library")
    return None


def _require_project_owner(actor: Any, enterprise: Enterprise) -> Enterprise:
    require(actor, "project.submit")
    return require_enterprise_editor(actor, enterprise)


@transaction.atomic
def project_create(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Project:
    """The enterprise enters a project; it starts as a draft."""
    enterprise = _require_project_owner(actor, enterprise)
    project = Project(enterprise=enterprise, library_status=S.DRAFT)
    apply(project, data, PROJECT_FIELDS)
    _check_project(project)
    project.save()
    audit_record(actor=actor, action="create", obj=project, after=snapshot(project))
    return project


def _lock(actor: Any, project: Project) -> Project:
    locked = Project.objects.restrict(actor, "change").select_for_update().filter(pk=project.pk).first()
    if locked is None:
        raise NotFound("未找到该项目，或您无权操作。")
    return locked


@transaction.atomic
def project_update(*, actor: Any, project: Project, data: dict[str, Any]) -> Project:
    """The enterprise edits a draft or a project returned for correction."""
    _require_project_owner(actor, project.enterprise)
    project = _lock(actor, project)
    refusal = edit_refusal(project)
    if refusal is not None:
        raise refusal
    before = snapshot(project)
    apply(project, data, PROJECT_FIELDS)
    _check_project(project)
    after = snapshot(project)
    if after != before:
        project.save()
        audit_record(actor=actor, action="update", obj=project, before=before, after=after)
    return project


def project_transition(*, actor: Any, project: Project, to_status: str, comment: str = "") -> Project:
    """Move a project through the library workflow by the one workflow service (jigai.core.workflow):
    locks the row, refuses an illegal or repeated move with the reason, writes one ProjectEvent and one
    audit record; a return voids earlier approvals."""
    if to_status not in S.values:
        raise InvalidInput({"to_status": ["未知的目标状态。"]})
    action = PROJECT_WORKFLOW.action_to_or_deny(getattr(actor, "role", None), to_status)
    comment = (comment or "").strip()

    def prepare(p: Project, m: Move) -> None:
        if m.action == "return" and not comment:
            raise InvalidInput({"comment": ["退回补正必须填写意见，说明需要修改的内容。"]})
        now = timezone.now()
        if m.to == S.SUBMITTED:
            _check_project(p)  # a resubmission is checked again as a whole
            refusal = submit_refusal(p)
            if refusal is not None:
                raise refusal
            p.submitted_at = now
        elif m.to == S.IN_LIBRARY:
            p.in_library_at = now
        if m.to == S.RETURNED:
            ProjectEvent.objects.filter(project=p, to_status__in=APPROVAL_STATES, voided=False).update(
                voided=True
            )
        if comment or m.to != S.SUBMITTED:
            p.library_comment = comment

    def write_event(p: Project, m: Move, from_status: str, text: str) -> ProjectEvent:
        return ProjectEvent.objects.create(
            project=p, actor=actor, from_status=from_status, to_status=m.to, comment=text
        )

    return apply_move(
        workflow=PROJECT_WORKFLOW,
        queryset=Project.objects.restrict(actor, "change").select_related("enterprise"),
        pk=project.pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=write_event,
        snapshot=snapshot,
        prepare=prepare,
        not_found="未找到该项目，或您无权操作。",
    )


def project_submit(*, actor: Any, project: Project) -> Project:
    return project_transition(actor=actor, project=project, to_status=S.SUBMITTED)


def project_approve(*, actor: Any, project: Project, comment: str = "") -> Project:
    """County: submitted → county_checked; city: county_checked → in_library."""
    to = S.COUNTY_CHECKED if getattr(actor, "role", None) == Role.COUNTY else S.IN_LIBRARY
    return project_transition(actor=actor, project=project, to_status=to, comment=comment)


def project_return(*, actor: Any, project: Project, comment: str) -> Project:
    return project_transition(actor=actor, project=project, to_status=S.RETURNED, comment=comment)


@transaction.atomic
def project_set_construction_status(*, actor: Any, project: Project, status: str) -> Project:
    """The enterprise reports construction moving forward (planned → under construction → completed →
    accepted); it never moves back."""
    _require_project_owner(actor, project.enterprise)
    project = _lock(actor, project)
    if status not in ConstructionStatus.values:
        raise InvalidInput({"construction_status": ["未知的建设状态。"]})
    if status == project.construction_status:
        raise Conflict(
            f"项目已是“{project.get_construction_status_display()}”状态。", code="repeated_transition"
        )
    if CONSTRUCTION_ORDER.index(status) < CONSTRUCTION_ORDER.index(project.construction_status):
        raise Conflict("建设状态不能倒退。", code="illegal_transition")
    before = snapshot(project)
    project.construction_status = status
    project.save(update_fields=["construction_status", "updated_at"])
    audit_record(actor=actor, action="update", obj=project, before=before, after=snapshot(project))
    return project


# ---------------------------------------------------------------------------------------------- progress


def first_of_month(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _check_cumulative(
    project: Project, month: dt.date, amount: Decimal, reason: str, exclude_pk: Any
) -> None:
    """Walk the months in order with the new figure in place: wherever the cumulative passes the total
    investment, that month's report must say why (the one being saved uses `reason`)."""
    rows = {
        r.month: (r.investment_completed, r.over_total_reason)
        for r in ProgressReport.objects.filter(project=project).exclude(pk=exclude_pk)
    }
    rows[month] = (amount, reason)
    for m, running in unexplained_overruns(rows, project.total_investment)[:1]:
        if m == month:
            raise InvalidInput(
                {
                    "over_total_reason": [
                        f"累计完成投资 {wan_yuan(running)}超过项目总投资 "
                        f"{wan_yuan(project.total_investment)}，请填写超出原因。"
                    ]
                }
            )
        raise InvalidInput(
            {
                "investment_completed": [
                    f"修改后 {m:%Y年%m月} 的累计完成投资 {wan_yuan(running)}将超过项目总投资，"
                    "而该月报告未填写超出原因。"
                ]
            }
        )


def _check_progress_input(project: Project, month: dt.date, amount: Any) -> tuple[dt.date, Decimal]:
    errors: dict[str, list[str]] = {}
    refusal = progress_refusal(project)
    if refusal is not None:
        raise refusal
    if month is None:
        errors["month"] = ["请选择月份。"]
    else:
        month = first_of_month(month)
        if month > first_of_month(timezone.localdate()):
            errors["month"] = ["不能填报未来月份的进度。"]
    if amount is None:
        errors["investment_completed"] = ["请填写本月完成投资。"]
    else:
        amount = Decimal(amount)
        if amount < 0:
            errors["investment_completed"] = ["本月完成投资不能为负数。"]
    if errors:
        raise InvalidInput(errors)
    return month, amount


@transaction.atomic
def progress_report(
    *,
    actor: Any,
    project: Project,
    month: dt.date,
    investment_completed: Decimal,
    over_total_reason: str = "",
    note: str = "",
) -> ProgressReport:
    """The enterprise reports one month of an in-library project. One report per project and month."""
    require(actor, "progress.report")
    require_enterprise_editor(actor, project.enterprise)
    project = _lock(actor, project)  # serialises reports of one project: the cumulative check is exact
    month, amount = _check_progress_input(project, month, investment_completed)
    if ProgressReport.objects.filter(project=project, month=month).exists():
        raise InvalidInput({"month": [f"{month:%Y年%m月} 的进度已填报，如需更正请修改该月报告。"]})
    _check_cumulative(project, month, amount, over_total_reason, exclude_pk=None)
    report = ProgressReport(
        project=project,
        month=month,
        investment_completed=amount,
        over_total_reason=(over_total_reason or "").strip(),
        note=(note or "").strip(),
        reported_by=actor,
    )
    full_clean(report, exclude=["project", "reported_by"])
    report.save()
    store_project_totals([project.pk])
    audit_record(actor=actor, action="create", obj=report, after=snapshot(report))
    return report


@transaction.atomic
def progress_update(
    *,
    actor: Any,
    report: ProgressReport,
    investment_completed: Decimal,
    over_total_reason: str = "",
    note: str = "",
) -> ProgressReport:
    """Correct a month already reported (the month itself does not change)."""
    require(actor, "progress.report")
    report = ProgressReport.objects.restrict(actor, "change").filter(pk=report.pk).first()
    if report is None:
        raise NotFound("未找到该月度进度，或您无权操作。")
    require_enterprise_editor(actor, report.project.enterprise)
    project = _lock(actor, report.project)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _month, amount = _check_progress_input(project, report.month, investment_completed)
    _check_cumulative(project, report.month, amount, over_total_reason, exclude_pk=report.pk)
    before = snapshot(report)
    report.investment_completed = amount
    report.over_total_reason = (over_total_reason or "").strip()
    report.note = (note or "").strip()
    after = snapshot(report)
    if after != before:
        report.save()
        store_project_totals([project.pk])
        audit_record(actor=actor, action="update", obj=report, before=before, after=after)
    return report


def project_cumulative(project: Project) -> Decimal:
    """Investment completed so far (sum of the monthly reports)."""
    total = ProgressReport.objects.filter(project=project).aggregate(s=Sum("investment_completed"))["s"]
    return total or Decimal(0)
