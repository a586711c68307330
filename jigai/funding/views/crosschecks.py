"""Pages of the rules across applications: the register of other provincial funds' awards (province keeps
it, county and city read their region) and clearing a duplicate-claim flag (reviewers)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from jigai.accounts.permissions import can
from jigai.accounts.scope import get_scoped_or_404

from ..models import FingerprintFlag, OtherFundAward
from ..services import other_funds, programme
from ._helpers import _page, _query, _require_page, _run

__all__ = ["fingerprint_flag_clear", "other_fund_delete", "other_fund_list"]


class OtherFundAwardForm(forms.Form):
    fund_name = forms.CharField(label="资金名称", max_length=200)
    year = forms.CharField(label="安排年度", max_length=4)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    enterprise_name = forms.CharField(label="企业名称", max_length=200)
    project_name = forms.CharField(label="项目名称", max_length=200)
    amount = forms.CharField(label="安排金额（元）", max_length=20)
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@require_http_methods(["GET", "POST"])
def other_fund_list(request: HttpRequest) -> HttpResponse:
    _require_page(request, "otherfund.view")
    may_manage = can(request.user, "otherfund.manage")
    form = OtherFundAwardForm(request.POST or None)
    if request.method == "POST":
        _require_page(request, "otherfund.manage")
        if form.is_valid() and _run(
            request,
            form,
            lambda: other_funds.other_fund_award_create(actor=request.user, data=form.cleaned_data),
            success="已登记其他省级专项资金支持记录。",
        ):
            return redirect("funding:other_fund_list")
    rows = OtherFundAward.objects.restrict(request.user, "view").select_related("enterprise")
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = rows.filter(
            Q(uscc__icontains=q) | Q(enterprise_name__icontains=q) | Q(project_name__icontains=q)
        )
    year = (request.GET.get("year") or "").strip()
    if year.isdigit():
        rows = rows.filter(year=int(year))
    context = {
        "page": _page(request, rows.order_by("-year", "uscc", "pk")),
        "query": _query(request),
        "q": q,
        "year": year,
        "form": form if may_manage else None,
        "may_manage": may_manage,
    }
    return render(request, "funding/other_fund_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def other_fund_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "otherfund.manage")
    award = get_scoped_or_404(OtherFundAward, request.user, "change", pk=pk)
    _run(
        request,
        None,
        lambda: other_funds.other_fund_award_delete(
            actor=request.user, award=award, reason=request.POST.get("reason", "")
        ),
        success="已删除该记录。",
    )
    return redirect("funding:other_fund_list")


@login_required
@require_POST
def fingerprint_flag_clear(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_scoped_or_404(FingerprintFlag, request.user, "change", pk=pk)
    _run(
        request,
        None,
        lambda: programme.fingerprint_flag_clear(
            actor=request.user, flag=flag, reason=request.POST.get("reason", "")
        ),
        success="已核查排除该疑点。",
    )
    return redirect("funding:application_detail", pk=flag.application_id)
