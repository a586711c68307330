"""Project library pages (项目库): lists, detail (its screen), edit, moves, construction status, progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jigai.accounts.roles import Role
from jigai.core.errors import AccessDenied, DomainError
from jigai.core.money import wan_yuan

from .. import selectors, services
from ..filters import ProjectFilterForm
from ..forms import (
    ConstructionForm,
    ProgressForm,
    ProjectForm,
    TransitionForm,
)
from ..models import (
    LibraryStatus,
)
from ..paging import sort_headers
from ..screens import project_screen
from ..selectors import QUEUE_STATUS
from ..services.projects import ACTION_LABELS, project_cumulative
from ._common import (
    _attempt,
    _form_page,
    _own_enterprise,
    _page,
    _post_action,
    _query,
    _with,
    form_data,
)

PROJECT_COLUMNS = [
    ("项目名称", None),
    ("企业", None),
    ("改造类型", None),
    ("总投资", "total"),
    ("设备投资", None),
    ("累计完成", "cumulative"),
    ("建设状态", None),
    ("入库状态", None),
]
PROJECT_MONEY = {
    "total": "total_investment",
    "equipment": "equipment_investment",
    "cumulative": "cumulative_investment",
}


def _project_list_page(
    request: HttpRequest, qs_fn: Callable[[dict], Any], title: str, mode: str
) -> HttpResponse:
    """A list of projects: filters (region from the user's jurisdiction), sortable money columns, pages with
    jump and size, totals over the filtered set, the Excel export of the same rows."""
    form = ProjectFilterForm(request.GET or None, actor=request.user, mode=mode)
    filters = form.cleaned_data if form.is_valid() else {}
    batch_to = BATCH_APPROVE.get(request.user.role) if mode == "queue" else None
    results = None
    if request.method == "POST" and batch_to is not None:
        results = _batch_check(request, batch_to)
    page = _page(request, qs_fn(filters), totals=PROJECT_MONEY)
    export_query = page.pager.query
    if mode == "queue" and request.user.role in QUEUE_STATUS:  # the export holds the queue's rows
        export_query = _with(export_query, status=QUEUE_STATUS[request.user.role])
    ctx = {
        "form": form,
        "page": page,
        "query": _query(request),
        "title": title,
        "mode": mode,
        "headers": sort_headers(request, PROJECT_COLUMNS, numeric=("总投资", "设备投资", "累计完成")),
        "totals": page.totals,
        "export_query": export_query,
        "batch_label": ACTION_LABELS[batch_to] if batch_to and len(page) else "",
        "batch_results": results,
    }
    return render(request, "registry/project_list.html", ctx)


# 批量审核 of the project queue: the reviewer's level's approval, or 退回补正 with the comment.
BATCH_APPROVE = {Role.COUNTY: LibraryStatus.COUNTY_CHECKED, Role.CITY: LibraryStatus.IN_LIBRARY}
MAX_BATCH = 100


def _batch_check(request: HttpRequest, approve_to: str) -> list[dict[str, Any]]:
    """Each ticked project through the one library service (services.project_transition): each locked,
    checked and audited on its own, in its own transaction, so a refusal stops nothing else. Returns one
    outcome per project for the page."""
    ids = list(dict.fromkeys(int(v) for v in request.POST.getlist("ids") if v.isdigit()))[:MAX_BATCH]
    to_status = approve_to if request.POST.get("action") != "return" else LibraryStatus.RETURNED
    comment = request.POST.get("comment", "")[:2000]
    if not ids:
        messages.error(request, "请先勾选要办理的项目。")
        return []
    reachable = {p.pk: p for p in selectors.project_queue(actor=request.user).filter(pk__in=ids)}
    results = []
    for pk in ids:
        project = reachable.get(pk)
        if project is None:
            results.append(
                {"id": pk, "ok": False, "name": "", "message": "未找到该项目，或它不在您的待审核列表中。"}
            )
            continue
        try:
            with transaction.atomic():
                moved = services.project_transition(
                    actor=request.user, project=project, to_status=to_status, comment=comment
                )
        except DomainError as exc:
            results.append({"id": pk, "ok": False, "name": project.name, "message": exc.message})
            continue
        done = f"已办理，当前状态：{moved.get_library_status_display()}。"
        results.append({"id": pk, "ok": True, "name": project.name, "message": done})
    ok = sum(1 for r in results if r["ok"])
    text = f"批量办理 {len(results)} 个项目：已办理 {ok} 个" + (
        f"，未办理 {len(results) - ok} 个。" if ok < len(results) else "。"
    )
    (messages.success if ok == len(results) else messages.warning)(request, text)
    return results


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    return _project_list_page(
        request, lambda f: selectors.project_list(actor=request.user, filters=f), "项目库", "list"
    )


@login_required
def project_queue(request: HttpRequest) -> HttpResponse:
    """Projects waiting for the reviewer's check (county: submitted; city: county-checked)."""
    if request.user.role not in (Role.COUNTY, Role.CITY):
        raise AccessDenied("只有县级、市级工信部门审核项目。")
    title = "待县级审核项目" if request.user.role == Role.COUNTY else "待市级审核项目"
    return _project_list_page(
        request, lambda f: selectors.project_queue(actor=request.user, filters=f), title, "queue"
    )


@login_required
def project_missing(request: HttpRequest) -> HttpResponse:
    """应统尽统: in-library projects under construction without last month's progress report."""
    return _project_list_page(
        request,
        lambda f: selectors.project_list(actor=request.user, filters={**f, "missing": "1"}),
        "应统未统项目（上月未报进度的在建入库项目）",
        "missing",
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = _attempt(
            form,
            lambda: services.project_create(actor=request.user, enterprise=enterprise, data=form_data(form)),
        )
        if project is not None:
            messages.success(request, "项目已保存为草稿，确认无误后请提交县级审核。")
            return redirect("registry:project_detail", pk=project.pk)
    return _form_page(
        request,
        form,
        title="新建技术改造项目",
        back=reverse("registry:project_list"),
        intro="金额单位均为元。",
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    screen = project_screen(actor=request.user, pk=pk)
    ctx = {
        "s": screen,
        "project": screen.project,
        "transition_form": TransitionForm(),
        "construction_form": ConstructionForm(
            initial={"construction_status": screen.project.construction_status}
        ),
    }
    return render(request, "registry/project_detail.html", ctx)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(actor=request.user, pk=pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form, lambda: services.project_update(actor=request.user, project=project, data=form_data(form))
        )
        if done is not None:
            messages.success(request, "项目已保存。")
            return redirect("registry:project_detail", pk=project.pk)
    back = reverse("registry:project_detail", args=[project.pk])
    intro = f"退回意见：{project.library_comment}" if project.library_status == LibraryStatus.RETURNED else ""
    return _form_page(request, form, title=f"修改项目：{project.name}", back=back, intro=intro)


@login_required
@require_POST
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(actor=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "操作无效，请刷新页面后重试。")
        return redirect("registry:project_detail", pk=project.pk)
    to = form.cleaned_data["to_status"]
    ok = _post_action(
        request,
        lambda: services.project_transition(
            actor=request.user, project=project, to_status=to, comment=form.cleaned_data["comment"]
        ),
        f"已{ACTION_LABELS.get(to, '处理')}：{project.name}",
    )
    if ok and request.user.role in (Role.COUNTY, Role.CITY):
        return redirect("registry:project_queue")
    return redirect("registry:project_detail", pk=project.pk)


@login_required
@require_POST
def project_construction(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(actor=request.user, pk=pk)
    form = ConstructionForm(request.POST)
    if form.is_valid():
        status = form.cleaned_data["construction_status"]
        _post_action(
            request,
            lambda: services.project_set_construction_status(
                actor=request.user, project=project, status=status
            ),
            "建设状态已更新。",
        )
    return redirect("registry:project_detail", pk=project.pk)


@login_required
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(actor=request.user, pk=pk)
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form, lambda: services.progress_report(actor=request.user, project=project, **form_data(form))
        )
        if done is not None:
            messages.success(request, f"{done.month:%Y年%m月} 进度已填报。")
            return redirect("registry:project_detail", pk=project.pk)
    back = reverse("registry:project_detail", args=[project.pk])
    done_so_far = project_cumulative(project)
    total, so_far = wan_yuan(project.total_investment), wan_yuan(done_so_far)
    intro = f"项目总投资 {total}，截至目前累计完成 {so_far}。"
    return _form_page(
        request, form, title=f"填报月度进度：{project.name}", back=back, intro=intro, submit="提交"
    )


@login_required
def progress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.progress_get(actor=request.user, pk=pk)
    initial = {
        "month": report.month,
        "investment_completed": report.investment_completed,
        "over_total_reason": report.over_total_reason,
        "note": report.note,
    }
    form = ProgressForm(request.POST or None, initial=initial, month_fixed=True)
    if request.method == "POST" and form.is_valid():
        data = form_data(form, ["investment_completed", "over_total_reason", "note"])
        done = _attempt(form, lambda: services.progress_update(actor=request.user, report=report, **data))
        if done is not None:
            messages.success(request, "进度已更正。")
            return redirect("registry:project_detail", pk=report.project_id)
    back = reverse("registry:project_detail", args=[report.project_id])
    return _form_page(request, form, title=f"更正 {report.month:%Y年%m月} 进度：{report.project}", back=back)
