"""Pages of the registry. Thin: read through the selectors (scoped: out-of-scope ids answer 404), change
through the services, and put a DomainError back on the form field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role
from jigai.audit.selectors import audit_history
from jigai.core.errors import AccessDenied, DomainError, add_to_form

from . import selectors, services
from .facts import items_for
from .filters import EnterpriseFilterForm, ObjectFilterForm, ProjectFilterForm
from .forms import (
    AssessmentForm,
    ConstructionForm,
    EnterpriseForm,
    InsurancePolicyForm,
    InvoiceForm,
    PeriodForm,
    PlatformForm,
    ProductForm,
    ProgressForm,
    ProjectForm,
    QualificationForm,
    ReasonForm,
    RecognitionForm,
    RegistrationForm,
    TitleForm,
    TransitionForm,
)
from .industry import industry_label
from .models import (
    Enterprise,
    EnterpriseStatus,
    InsurancePeriod,
    InsurancePolicy,
    LibraryStatus,
    PlatformAssessment,
    PlatformKind,
    ProductKind,
    ProductRecognition,
    Qualification,
    SalesInvoice,
    TitleKind,
)
from .selectors_qualifications import in_henan_panel, qualification_table
from .services.projects import ACTION_LABELS, project_cumulative

PAGE_SIZE = 20


# ---------------------------------------------------------------------------------------------- helpers


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def _own_enterprise(request: HttpRequest) -> Enterprise:
    """The signed-in enterprise user's enterprise (re-read through the scope gate)."""
    user = request.user
    if getattr(user, "role", None) != Role.ENTERPRISE or not user.enterprise_id:
        raise AccessDenied("只有企业用户可以填报本企业的信息。")
    return selectors.enterprise_get(actor=user, pk=user.enterprise_id)


def _is_editor(user: Any, enterprise: Enterprise) -> bool:
    """Show edit links: the enterprise's own user, or a reviewer (scope already checked by the read)."""
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk and enterprise.status == EnterpriseStatus.CONFIRMED
    return can(user, "enterprise.manage")


def form_data(form: forms.BaseForm, names: tuple[str, ...] | list[str] | None = None) -> dict[str, Any]:
    """cleaned_data for the service. A file field is passed only when a new file was uploaded (or the
    clear box ticked), so editing other fields keeps the stored file."""
    data = {}
    for name in names or form.cleaned_data.keys():
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if isinstance(form.fields[name], forms.FileField):
            if value is False:
                value = ""
            elif not isinstance(value, UploadedFile):
                continue
        data[name] = value
    return data


def _attempt(form: forms.BaseForm, action: Callable[[], Any]) -> Any:
    """Run a service; on a domain error put it on the form and return None."""
    try:
        return action()
    except AccessDenied:
        raise
    except DomainError as e:
        add_to_form(form, e)
        return None


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back: str,
    submit: str = "保存",
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    multipart = any(isinstance(f, forms.FileField) for f in form.fields.values())
    ctx = {
        "form": form,
        "title": title,
        "back": back,
        "submit": submit,
        "intro": intro,
        "multipart": multipart,
    }
    return render(request, "registry/form.html", ctx, status=400 if form.errors else status)


