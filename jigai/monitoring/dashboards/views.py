"""Pages of the dashboards, the early-warning list and thresholds, and the year-end review. Thin: the
selectors build the screen objects, the services change the thresholds, the exports write the files."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jigai.accounts.permissions import can
from jigai.core.errors import AccessDenied, run_for_page
from jigai.regions.models import Region

from .. import review as review_mod
from .. import warnings as warning_services
from ..models import Indicator
from ..models.warnings import Level, WarningThreshold
from . import exports, geo, selectors


def _require(request: HttpRequest, perm: str) -> None:
    if not can(request.user, perm):
        raise AccessDenied("您的角色无权访问此页面。")


def _dash(request: HttpRequest, *, with_finance: bool = True) -> selectors.Dashboard:
    g = request.GET
    return selectors.dashboard(
        actor=request.user,
        region_code=(g.get("region") or "").strip() or None,
        year=g.get("year"),
        month=g.get("month"),
        indicator_code=(g.get("indicator") or "").strip(),
        with_finance=with_finance,
    )


@login_required
@require_GET
def dash(request: HttpRequest) -> HttpResponse:
    """The dashboard of the province, a city or a county (drill down by clicking a child)."""
    _require(request, "dashboard.view")
    d = _dash(request)
    query = request.GET.copy()
    query["region"], query["year"], query["month"] = d.region.code, str(d.year), str(d.month)
    if d.indicator:
        query["indicator"] = d.indicator.code
    return render(request, "monitoring/dash_region.html", {"d": d, "query": query.urlencode()})


@login_required
@require_GET
def dash_export(request: HttpRequest) -> HttpResponse:
    """One chart's table as Excel (?chart=progress|ranking|trend|programmes|map, or a 融资与用地 block:
    financing_region|financing_institution|financing_programme|financing_month|land; same filters as the
    page)."""
    _require(request, "dashboard.view")
    chart = request.GET.get("chart") or "progress"
    if chart not in exports.CHARTS:
        raise Http404("没有这个图表。")
    return exports.chart_xlsx(_dash(request, with_finance=chart in exports.FINANCE_CHARTS), chart)


@login_required
@require_GET
def dash_card(request: HttpRequest, chart: str = "ranking") -> HttpResponse:
    """A small chart for the workbench (the cities ranked, or the trend): the actor's dashboard, one chart
    drawn alone, with a link to the whole dashboard."""
    _require(request, "dashboard.view")
    d = _dash(request, with_finance=False)
    if chart == "ranking" and not d.children:
        chart = "progress"
    return render(request, "monitoring/dash_card.html", {"d": d, "chart": chart})


@login_required
@require_GET
def dash_map_geojson(request: HttpRequest) -> HttpResponse:
    """Henan's city boundaries (offline, from node_modules); 404 when not installed (then the page draws the
    tile map)."""
    _require(request, "dashboard.view")
    names = tuple(Region.objects.filter(level="city").values_list("code", "name").order_by("code"))
    data = geo.henan_cities(names)
    if data is None:
        raise Http404("未安装地图边界数据。")
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"
    return response


# ------------------------------------------------------------------------------------------ warnings


def _warning_filters(request: HttpRequest) -> dict[str, str]:
    g = request.GET
    return {k: (g.get(k) or "").strip() for k in ("year", "month", "level", "indicator", "region_level")}


@login_required
@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    """Every city × indicator green/amber/red, and the list of those behind with the gap."""
    _require(request, "dashboard.view")
    filters = _warning_filters(request)
    w = selectors.warning_list(actor=request.user, filters=filters)
    rows = [(r, [w.cell(r, i) for i in w.matrix_indicators]) for r in w.matrix_regions]
    query = request.GET.copy()
    query["year"], query["month"] = str(w.year), str(w.month)
    return render(
        request,
        "monitoring/dash_warnings.html",
        {
            "w": w,
            "rows": rows,
            "filters": filters,
            "levels": Level.choices,
            "query": query.urlencode(),
            "may_manage": can(request.user, "target.manage"),
            "indicators": Indicator.objects.filter(active=True).order_by("sort_order"),
        },
    )


@login_required
@require_GET
def warning_export(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboard.view")
    w = selectors.warning_list(actor=request.user, filters=_warning_filters(request))
    return exports.warnings_xlsx(w)


class ThresholdForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label="指标", queryset=Indicator.objects.none(), required=False, empty_label="默认（所有指标）"
    )
    green_from = forms.DecimalField(
        label="绿色下限（占序时进度）", max_digits=6, decimal_places=3, initial=Decimal("0.95")
    )
    amber_from = forms.DecimalField(
        label="黄色下限（占序时进度）", max_digits=6, decimal_places=3, initial=Decimal("0.85")
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(active=True).order_by("sort_order")


@login_required
@require_http_methods(["GET", "POST"])
def warning_thresholds(request: HttpRequest) -> HttpResponse:
    """The bands of the early warning (data): everyone who sees the warnings reads them, the province sets
    them (the default row and per-indicator overrides)."""
    _require(request, "dashboard.view")
    may_manage = can(request.user, "target.manage")
    form = ThresholdForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        _require(request, "target.manage")
        if request.POST.get("action") == "delete":
            indicator = Indicator.objects.filter(pk=request.POST.get("indicator") or 0).first()
            if indicator is None:
                raise Http404("没有这个指标。")
            if run_for_page(
                request,
                lambda: warning_services.threshold_delete(actor=request.user, indicator=indicator),
                success=f"{indicator.name}已恢复使用默认阈值。",
            ):
                return redirect("monitoring:warning_thresholds")
        elif form.is_valid() and run_for_page(
            request,
            lambda: warning_services.threshold_set(actor=request.user, **form.cleaned_data),
            form=form,
            success="预警阈值已保存，最新月份的预警已按新阈值重新计算。",
        ):
            return redirect("monitoring:warning_thresholds")
    rows = WarningThreshold.objects.select_related("indicator", "updated_by").order_by(
        "indicator__sort_order"
    )
    return render(
        request,
        "monitoring/dash_thresholds.html",
        {"rows": rows, "form": form, "may_manage": may_manage},
    )


# ------------------------------------------------------------------------------------------ review


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """Year-end review: completion per region and indicator, the reference for fiscal rewards (四（三）)."""
    _require(request, "dashboard.view")
    r = review_mod.year_review(actor=request.user, year=request.GET.get("year"))
    rows = [(row, row.cell_list(r.indicators)) for row in r.rows]
    return render(
        request,
        "monitoring/dash_review.html",
        {"r": r, "rows": rows, "cap": int(review_mod.REVIEW_CAP * 100)},
    )


@login_required
@require_GET
def review_xlsx(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboard.view")
    return review_mod.review_xlsx(review_mod.year_review(actor=request.user, year=request.GET.get("year")))


@login_required
@require_GET
def review_pdf(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboard.view")
    return review_mod.review_pdf(review_mod.year_review(actor=request.user, year=request.GET.get("year")))
