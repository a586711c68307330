"""The land pages (in the shell, side-menu group 融资与用地). Thin: read through the selectors, change through
the services, errors shown by run_for_page; every list has its Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can
from jigai.accounts.scope import get_scoped_or_404, is_province_level
from jigai.core.errors import AccessDenied, run_for_page

from . import exports, selectors, services
from .forms import CaseRegisterForm, MoveForm, NeedForm, RateForm
from .models import CaseStatus, FeeKind, FeeRate, LandNeed

PAGE_SIZE = 20


def _require(request: HttpRequest, *perms: str) -> None:
    if not any(can(request.user, p) for p in perms):
        raise AccessDenied("您的角色无权访问此页面。")


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def _year(request: HttpRequest) -> int:
    raw = (request.GET.get("year") or "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: (request.GET.get(k) or "").strip() for k in ("status", "region", "year", "q")}


# ---------------------------------------------------------------------------------------------- cases


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    filters = _filters(request)
    cases = selectors.case_list(actor=request.user, filters=filters)
    context = {
        "page": _page(request, cases),
        "query": _query(request),
        "filters": filters,
        "statuses": CaseStatus.choices,
        "may_register": services.may_register(request.user),
    }
    return render(request, "land/case_list.html", context)


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    cases = selectors.case_list(actor=request.user, filters=_filters(request))
    return exports.cases_xlsx(cases.iterator(chunk_size=1000))


@login_required
def case_register(request: HttpRequest) -> HttpResponse:
    if not services.may_register(request.user):  # the county registers (LAND_WORKFLOW)
        raise AccessDenied("零增地项目由县级工信部门登记。")
    projects = selectors.registrable_projects(actor=request.user)
    form = CaseRegisterForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = run_for_page(
            request,
            lambda: services.land_case_register(actor=request.user, project=data["project"], data=data),
            form=form,
            success="已登记零增地项目。",
        )
        if case:
            return redirect("land:case_detail", case.pk)
    return render(request, "land/case_register.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "land.view")
    screen = selectors.case_detail(actor=request.user, pk=pk)
    forms = {m.action: MoveForm(prefix=m.action, initial={"on": timezone.localdate()}) for m in screen.moves}
    return render(
        request, "land/case_detail.html", {"screen": screen, "move_forms": _move_forms(screen, forms)}
    )


def _move_forms(screen: Any, forms: dict[str, MoveForm]) -> list[dict[str, Any]]:
    return [
        {
            "move": m,
            "form": forms[m.action],
            "fields": [forms[m.action][f] for f in screen.move_fields[m.action]],
        }
        for m in screen.moves
    ]


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request, "land.manage", "land.check")
    screen = selectors.case_detail(actor=request.user, pk=pk)
    if action not in services.MOVE_FIELDS:
        raise Http404("没有该操作。")
    form = MoveForm(request.POST, prefix=action)
    if form.is_valid():
        done = run_for_page(
            request,
            lambda: services.land_case_move(
                actor=request.user, case=screen.case, action=action, data=form.cleaned_data
            ),
            form=form,
            success="已办理。",
        )
        if done:
            return redirect("land:case_detail", pk)
    forms = {m.action: MoveForm(prefix=m.action, initial={"on": timezone.localdate()}) for m in screen.moves}
    if action in forms:
        forms[action] = form
    else:  # the move is not (or no longer) the actor's: show why on the page
        from django.contrib import messages

        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    context = {
        "screen": selectors.case_detail(actor=request.user, pk=pk),
        "move_forms": _move_forms(screen, forms),
    }
    return render(request, "land/case_detail.html", context, status=400)


# ---------------------------------------------------------------------------------------------- waivers


@login_required
def waiver(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    year = _year(request)
    figures = selectors.land_figures(request.user, year=year, group_by="city")
    cases = selectors.waiver_cases(actor=request.user, year=year)
    context = {
        "year": year,
        "years": selectors.waiver_years(actor=request.user),
        "figures": figures,
        "totals": selectors.waiver_totals(figures),
        "page": _page(request, cases),
        "query": _query(request),
    }
    return render(request, "land/waiver.html", context)


@login_required
def waiver_export(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    year = _year(request)
    return exports.sums_xlsx(selectors.land_figures(request.user, year=year), year)


@login_required
def waiver_cases_export(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    year = _year(request)
    cases = selectors.waiver_cases(actor=request.user, year=year)
    return exports.cases_xlsx(cases.iterator(chunk_size=1000), title=f"零增地减免明细-{year}")


# ---------------------------------------------------------------------------------------------- priority list


def _priority(request: HttpRequest) -> tuple[str, list[Any]]:
    city = (request.GET.get("city") or "").strip()
    include_met = request.GET.get("met") == "1"
    return city, selectors.priority_list(actor=request.user, city=city, include_met=include_met)


@login_required
def priority(request: HttpRequest) -> HttpResponse:
    _require(request, "land.manage")
    city, rows = _priority(request)
    names = {c.code: c.name for c in selectors.all_cities()}
    context = {
        "city": city,
        "cities": selectors.all_cities() if is_province_level(request.user) else [],
        "met": request.GET.get("met") == "1",
        "rows": [(names.get(r.city_code, r.city_code), r) for r in rows],
        "rule": selectors.PRIORITY_RULE,
        "query": _query(request),
        "today": timezone.localdate(),
    }
    return render(request, "land/priority.html", context)


@login_required
def priority_export(request: HttpRequest) -> HttpResponse:
    _require(request, "land.manage")
    _city, rows = _priority(request)
    return exports.priority_xlsx(rows, {c.code: c.name for c in selectors.all_cities()})


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    _require(request, "land.manage")
    form = NeedForm(request.POST or None, projects=selectors.need_projects(actor=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_for_page(
            request,
            lambda: services.land_need_create(actor=request.user, project=data["project"], data=data),
            form=form,
            success="已登记用地需求。",
        ):
            return redirect("land:priority")
    return render(request, "land/need_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def need_meet(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "land.manage")
    need = get_scoped_or_404(LandNeed, request.user, "view", pk=pk)
    form = MoveForm({"on": request.POST.get("met_on", "")})
    met_on = form.cleaned_data.get("on") if form.is_valid() else None
    run_for_page(
        request,
        lambda: services.land_need_meet(actor=request.user, need=need, met_on=met_on),
        success="已标记用地已保障。",
    )
    return redirect("land:priority")


# ---------------------------------------------------------------------------------------------- rates


@login_required
def rate_list(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    cities = selectors.rate_cities(actor=request.user)
    form = RateForm(request.POST or None, cities=cities) if cities else None
    if request.method == "POST":
        _require(request, "land.rates")
        if form is not None and form.is_valid():
            if run_for_page(
                request,
                lambda: services.fee_rate_create(actor=request.user, data=form.cleaned_data),
                form=form,
                success="已录入收费标准。",
            ):
                return redirect("land:rate_list")
    filters = {k: (request.GET.get(k) or "").strip() for k in ("city", "kind")}
    rates = selectors.rate_list(actor=request.user, filters=filters)
    context = {
        "in_force": selectors.rates_in_force(actor=request.user),
        "page": _page(request, rates),
        "query": _query(request),
        "filters": filters,
        "all_cities": selectors.all_cities(),
        "kinds": FeeKind.choices,
        "form": form,
        "may_delete": {c.code for c in cities},
    }
    return render(
        request, "land/rate_list.html", context, status=400 if form is not None and form.errors else 200
    )


@login_required
def rate_export(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    filters = {k: (request.GET.get(k) or "").strip() for k in ("city", "kind")}
    return exports.rates_xlsx(
        selectors.rate_list(actor=request.user, filters=filters).iterator(chunk_size=1000)
    )


@login_required
@require_POST
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "land.rates")
    rate = get_scoped_or_404(FeeRate, request.user, "change", pk=pk)
    run_for_page(
        request,
        lambda: services.fee_rate_delete(
            actor=request.user, rate=rate, reason=request.POST.get("reason", "")
        ),
        success="已删除该收费标准。",
    )
    return redirect("land:rate_list")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request, "land.view")
    return redirect("land:case_list")
