"""政策匹配 (the enterprise) and 应享未享 (the county) pages (issue 13). Thin: funding/matching/services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, require
from jigai.core.errors import run_for_page

from ..calc import item_label, reason_label
from ..matching import services as matching
from ..models import Match, MatchStatus, ProactiveAward, ProactiveStatus

__all__ = [
    "match_county_confirm",
    "match_decline",
    "match_export",
    "match_list",
    "match_notify",
    "match_proactive_confirm",
    "match_refresh",
    "match_region",
    "match_start",
]


@login_required
def match_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "enterprise.edit_own")
    guideline = matching.open_guideline()
    matches = (
        list(
            Match.objects.restrict(request.user, "view")
            .filter(guideline=guideline)
            .select_related("proactive_award")
            .order_by("status", "-ceiling")
        )
        if guideline
        else []
    )
    for m in matches:
        m.item_name = item_label(m.item)
        m.reason_text = "、".join(reason_label(r) for r in m.reasons)
    context = {
        "guideline": guideline,
        "eligible": [m for m in matches if m.status == MatchStatus.ELIGIBLE and not m.proactive],
        "proactive": [m for m in matches if m.status == MatchStatus.ELIGIBLE and m.proactive],
        "missing": [m for m in matches if m.status == MatchStatus.MISSING],
        "other": [m for m in matches if m.status == MatchStatus.NOT_ELIGIBLE],
        "notify": matching.wants_notices(request.user.enterprise),
        "enterprise_name": request.user.enterprise.name,
    }
    return render(request, "funding/match_list.html", context)


@login_required
@require_POST
def match_refresh(request: HttpRequest) -> HttpResponse:
    require(request.user, "enterprise.edit_own")
    matching.refresh_enterprise(request.user.enterprise)
    return redirect("funding:match_list")


@login_required
@require_POST
def match_start(request: HttpRequest, pk: int) -> HttpResponse:
    app = run_for_page(request, lambda: matching.start_application(actor=request.user, match_id=pk))
    if app and app is not True:
        return redirect(reverse("funding:application_edit", args=[app.pk]))
    return redirect("funding:match_list")


@login_required
@require_POST
def match_notify(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("notify") == "1"
    run_for_page(
        request,
        lambda: matching.set_notifications(actor=request.user, notify=on),
        success="已开启政策匹配提醒。" if on else "已关闭政策匹配提醒。",
    )
    return redirect("funding:match_list")


@login_required
@require_POST
def match_proactive_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run_for_page(
        request,
        lambda: matching.proactive_confirm_enterprise(
            actor=request.user,
            award_id=pk,
            payee_name=request.POST.get("payee_name", ""),
            bank_name=request.POST.get("bank_name", ""),
            bank_account=request.POST.get("bank_account", ""),
        ),
        success="已确认，等待县级工信部门确认后纳入本轮评审。",
    )
    return redirect("funding:match_list")


@login_required
@require_POST
def match_decline(request: HttpRequest, pk: int) -> HttpResponse:
    run_for_page(
        request, lambda: matching.proactive_decline(actor=request.user, award_id=pk), success="已放弃。"
    )
    return redirect("funding:match_list")


@login_required
def match_region(request: HttpRequest) -> HttpResponse:
    require(request.user, "match.view_region")
    rows = matching.not_applied(request.user)
    pending = (
        ProactiveAward.objects.restrict(request.user, "view")
        .filter(status=ProactiveStatus.ENTERPRISE_CONFIRMED)
        .select_related("match__enterprise")
    )
    awards = list(pending)
    for a in awards:
        a.item_name = item_label(a.match.item)
    return render(
        request,
        "funding/match_region.html",
        {
            "rows": rows,
            "awards": awards,
            "guideline": matching.open_guideline(),
            "can_confirm": can(request.user, "match.confirm_county"),
        },
    )


@login_required
@require_POST
def match_county_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run_for_page(
        request,
        lambda: matching.proactive_confirm_county(
            actor=request.user, award_id=pk, comment=request.POST.get("comment", "")
        ),
        success="已确认，该免申即享事项已纳入本轮评审（视同县级初审通过）。",
    )
    return redirect("funding:match_region")


@login_required
def match_export(request: HttpRequest) -> HttpResponse:
    from jigai.core.excel.spec import MONEY, Column, Spec
    from jigai.core.excel.writing import export_rows

    require(request.user, "match.view_region")
    spec = Spec(
        title="应享未享企业",
        columns=[
            Column("name", "企业名称"),
            Column("uscc", "统一社会信用代码"),
            Column("region", "所在地"),
            Column("items", "符合的事项"),
            Column("ceiling", "最高测算上限（元）", MONEY),
            Column("contact", "联系人"),
            Column("phone", "联系电话"),
        ],
    )
    rows = [
        {
            "name": r["enterprise"].name,
            "uscc": r["enterprise"].uscc,
            "region": r["enterprise"].region.name,
            "items": "、".join(r["items"]),
            "ceiling": r["ceiling"],
            "contact": r["enterprise"].contact_person,
            "phone": r["enterprise"].contact_phone,
        }
        for r in matching.not_applied(request.user)
    ]
    return export_rows(spec, rows)
