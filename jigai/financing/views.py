"""The financing pages (thin: read by the selectors, change by the services, errors by run_for_page).

Role pages: 白名单推荐 (city), 白名单审核 (province), 融资白名单 (government reading), 融资需求 (the bank
portal), 信息授权 and 查阅记录 (enterprise), 融资对接活动, 融资成果, 融资统计. A bank user reaches only the
portal pages; every portal view and export is written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can
from jigai.core.errors import AccessDenied, run_for_page
from jigai.regions.models import Region, RegionLevel
from jigai.registry.paging import DeferredJoinPaginator

from . import exports, forms, selectors, services
from .models import EntryStatus, FinancingKind, OutcomeStage, OutcomeStatus

PAGE_SIZE = 20


def _require(request: HttpRequest, *perms: str) -> None:
    if not any(can(request.user, p) for p in perms):
        raise AccessDenied("您的角色无权访问此页面。")


def _page(request: HttpRequest, qs: Any, paginator: type[Paginator] = Paginator) -> Any:
    return paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def _run(request: HttpRequest, form: Any, fn: Callable[[], Any], success: str = "") -> Any:
    return run_for_page(request, fn, form=form, success=success)


def _filters(request: HttpRequest, *names: str) -> dict[str, str]:
    return {n: request.GET.get(n, "").strip() for n in names}


def _cities() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.CITY).order_by("code"))


# ------------------------------------------------------------------------------------------------ whitelist


WHITELIST_FILTERS = ("status", "kind", "city", "batch", "q")


@login_required
def whitelist_list(request: HttpRequest) -> HttpResponse:
    """融资白名单: the entries of the actor's region, every state, with filters."""
    _require(request, "whitelist.view")
    filters = _filters(request, *WHITELIST_FILTERS)
    qs = selectors.whitelist_list(actor=request.user, filters=filters)
    context = {
        "page": _page(request, qs, DeferredJoinPaginator),
        "query": _query(request),
        "filters": filters,
        "statuses": EntryStatus.choices,
        "kinds": FinancingKind.choices,
        "cities": _cities(),
        "batches": selectors.batches(actor=request.user),
    }
    return render(request, "financing/whitelist_list.html", context)


@login_required
def whitelist_export(request: HttpRequest) -> FileResponse:
    _require(request, "whitelist.view")
    filters = _filters(request, *WHITELIST_FILTERS)
    return exports.whitelist_xlsx(selectors.whitelist_list(actor=request.user, filters=filters).iterator())


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """白名单推荐 (city): choose a project of the city's library and the financing it needs."""
    _require(request, "whitelist.propose")
    projects = list(selectors.proposable_projects(actor=request.user)[:500])
    form = forms.ProposeForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        entry = _run(
            request,
            form,
            lambda: services.whitelist_propose(
                actor=request.user,
                project=cd["project"],
                amount=cd["amount"],
                term_months=cd["term_months"],
                kind=cd["kind"],
                purpose=cd["purpose"],
            ),
            success="已推荐，等待省工信厅审核。",
        )
        if entry:
            return redirect("financing:propose")
    mine = selectors.whitelist_list(actor=request.user).exclude(status=EntryStatus.REMOVED)
    context = {"form": form, "page": _page(request, mine), "query": _query(request)}
    return render(request, "financing/propose.html", context)


@login_required
def whitelist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "whitelist.view")
    screen = selectors.whitelist_screen(actor=request.user, pk=pk)
    need_form = None
    if screen.can_edit:
        e = screen.entry
        initial = {"amount": e.amount, "term_months": e.term_months, "kind": e.kind, "purpose": e.purpose}
        need_form = forms.NeedForm(request.POST or None, initial=initial)
        if request.method == "POST" and need_form.is_valid():
            cd = need_form.cleaned_data
            if _run(
                request,
                need_form,
                lambda: services.whitelist_update(actor=request.user, entry=e, **cd),
                success="已修改融资需求，可重新推荐。",
            ):
                return redirect("financing:whitelist_detail", pk=pk)
    return render(request, "financing/whitelist_detail.html", {"s": screen, "need_form": need_form})


