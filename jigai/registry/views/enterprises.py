"""Enterprise pages (企业库): list, review queue, detail, edit, confirm; qualifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role
from jigai.audit.selectors import audit_history
from jigai.core.errors import AccessDenied

from .. import selectors, services
from ..filters import EnterpriseFilterForm
from ..forms import (
    EnterpriseForm,
    QualificationForm,
    ReasonForm,
)
from ..industry import industry_label
from ..models import (
    EnterpriseStatus,
)
from ..selectors_qualifications import in_henan_panel, qualification_table
from ._common import (
    _attempt,
    _form_page,
    _is_editor,
    _page,
    _post_action,
    _query,
    _with,
    form_data,
)


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.ENTERPRISE:
        return redirect("registry:portal")
    form = EnterpriseFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.enterprise_list(actor=request.user, filters=filters))
    ctx = {"form": form, "page": page, "query": _query(request), "title": "企业库"}
    ctx["export_query"] = page.pager.query
    return render(request, "registry/enterprise_list.html", ctx)


@login_required
def enterprise_queue(request: HttpRequest) -> HttpResponse:
    """The county's work queue 待确认企业."""
    if not can(request.user, "enterprise.confirm"):
        raise AccessDenied("只有县级工信部门可以确认企业注册。")
    form = EnterpriseFilterForm(request.GET or None, actor=request.user, queue=True)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.enterprises_to_confirm(actor=request.user)
    if filters.get("q") or filters.get("region"):
        qs = selectors.enterprise_list(actor=request.user, filters={**filters, "status": "pending"}).order_by(
            "created_at", "pk"
        )
    page = _page(request, qs)
    ctx = {"form": form, "page": page, "query": _query(request), "title": "待确认企业", "queue": True}
    # the export holds the same rows: the queue's filters and its status
    ctx["export_query"] = _with(page.pager.query, status="pending")
    return render(request, "registry/enterprise_list.html", ctx)


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    enterprise = selectors.enterprise_get(actor=user, pk=pk)
    ctx = {
        "enterprise": enterprise,
        "industry": industry_label(enterprise.industry_section, enterprise.industry_division),
        "qualifications": qualification_table(actor=user, enterprise=enterprise),
        "in_henan": in_henan_panel(actor=user, enterprise=enterprise),
        "projects": selectors.project_list(actor=user, filters={"enterprise": enterprise.pk})[:20],
        "products": selectors.product_list(actor=user, filters={"enterprise": enterprise.pk}),
        "platforms": selectors.platform_list(actor=user, filters={"enterprise": enterprise.pk}),
        "titles": selectors.title_list(actor=user, filters={"enterprise": enterprise.pk}),
        "can_edit": _is_editor(user, enterprise),
        "can_confirm": can(user, "enterprise.confirm") and enterprise.status == EnterpriseStatus.PENDING,
        "reject_form": ReasonForm(),
        "events": audit_history(obj=enterprise),
    }
    return render(request, "registry/enterprise_detail.html", ctx)


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(actor=request.user, pk=pk)
    gov = request.user.role != Role.ENTERPRISE
    form = EnterpriseForm(
        request.POST or None, initial=EnterpriseForm.initial_from(enterprise), gov=gov, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.enterprise_update(
                actor=request.user, enterprise=enterprise, data=form_data(form)
            ),
        )
        if done is not None:
            messages.success(request, "企业信息已保存。")
            return redirect("registry:enterprise_detail", pk=enterprise.pk)
    back = reverse("registry:enterprise_detail", args=[enterprise.pk])
    return _form_page(request, form, title=f"修改企业信息：{enterprise.name}", back=back)


@login_required
@require_POST
def enterprise_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(actor=request.user, pk=pk)
    comment = request.POST.get("comment", "")
    _post_action(
        request,
        lambda: services.enterprise_confirm(actor=request.user, enterprise=enterprise, comment=comment),
        f"已确认企业“{enterprise.name}”，其账号已启用。",
    )
    return redirect("registry:enterprise_queue")


@login_required
@require_POST
def enterprise_reject(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(actor=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        if _post_action(
            request,
            lambda: services.enterprise_reject(actor=request.user, enterprise=enterprise, reason=reason),
            f"已退回企业“{enterprise.name}”的注册申请。",
        ):
            return redirect("registry:enterprise_queue")
    else:
        messages.error(request, "请填写不予确认的原因。")
    return redirect("registry:enterprise_detail", pk=enterprise.pk)


@login_required
def qualification_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(actor=request.user, pk=pk)
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.qualification_create(
                actor=request.user, enterprise=enterprise, data=form_data(form)
            ),
        )
        if done is not None:
            messages.success(request, "资质已添加。")
            return redirect("registry:enterprise_detail", pk=enterprise.pk)
    back = reverse("registry:enterprise_detail", args=[enterprise.pk])
    return _form_page(request, form, title=f"添加资质：{enterprise.name}", back=back)


@login_required
def qualification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    q = selectors.qualification_get(actor=request.user, pk=pk)
    form = QualificationForm(request.POST or None, request.FILES or None, instance=q)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.qualification_update(actor=request.user, qualification=q, data=form_data(form)),
        )
        if done is not None:
            messages.success(request, "资质已保存。")
            return redirect("registry:enterprise_detail", pk=q.enterprise_id)
    back = reverse("registry:enterprise_detail", args=[q.enterprise_id])
    return _form_page(request, form, title=f"修改资质：{q}", back=back)
