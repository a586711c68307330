"""Finance: entering and confirming payments (maker-checker)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import forms, screens, selectors, services
from ..models import PaymentStatus
from ._helpers import _page, _query, _require_page, _run


@login_required
def payment_list(request: HttpRequest) -> HttpResponse:
    _require_page(request, "payment.enter", "payment.confirm")
    filters = {"state": request.GET.get("state", "unpaid"), "q": request.GET.get("q", "")}
    stages = selectors.payment_stages(actor=request.user, filters=filters)
    context = {
        "page": _page(request, stages),
        "query": _query(request),
        "filters": filters,
        "to_confirm": screens.payments_to_confirm(actor=request.user),
        "enter_form": forms.PaymentEnterForm(initial={"paid_on": timezone.localdate()}),
        "cancel_form": forms.PaymentCancelForm(),
        "confirmed": PaymentStatus.CONFIRMED,
        "entered": PaymentStatus.ENTERED,
    }
    return render(request, "funding/payment_list.html", context)


@login_required
def payment_enter(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "payment.enter")
    stage = selectors.stage_get(actor=request.user, pk=pk)
    form = forms.PaymentEnterForm(
        request.POST or None, initial={"paid_on": timezone.localdate(), "amount": stage.planned_amount}
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        if _run(
            request,
            form,
            lambda: services.payment_enter(
                actor=request.user,
                stage=stage,
                paid_on=cd["paid_on"],
                amount=cd["amount"],
                voucher_no=cd["voucher_no"],
            ),
            success="拨付已录入，等待另一位财政人员复核。",
        ):
            return redirect("funding:payment_list")
    return render(request, "funding/payment_enter.html", {"stage": stage, "form": form})


@login_required
@require_POST
def payment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "payment.confirm")
    payment = selectors.payment_get(actor=request.user, pk=pk)
    if request.POST.get("step") == "cancel":
        form = forms.PaymentCancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        _run(
            request,
            None,
            lambda: services.payment_cancel(actor=request.user, payment=payment, reason=reason),
            success="拨付记录已作废。",
        )
    else:
        _run(
            request,
            None,
            lambda: services.payment_confirm(actor=request.user, payment=payment),
            success="拨付已复核确认。",
        )
    return redirect("funding:payment_list")