@login_required
@require_POST
def whitelist_move(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "whitelist.manage", "whitelist.propose")
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        _run(
            request,
            None,
            lambda: services.whitelist_move(
                actor=request.user, entry=pk, action=cd["action"], comment=cd["comment"]
            ),
            success="已办理。",
        )
    back = request.POST.get("next") or ""
    if back.startswith("/financing/") and "//" not in back:  # back to the review page it came from
        return redirect(back)
    return redirect("financing:whitelist_detail", pk=pk)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """白名单审核 (province): approve or return proposals, publish the approved ones as a dated batch."""
    _require(request, "whitelist.manage")
    publish_form = forms.PublishForm(request.POST or None, initial={"published_on": timezone.localdate()})
    if request.method == "POST" and publish_form.is_valid():
        batch = _run(
            request,
            publish_form,
            lambda: services.whitelist_publish(
                actor=request.user, published_on=publish_form.cleaned_data["published_on"]
            ),
        )
        if batch:
            from django.contrib import messages

            messages.success(request, f"已发布{batch}，共 {batch.entries.count()} 个项目。")
            return redirect("financing:review")
    queue = selectors.review_queue(actor=request.user)
    context = {
        "proposed": list(queue.filter(status=EntryStatus.PROPOSED)),
        "approved": list(queue.filter(status=EntryStatus.APPROVED)),
        "publish_form": publish_form,
        "batches": selectors.batches(actor=request.user)[:20],
    }
    return render(request, "financing/review.html", context)


# ------------------------------------------------------------------------------------------------ bank portal


BANK_FILTERS = ("kind", "city", "q")


@login_required
def bank_list(request: HttpRequest) -> HttpResponse:
    """融资需求 (bank portal): the published whitelist; each project shown is recorded as looked at."""
    _require(request, "whitelist.portal")
    filters = _filters(request, *BANK_FILTERS)
    page = _page(request, selectors.bank_projects(actor=request.user, filters=filters), DeferredJoinPaginator)
    services.bank_access_record(actor=request.user, entries=list(page), action="view", comment="融资需求列表")
    context = {
        "page": page,
        "query": _query(request),
        "filters": filters,
        "kinds": FinancingKind.choices,
        "cities": _cities(),
        "institution": selectors.institution_for(request.user),
    }
    return render(request, "financing/bank_list.html", context)


@login_required
def bank_export(request: HttpRequest) -> FileResponse:
    _require(request, "whitelist.portal")
    filters = _filters(request, *BANK_FILTERS)
    entries = list(selectors.bank_projects(actor=request.user, filters=filters)[:5000])
    projects = [selectors.bank_project(actor=request.user, pk=e.pk) for e in entries]
    services.bank_access_record(actor=request.user, entries=entries, action="export", comment="导出融资需求")
    return exports.bank_xlsx(projects)


@login_required
def bank_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published project with only the sections its enterprise consented to; the bank records an
    outcome (intention, credit approval, disbursement) here."""
    _require(request, "whitelist.portal")
    bp = selectors.bank_project(actor=request.user, pk=pk)
    events = selectors.event_list(actor=request.user)
    form = forms.OutcomeForm(request.POST or None, events=events, initial={"on_date": timezone.localdate()})
    if request.method == "POST":
        _require(request, "financing.record")
        if form.is_valid():
            cd = form.cleaned_data
            if _run(
                request,
                form,
                lambda: services.outcome_record(actor=request.user, entry=bp.entry, **cd),
                success="已录入，等待项目所在市工信部门确认。",
            ):
                return redirect("financing:bank_detail", pk=pk)
    else:
        services.bank_access_record(
            actor=request.user, entries=[bp.entry], action="view", comment="查看项目详情"
        )
    return render(request, "financing/bank_detail.html", {"bp": bp, "form": form})


# ------------------------------------------------------------------------------------------------ consent


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    """信息授权 (enterprise): what institutions may see of its whitelisted projects; history below."""
    _require(request, "consent.manage")
    form = forms.ConsentForm(request.POST or None, institutions=selectors.institutions(actor=request.user))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        if _run(
            request,
            form,
            lambda: services.consent_set(
                actor=request.user, institution=cd["institution"], fields=cd["fields"]
            ),
            success="授权已生效。",
        ):
            return redirect("financing:consent")
    history = selectors.consent_history(actor=request.user)
    entries = selectors.whitelist_list(actor=request.user)
    context = {
        "form": form,
        "live": [c for c in history if c.is_active],
        "page": _page(request, history),
        "query": _query(request),
        "entries": entries,
    }
    return render(request, "financing/consent.html", context)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "consent.manage")
    _run(
        request,
        None,
        lambda: services.consent_withdraw(actor=request.user, consent=pk),
        success="授权已撤回，即时生效。",
    )
    return redirect("financing:consent")


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """查阅记录 (enterprise): who of which institution looked at or exported its projects, when."""
    _require(request, "consent.manage")
    filters = _filters(request, "action")
    page = _page(request, selectors.access_log(actor=request.user, filters=filters))
    context = {
        "page": page,
        "rows": selectors.access_rows(page),
        "filters": filters,
        "query": _query(request),
    }
    return render(request, "financing/access_log.html", context)


@login_required
def access_log_export(request: HttpRequest) -> FileResponse:
    _require(request, "consent.manage")
    events = selectors.access_log(actor=request.user, filters=_filters(request, "action"))[:50000]
    return exports.access_xlsx(selectors.access_rows(events))


# ------------------------------------------------------------------------------------------------ events


EVENT_PERMS = ("event.manage", "event.join")


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    _require(request, *EVENT_PERMS)
    context = {
        "page": _page(request, selectors.event_list(actor=request.user)),
        "query": _query(request),
        "can_manage": can(request.user, "event.manage"),
    }
    return render(request, "financing/event_list.html", context)


@login_required
def event_export(request: HttpRequest) -> FileResponse:
    _require(request, *EVENT_PERMS)
    return exports.events_xlsx(selectors.event_list(actor=request.user).iterator())


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    _require(request, "event.manage")
    entries = selectors.whitelist_list(actor=request.user, filters={"status": EntryStatus.PUBLISHED})[:300]
    form = forms.EventForm(
        request.POST or None,
        cities=[] if request.user.role == "city" else _cities(),
        institutions=selectors.institutions(actor=request.user),
        entries=entries,
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        event = _run(
            request, form, lambda: services.event_create(actor=request.user, **cd), success="活动已创建。"
        )
        if event:
            return redirect("financing:event_detail", pk=event.pk)
    return render(request, "financing/event_form.html", {"form": form})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, *EVENT_PERMS)
    screen = selectors.event_screen(actor=request.user, pk=pk)
    if request.method == "POST":
        _require(request, "event.manage")
        institutions = [int(v) for v in request.POST.getlist("institutions") if v.isdigit()]
        entries = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
        if _run(
            request,
            None,
            lambda: services.event_attendance(
                actor=request.user, event=pk, institutions=institutions, entries=entries
            ),
            success="出席情况已登记。",
        ):
            return redirect("financing:event_detail", pk=pk)
    return render(request, "financing/event_detail.html", {"s": screen})


# ------------------------------------------------------------------------------------------------ outcomes


OUTCOME_PERMS = ("financing.record", "financing.confirm", "whitelist.view")
OUTCOME_FILTERS = ("status", "stage", "q")


@login_required
def outcome_list(request: HttpRequest) -> HttpResponse:
    """融资成果: the bank's own entries, the city's to confirm, the province's whole list."""
    _require(request, *OUTCOME_PERMS)
    filters = _filters(request, *OUTCOME_FILTERS)
    context = {
        "page": _page(request, selectors.outcome_list(actor=request.user, filters=filters)),
        "query": _query(request),
        "filters": filters,
        "statuses": OutcomeStatus.choices,
        "stages": OutcomeStage.choices,
        "may_check": can(request.user, "financing.confirm"),
        "entered": OutcomeStatus.ENTERED,
    }
    return render(request, "financing/outcome_list.html", context)


