"""Project library pages (项目库): lists, detail (its screen), edit, moves, construction status, progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jigai.accounts.roles import Role
from jigai.core.errors import AccessDenied
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
from ..screens import project_screen
from ..services.projects import ACTION_LABELS, project_cumulative
from ._common import (
    _attempt,
    _form_page,
    _own_enterprise,
    _page,
    _post_action,
    _query,
    form_data,
)


def _project_list_page(
    request: HttpRequest, qs_fn: Callable[[dict], Any], title: str, mode: str
) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None, mode=mode)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, qs_fn(filters))
    ctx = {"form": form, "page": page, "query": _query(request), "title": title, "mode": mode}
    return render(request, "registry/project_list.html", ctx)


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
