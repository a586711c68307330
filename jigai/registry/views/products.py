"""Product pages with their recognitions, insurance policies and periods, invoices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jigai.audit.selectors import audit_history
from jigai.core.errors import AccessDenied

from .. import selectors, services
from ..facts import items_for
from ..forms import (
    InsurancePolicyForm,
    InvoiceForm,
    PeriodForm,
    ProductForm,
    RecognitionForm,
)
from ..models import (
    InsurancePeriod,
    InsurancePolicy,
    PlatformAssessment,
    ProductKind,
    ProductRecognition,
    Qualification,
    SalesInvoice,
)
from ._common import (
    _child_page,
    _create_page,
    _edit_page,
    _is_editor,
    _object_list,
    _post_action,
)


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    return _object_list(
        request,
        selectors.product_list,
        "registry/product_list.html",
        "首台（套）与首版次产品",
        ProductKind.choices,
    )


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