@login_required
def outcome_export(request: HttpRequest) -> FileResponse:
    _require(request, *OUTCOME_PERMS)
    filters = _filters(request, *OUTCOME_FILTERS)
    return exports.outcomes_xlsx(selectors.outcome_list(actor=request.user, filters=filters).iterator())


@login_required
@require_POST
def outcome_check(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "financing.confirm")
    form = forms.CheckForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        _run(
            request,
            None,
            lambda: services.outcome_check(
                actor=request.user, outcome=pk, confirm=cd["decision"] == "confirm", comment=cd["comment"]
            ),
            success="已确认，计入融资统计。" if cd["decision"] == "confirm" else "已退回。",
        )
    return redirect("financing:outcome_list")


# ------------------------------------------------------------------------------------------------ figures


GROUP_LABELS = {"city": "按市", "institution": "按金融机构", "programme": "按融资方式", "month": "按月份"}


def _stats_args(request: HttpRequest) -> tuple[int, str]:
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today.year
    group = request.GET.get("group", "city")
    return year, group if group in GROUP_LABELS else "city"


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """融资统计: needed, approved, disbursed (confirmed only) by city, institution, programme or month."""
    _require(request, "dashboard.view")
    year, group = _stats_args(request)
    rows = selectors.financing_figures(request.user, year=year, group_by=group)
    context = {
        "rows": rows,
        "total": selectors.figures_total(rows),
        "year": year,
        "group": group,
        "groups": GROUP_LABELS.items(),
        "years": selectors.stats_years(today=timezone.localdate()),
        "chart": {
            "labels": [r["label"] for r in rows],
            "needed": [float((r["needed"] or 0) / 10000) for r in rows],
            "approved": [float(r["approved"] / 10000) for r in rows],
            "disbursed": [float(r["disbursed"] / 10000) for r in rows],
        },
    }
    return render(request, "financing/stats.html", context)


@login_required
def stats_export(request: HttpRequest) -> FileResponse:
    _require(request, "dashboard.view")
    year, group = _stats_args(request)
    rows = selectors.financing_figures(request.user, year=year, group_by=group)
    rows.append(selectors.figures_total(rows))
    return exports.figures_xlsx(rows, f"融资统计-{year}-{GROUP_LABELS[group]}")