def _post_action(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    try:
        action()
    except AccessDenied:
        raise
    except DomainError as e:
        messages.error(request, e.message)
        return False
    messages.success(request, done)
    return True


# ---------------------------------------------------------------------------------------------- portal


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """企业门户 for enterprise users; for reviewers their work queues with counts."""
    user = request.user
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        enterprise = _own_enterprise(request)
        ctx = {
            "enterprise": enterprise,
            "industry": industry_label(enterprise.industry_section, enterprise.industry_division),
            "projects": selectors.project_list(actor=user, filters={"enterprise": enterprise.pk})[:10],
            "missing": selectors.projects_missing_statistics(actor=user),
            "counts": {
                "products": selectors.product_list(actor=user).count(),
                "platforms": selectors.platform_list(actor=user).count(),
                "titles": selectors.title_list(actor=user).count(),
            },
        }
        return render(request, "registry/portal_enterprise.html", ctx)
    ctx = {
        "to_confirm": selectors.enterprises_to_confirm(actor=user).count()
        if can(user, "enterprise.confirm")
        else None,
        "queue": selectors.project_queue(actor=user).count(),
        "missing": selectors.projects_missing_statistics(actor=user).count(),
        "enterprises": selectors.enterprise_list(actor=user).count(),
        "in_library": selectors.project_list(
            actor=user, filters={"status": LibraryStatus.IN_LIBRARY}
        ).count(),
    }
    return render(request, "registry/portal_reviewer.html", ctx)


# ---------------------------------------------------------------------------------------------- registration


def register(request: HttpRequest) -> HttpResponse:
    """企业自助注册: the enterprise and its account wait for the county's confirmation."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form_data(form)
        data.pop("password2")
        result = _attempt(form, lambda: services.enterprise_register(**data))
        if result is not None:
            enterprise, user = result
            return render(request, "registry/register_done.html", {"enterprise": enterprise, "account": user})
    return render(request, "registry/register.html", {"form": form}, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- enterprises


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.ENTERPRISE:
        return redirect("registry:portal")
    form = EnterpriseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.enterprise_list(actor=request.user, filters=filters))
    ctx = {"form": form, "page": page, "query": _query(request), "title": "企业库"}
    return render(request, "registry/enterprise_list.html", ctx)


@login_required
def enterprise_queue(request: HttpRequest) -> HttpResponse:
    """The county's work queue 待确认企业."""
    if not can(request.user, "enterprise.confirm"):
        raise AccessDenied("只有县级工信部门可以确认企业注册。")
    form = EnterpriseFilterForm(request.GET or None, queue=True)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.enterprises_to_confirm(actor=request.user)
    if filters.get("q"):
        qs = selectors.enterprise_list(actor=request.user, filters={**filters, "status": "pending"})
    page = _page(request, qs)
    ctx = {"form": form, "page": page, "query": _query(request), "title": "待确认企业", "queue": True}
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
    form = EnterpriseForm(request.POST or None, initial=EnterpriseForm.initial_from(enterprise), gov=gov)
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


# ------------------------------------------------------------------------------------------ qualifications


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


# ---------------------------------------------------------------------------------------------- projects


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
    user = request.user
    project = selectors.project_get(actor=user, pk=pk)
    moves = services.allowed_transitions(actor=user, project=project)
    is_owner = user.role == Role.ENTERPRISE and user.enterprise_id == project.enterprise_id
    ctx = {
        "project": project,
        "moves": [(m, ACTION_LABELS[m]) for m in moves],
        "transition_form": TransitionForm(),
        "flow": project.events.select_related("actor").order_by("created_at", "pk"),
        "progress": selectors.progress_with_cumulative(project=project),
        "cumulative": project_cumulative(project),
        "missing": selectors.is_missing_statistics(project),
        "can_edit": is_owner and project.is_editable,
        "can_report": is_owner and project.library_status == LibraryStatus.IN_LIBRARY,
        "construction_form": ConstructionForm(initial={"construction_status": project.construction_status}),
        "is_owner": is_owner,
        "items": items_for(project),
        "events": audit_history(obj=project),
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
    intro = f"项目总投资 {project.total_investment:,.2f} 元，截至目前累计完成 {done_so_far:,.2f} 元。"
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


# ---------------------------------------------------------------------------------------------- products


def _object_list(
    request: HttpRequest, qs_fn: Callable, template: str, title: str, kinds: Any
) -> HttpResponse:
    form = ObjectFilterForm(request.GET or None, kinds=kinds)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, qs_fn(actor=request.user, filters=filters))
    ctx = {
        "form": form,
        "page": page,
        "query": _query(request),
        "title": title,
        "is_enterprise": request.user.role == Role.ENTERPRISE,
    }
    return render(request, template, ctx)


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    return _object_list(
        request,
        selectors.product_list,
        "registry/product_list.html",
        "首台（套）与首版次产品",
        ProductKind.choices,
    )


def _create_page(
    request: HttpRequest, form_cls: type, create: Callable, title: str, back: str, done: str, detail: str
) -> HttpResponse:
    enterprise = _own_enterprise(request)
    form = form_cls(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        obj = _attempt(form, lambda: create(actor=request.user, enterprise=enterprise, data=form_data(form)))
        if obj is not None:
            messages.success(request, done)
            return redirect(detail, pk=obj.pk)
    return _form_page(request, form, title=title, back=reverse(back))


def _edit_page(
    request: HttpRequest, obj: Any, form_cls: type, update: Callable, kw: str, title: str, detail: str
) -> HttpResponse:
    form = form_cls(request.POST or None, request.FILES or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        done = _attempt(form, lambda: update(actor=request.user, data=form_data(form), **{kw: obj}))
        if done is not None:
            messages.success(request, "已保存。")
            return redirect(detail, pk=obj.pk)
    return _form_page(request, form, title=title, back=reverse(detail, args=[obj.pk]))


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        ProductForm,
        services.product_create,
        "登记首台（套）/首版次产品",
        "registry:product_list",
        "产品已登记。",
        "registry:product_detail",
    )


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(actor=request.user, pk=pk)
    ctx = {
        "product": product,
        "recognitions": product.recognitions.all(),
        "policies": product.insurance_policies.prefetch_related("periods"),
        "invoices": product.invoices.all(),
        "can_edit": _is_editor(request.user, product.enterprise),
        "items": items_for(product),
        "events": audit_history(obj=product),
    }
    return render(request, "registry/product_detail.html", ctx)


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(actor=request.user, pk=pk)
    return _edit_page(
        request,
        product,
        ProductForm,
        services.product_update,
        "product",
        f"修改产品：{product}",
        "registry:product_detail",
    )


def _child_page(
    request: HttpRequest,
    parent: Any,
    form_cls: type,
    create: Callable,
    kw: str,
    title: str,
    detail: str,
    detail_pk: int,
    extra: Callable[[forms.BaseForm], dict] | None = None,
) -> HttpResponse:
    form = form_cls(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = form._meta.fields if hasattr(form, "_meta") else None
        data = form_data(form, fields)
        more = extra(form) if extra else {}
        done = _attempt(form, lambda: create(actor=request.user, data=data, **{kw: parent}, **more))
        if done is not None:
            messages.success(request, "已添加。")
            return redirect(detail, pk=detail_pk)
    return _form_page(request, form, title=title, back=reverse(detail, args=[detail_pk]))


@login_required
def recognition_create(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(actor=request.user, pk=pk)
    return _child_page(
        request,
        product,
        RecognitionForm,
        services.recognition_create,
        "product",
        f"添加认定：{product}",
        "registry:product_detail",
        product.pk,
    )


@login_required
def policy_create(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(actor=request.user, pk=pk)

    def periods(form: forms.BaseForm) -> dict:
        d = form.cleaned_data
        return {"periods": [{"start": d["start"], "months": d["months"], "premium": d["premium"]}]}

    return _child_page(
        request,
        product,
        InsurancePolicyForm,
        services.insurance_policy_create,
        "product",
        f"登记保单：{product}",
        "registry:product_detail",
        product.pk,
        periods,
    )


@login_required
def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.scoped_get(actor=request.user, model=InsurancePolicy, pk=pk)
    return _child_page(
        request,
        policy,
        PeriodForm,
        services.insurance_period_create,
        "policy",
        f"添加保险期间：{policy}",
        "registry:product_detail",
        policy.product_id,
    )


@login_required
def invoice_create(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(actor=request.user, pk=pk)
    return _child_page(
        request,
        product,
        InvoiceForm,
        services.invoice_create,
        "product",
        f"登记销售发票：{product}",
        "registry:product_detail",
        product.pk,
    )


# Child rows that can be deleted from their parent's page: model, service, keyword, parent page.
_DELETABLE = {
    "qualification": (Qualification, services.qualification_delete, "qualification", "enterprise_detail"),
    "recognition": (ProductRecognition, services.recognition_delete, "recognition", "product_detail"),
    "period": (InsurancePeriod, services.insurance_period_delete, "period", "product_detail"),
    "invoice": (SalesInvoice, services.invoice_delete, "invoice", "product_detail"),
    "assessment": (PlatformAssessment, services.assessment_delete, "assessment", "platform_detail"),
}


def _parent_pk(obj: Any) -> int:
    for name in ("enterprise_id", "product_id", "platform_id"):
        if hasattr(obj, name):
            return getattr(obj, name)
    return obj.policy.product_id


@login_required
@require_POST
def child_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in _DELETABLE:
        raise AccessDenied("不能删除该记录。")
    model, delete, kw, page = _DELETABLE[kind]
    obj = selectors.scoped_get(actor=request.user, model=model, pk=pk)
    parent = _parent_pk(obj)
    _post_action(request, lambda: delete(actor=request.user, **{kw: obj}), "已删除。")
    return redirect(f"registry:{page}", pk=parent)


# ---------------------------------------------------------------------------------------------- platforms


@login_required
def platform_list(request: HttpRequest) -> HttpResponse:
    return _object_list(
        request, selectors.platform_list, "registry/platform_list.html", "平台", PlatformKind.choices
    )


@login_required
def platform_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        PlatformForm,
        services.platform_create,
        "登记平台",
        "registry:platform_list",
        "平台已登记。",
        "registry:platform_detail",
    )


@login_required
def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    platform = selectors.platform_get(actor=request.user, pk=pk)
    ctx = {
        "platform": platform,
        "assessments": platform.assessments.all(),
        "can_edit": _is_editor(request.user, platform.enterprise),
        "items": items_for(platform),
        "events": audit_history(obj=platform),
    }
    return render(request, "registry/platform_detail.html", ctx)


@login_required
def platform_edit(request: HttpRequest, pk: int) -> HttpResponse:
    platform = selectors.platform_get(actor=request.user, pk=pk)
    return _edit_page(
        request,
        platform,
        PlatformForm,
        services.platform_update,
        "platform",
        f"修改平台：{platform}",
        "registry:platform_detail",
    )


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    platform = selectors.platform_get(actor=request.user, pk=pk)
    return _child_page(
        request,
        platform,
        AssessmentForm,
        services.assessment_create,
        "platform",
        f"登记年度考核：{platform}",
        "registry:platform_detail",
        platform.pk,
    )


# ---------------------------------------------------------------------------------------------- titles


@login_required
def title_list(request: HttpRequest) -> HttpResponse:
    return _object_list(
        request, selectors.title_list, "registry/title_list.html", "试点示范称号", TitleKind.choices
    )


@login_required
def title_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        TitleForm,
        services.title_create,
        "登记试点示范称号",
        "registry:title_list",
        "称号已登记。",
        "registry:title_detail",
    )


@login_required
def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = selectors.title_get(actor=request.user, pk=pk)
    ctx = {
        "title_obj": title,
        "can_edit": _is_editor(request.user, title.enterprise),
        "items": items_for(title),
        "events": audit_history(obj=title),
    }
    return render(request, "registry/title_detail.html", ctx)


@login_required
def title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    title = selectors.title_get(actor=request.user, pk=pk)
    return _edit_page(
        request,
        title,
        TitleForm,
        services.title_update,
        "title",
        f"修改称号：{title}",
        "registry:title_detail",
    )
