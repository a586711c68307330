"""Pages for vouching (issue 7): the province's and county's queue of qualifications to verify, the
verify / reject buttons (POST), and the county's check of an enterprise's 研发、生产在河南省内 declaration.
Thin: reads through selectors_qualifications, changes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jigai.accounts.permissions import can
from jigai.core.errors import AccessDenied, run_for_page

from . import selectors, services
from .forms import InHenanCheckForm, QualificationQueueFilterForm, QualificationRejectForm
from .paging import paginate
from .selectors_qualifications import qualification_queue as queue_selector
from .selectors_qualifications import with_moves

PAGE_SIZE = 20


def _back(request: HttpRequest, default: str) -> str:
    """Where a verify / reject button returns: the queue with its filters (a query string only, re-encoded:
    never another site), or the page it was pressed on."""
    if request.POST.get("from") == "queue":
        query = QueryDict(request.POST.get("query", ""), mutable=False).urlencode()
        return reverse("registry:qualification_queue") + (f"?{query}" if query else "")
    return default


def _run(request: HttpRequest, action, done: str) -> None:
    run_for_page(request, action, success=done)


@login_required
@require_GET
def qualification_queue(request: HttpRequest) -> HttpResponse:
    """资质核验: the qualifications waiting for the officer (the county sees only what it may confirm)."""
    if not can(request.user, "qualification.verify"):
        raise AccessDenied("只有省工信厅和县级工信部门可以核验企业资质。")
    form = QualificationQueueFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, queue_selector(actor=request.user, filters=filters), default=PAGE_SIZE)
    page.object_list = with_moves(actor=request.user, qualifications=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "export_query": page.pager.query,
        "reject_form": QualificationRejectForm(),
        "title": "资质核验",
    }
    return render(request, "registry/qualification_queue.html", ctx)


@login_required
@require_POST
def qualification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    q = selectors.qualification_get(actor=request.user, pk=pk)
    comment = request.POST.get("comment", "")
    _run(
        request,
        lambda: services.qualification_verify(actor=request.user, qualification=q, comment=comment),
        f"已核验：{q.enterprise.name} {q.get_kind_display()}。",
    )
    return redirect(_back(request, reverse("registry:enterprise_detail", args=[q.enterprise_id])))


@login_required
@require_POST
def qualification_reject(request: HttpRequest, pk: int) -> HttpResponse:
    q = selectors.qualification_get(actor=request.user, pk=pk)
    form = QualificationRejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.qualification_reject(actor=request.user, qualification=q, reason=reason),
        f"已驳回：{q.enterprise.name} {q.get_kind_display()}。",
    )
    return redirect(_back(request, reverse("registry:enterprise_detail", args=[q.enterprise_id])))


@login_required
@require_POST
def enterprise_check_in_henan(request: HttpRequest, pk: int) -> HttpResponse:
    """The county's check of the declaration 研发、生产在河南省内 (属实, or 不属实 with a reason)."""
    enterprise = selectors.enterprise_get(actor=request.user, pk=pk)
    form = InHenanCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择核实结果（属实或不属实）。")
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: services.enterprise_confirm_in_henan(
                actor=request.user,
                enterprise=enterprise,
                confirmed=data["confirmed"],
                comment=data["comment"],
            ),
            "已记录核实结果。",
        )
    return redirect("registry:enterprise_detail", pk=enterprise.pk)
