"""Finance: entering and confirming payments (maker-checker), the payee's account and the bank's receipt
(回单), the plan's totals and its Excel export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet, Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jigai.core.excel import DATE, MONEY, TEXT, Column, Spec, export_rows

from .. import forms, screens, selectors, services
from ..models import Payment, PaymentStage, PaymentStatus
from ..payment_forms import PaymentConfirmForm, PaymentEntryForm
from ..services.payments import enter_refusal, payee_defaults
from ._helpers import _page, _query, _require_page, _run

__all__ = ["payment_confirm", "payment_enter", "payment_export", "payment_list"]

ZERO = Decimal("0")

PAYMENT_SPEC = Spec(
    "资金拨付",
    [
        Column("tracking_no", "申报编号", TEXT, width=22),
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("stage", "拨付阶段", TEXT, width=24),
        Column("planned", "计划拨付（元）", MONEY),
        Column("paid", "已拨付（元）", MONEY),
        Column("paid_on", "拨付日期", DATE),
        Column("voucher_no", "凭证号", TEXT, width=22),
        Column("payee_name", "收款单位", TEXT, width=30),
        Column("payee_bank", "开户银行", TEXT, width=26),
        Column("payee_account", "银行账号", TEXT, width=26),
        Column("status", "状态", TEXT, width=14),
    ],
)


def _filters(request: HttpRequest) -> dict[str, str]:
    return {"state": request.GET.get("state", "unpaid"), "q": request.GET.get("q", "")}


def _totals(stages: QuerySet[PaymentStage]) -> dict[str, Decimal]:
    """The money columns summed over the whole filtered set (not only the page shown)."""
    ids = stages.order_by().values("pk")
    planned = PaymentStage.objects.filter(pk__in=ids).aggregate(s=Sum("planned_amount"))["s"] or ZERO
    by_status = {
        row["status"]: row["s"] or ZERO
        for row in Payment.objects.filter(stage__in=ids).values("status").annotate(s=Sum("amount")).order_by()
    }
    return {
        "planned": planned,
        "paid": by_status.get(PaymentStatus.CONFIRMED, ZERO),
        "entered": by_status.get(PaymentStatus.ENTERED, ZERO),
    }


@login_required
def payment_list(request: HttpRequest) -> HttpResponse:
    _require_page(request, "payment.enter", "payment.confirm")
    filters = _filters(request)
    stages = selectors.payment_stages(actor=request.user, filters=filters)
    page = _page(request, stages)
    for row in page:  # 录入拨付 shown disabled with the reason the service would give
        refusal = enter_refusal(row)
        row.enter_blocked = refusal.message if refusal is not None else ""
    context = {
        "page": page,
        "query": _query(request),
        "filters": filters,
        "totals": _totals(stages),
        "to_confirm": screens.payments_to_confirm(actor=request.user),
        "confirm_form": PaymentConfirmForm(),
        "cancel_form": forms.PaymentCancelForm(),
        "confirmed": PaymentStatus.CONFIRMED,
        "entered": PaymentStatus.ENTERED,
    }
    return render(request, "funding/payment_list.html", context)


def _export_rows(stages: QuerySet[PaymentStage]) -> Any:
    for s in stages.iterator(chunk_size=500):
        live = [p for p in s.payments.all() if p.status != PaymentStatus.CANCELLED]
        p = live[-1] if live else None
        yield {
            "tracking_no": s.application.tracking_no,
            "enterprise": s.application.enterprise.name,
            "stage": s.label,
            "planned": s.planned_amount,
            "paid": p.amount if p and p.status == PaymentStatus.CONFIRMED else None,
            "paid_on": p.paid_on if p else None,
            "voucher_no": p.voucher_no if p else "",
            "payee_name": p.payee_name if p else "",
            "payee_bank": p.payee_bank if p else "",
            "payee_account": p.payee_account if p else "",  # finance only: the page is theirs
            "status": p.get_status_display() if p else "未拨付",
        }


@login_required
def payment_export(request: HttpRequest) -> FileResponse:
    """The payment plan as filtered on the list, to Excel (finance only, full account numbers)."""
    _require_page(request, "payment.enter", "payment.confirm")
    stages = selectors.payment_stages(actor=request.user, filters=_filters(request))
    return export_rows(
        PAYMENT_SPEC, _export_rows(stages), filename=f"资金拨付-{timezone.localdate():%Y%m%d}.xlsx"
    )


@login_required
def payment_enter(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "payment.enter")
    stage = selectors.stage_get(actor=request.user, pk=pk)
    # the account the system holds for this payee (an earlier payment, the 免申即享 account), to check
    initial = {"paid_on": timezone.localdate(), "amount": stage.planned_amount, **payee_defaults(stage)}
    form = PaymentEntryForm(request.POST or None, initial=initial)
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
                payee_name=cd["payee_name"],
                payee_bank=cd["payee_bank"],
                payee_account=cd["payee_account"],
            ),
            success="拨付已录入，等待另一位财政人员复核。",
        ):
            return redirect("funding:payment_list")
    refusal = enter_refusal(stage)  # not yet possible: the button disabled with the service's reason
    context = {"stage": stage, "form": form, "enter_blocked": refusal.message if refusal else ""}
    return render(request, "funding/payment_enter.html", context)


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
        receipt = request.FILES.get("receipt")
        _run(
            request,
            None,
            lambda: services.payment_confirm(actor=request.user, payment=payment, receipt=receipt),
            success="拨付已复核确认。" + ("银行回单已保存。" if receipt is not None else ""),
        )
    return redirect("funding:payment_list")
