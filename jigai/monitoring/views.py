"""The monitoring pages (thin: the services decide, the selectors read). Stable element ids for the browser
test: #target-form, #value_<region>, #parent_value, #save-targets, #split-targets, #publish-targets,
#target-sum, #letter-confirm, #letter-change, #entry-form, #value_<indicator>, #note_<indicator>,
#save-entry."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, require
from jigai.accounts.roles import Role
from jigai.core.errors import AccessDenied, run_for_page
from jigai.registry.paging import paginate

from . import selectors
from .computations import COMPUTATIONS
from .forms import (
    CorrectForm,
    EntryForm,
    LetterChangeForm,
    LetterConfirmForm,
    PublishForm,
    ReopenForm,
    TargetGridForm,
    WindowForm,
)
from .models import Indicator, LetterStatus, Programme, Target
from .services import targets as target_svc
from .services import values as value_svc
from .services.common import breakdown_parent, children_for_targets, region_of, within


def _int(request: HttpRequest, name: str, default: int, lo: int, hi: int) -> int:
    try:
        v = int(request.GET.get(name) or request.POST.get(name) or default)
    except ValueError:
        return default
    return v if lo <= v <= hi else default


def _year(request: HttpRequest) -> int:
    return _int(request, "year", timezone.localdate().year, 2000, 2100)


def _last_month() -> tuple[int, int]:
    today = timezone.localdate()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


# ------------------------------------------------------------------------------------------- 指标体系
@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "monitoring.view")
    groups = []
    rows = list(selectors.indicator_list(actor=request.user, active_only=False))
    for value, label in Programme.choices:
        items = [
            {"i": i, "rule": COMPUTATIONS[i.computation].label if i.computation in COMPUTATIONS else ""}
            for i in rows
            if i.programme == value
        ]
        if items:
            groups.append({"label": label, "items": items})
    return render(request, "monitoring/indicators.html", {"groups": groups})


# ------------------------------------------------------------------------------------------- 年度目标
def _target_context(
    request: HttpRequest, year: int, indicator: Indicator, form: Any = None
) -> dict[str, Any]:
    actor = request.user
    may_set = can(actor, "target.manage") or can(actor, "target.city_breakdown")
    ctx: dict[str, Any] = {"year": year, "indicator": indicator, "may_set": may_set}
    ctx["indicators"] = list(
        selectors.indicator_list(actor=actor).exclude(aggregation__in=("ratio", "growth"))
    )
    ctx["own_targets"] = (
        selectors.target_list(actor=actor, year=year, region_code=actor.region_id)
        if actor.region_id
        else None
    )
    if may_set:
        parent = breakdown_parent(actor)
        children = children_for_targets(parent)
        existing = {t.region_id: t for t in Target.objects.filter(year=year, indicator=indicator)}
        if form is None:
            initial: dict[str, Any] = {}
            if parent.pk in existing:
                initial["parent_value"] = existing[parent.pk].value
            for r in children:
                if r.pk in existing:
                    initial[f"value_{r.pk}"] = existing[r.pk].value
                    initial[f"weight_{r.pk}"] = existing[r.pk].weight
            form = TargetGridForm(parent=parent, children=children, indicator=indicator, initial=initial)
        rows = form.rows()
        for row in rows:
            row["target"] = existing.get(row["region"].pk)
        ctx.update(
            parent=parent,
            parent_target=existing.get(parent.pk),
            form=form,
            rows=rows,
            check=target_svc.sum_check(year=year, indicator=indicator, parent=parent),
            drafts=Target.objects.filter(year=year, region__in=children, status="draft").count(),
        )
    return ctx


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not (
        can(actor, "target.manage") or can(actor, "target.city_breakdown") or can(actor, "target.confirm")
    ):
        raise AccessDenied("您的角色无权查看年度目标。")
    year = _year(request)
    code = request.GET.get("indicator") or request.POST.get("indicator") or "sme_cloud"
    indicator = Indicator.objects.filter(code=code, active=True).first() or Indicator.objects.get(
        code="sme_cloud"
    )
    if request.method == "POST":
        parent = breakdown_parent(actor)
        children = children_for_targets(parent)
        form = TargetGridForm(request.POST, parent=parent, children=children, indicator=indicator)
        if form.is_valid():
            done = run_for_page(
                request, lambda: _save_targets(actor, year, indicator, parent, children, form), form=form
            )
            if done:
                messages.success(request, "目标已保存（草稿），核对合计后请下达。")
                return redirect(f"{reverse('monitoring:target_list')}?year={year}&indicator={indicator.code}")
        return render(request, "monitoring/targets.html", _target_context(request, year, indicator, form))
    return render(request, "monitoring/targets.html", _target_context(request, year, indicator))


def _save_targets(
    actor: Any, year: int, indicator: Indicator, parent: Any, children: list, form: Any
) -> bool:
    data = form.cleaned_data
    if data.get("parent_value") is not None and parent.level == "province":
        target_svc.target_set(
            actor=actor, year=year, indicator=indicator, region=parent, value=data["parent_value"]
        )
    if form.data.get("action") == "split":
        weights = {r.pk: data.get(f"weight_{r.pk}") or Decimal(0) for r in children}
        target_svc.target_split(actor=actor, year=year, indicator=indicator, weights=weights)
        return True
    for r in children:
        v = data.get(f"value_{r.pk}")
        if v is not None:
            target_svc.target_set(
                actor=actor,
                year=year,
                indicator=indicator,
                region=r,
                value=v,
                weight=data.get(f"weight_{r.pk}"),
            )
    return True


@login_required
def target_sum(request: HttpRequest) -> HttpResponse:
    """The live sum (htmx, while typing): the children's values as typed against the parent's."""
    actor = request.user
    if not (can(actor, "target.manage") or can(actor, "target.city_breakdown")):
        raise AccessDenied("您的角色无权设定目标。")
    parent = breakdown_parent(actor)
    code = request.POST.get("indicator") or request.GET.get("indicator") or "sme_cloud"
    indicator = Indicator.objects.filter(code=code).first() or Indicator.objects.get(code="sme_cloud")
    src = request.POST if request.method == "POST" else request.GET

    def num(name: str) -> Decimal | None:
        try:
            return Decimal(str(src.get(name, "")).strip()) if str(src.get(name, "")).strip() else None
        except ArithmeticError:
            return None

    total = sum((num(f"value_{r.pk}") or Decimal(0) for r in children_for_targets(parent)), Decimal(0))
    parent_value = num("parent_value")
    if parent_value is None:
        t = Target.objects.filter(year=_year(request), indicator=indicator, region=parent).first()
        parent_value = t.value if t else None
    diff = None if parent_value is None else total - parent_value
    return render(
        request,
        "monitoring/_target_sum.html",
        {
            "total": total,
            "parent_value": parent_value,
            "diff": diff,
            "indicator": indicator,
            "parent": parent,
        },
    )


@login_required
@require_POST
def target_publish(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    letters = run_for_page(request, lambda: target_svc.targets_publish(actor=request.user, year=year))
    if letters:
        messages.success(request, f"已下达 {len(letters)} 个地区的目标责任书。")
    code = request.POST.get("indicator", "")
    return redirect(f"{reverse('monitoring:target_list')}?year={year}&indicator={code}")


# ----------------------------------------------------------------------------------------- 目标责任书
@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not (
        can(actor, "target.manage") or can(actor, "target.city_breakdown") or can(actor, "target.confirm")
    ):
        raise AccessDenied("您的角色无权查看目标责任书。")
    year = _int(request, "year", 0, 2000, 2100) or None
    status = request.GET.get("status") or None
    if status not in dict(LetterStatus.choices):
        status = None
    page = paginate(request, selectors.letter_list(actor=actor, year=year, status=status))
    return render(
        request,
        "monitoring/letters.html",
        {"page": page, "year": year or "", "status": status or "", "statuses": LetterStatus.choices},
    )


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    letter = selectors.letter_get(actor=actor, pk=pk)
    may_sign = (
        can(actor, "target.confirm") and actor.region_id == letter.region_id and letter.status == "pending"
    )
    confirm_form = LetterConfirmForm()
    change_form = LetterChangeForm()
    if request.method == "POST" and may_sign:
        if request.POST.get("action") == "change":
            change_form = LetterChangeForm(request.POST)
            if change_form.is_valid() and run_for_page(
                request,
                lambda: target_svc.letter_request_change(
                    actor=actor, letter=letter, reason=change_form.cleaned_data["reason"]
                ),
                form=change_form,
                success="已提交调整申请。",
            ):
                return redirect("monitoring:letter_detail", pk=pk)
        else:
            confirm_form = LetterConfirmForm(request.POST, request.FILES)
            if confirm_form.is_valid() and run_for_page(
                request,
                lambda: target_svc.letter_confirm(actor=actor, letter=letter, **confirm_form.cleaned_data),
                form=confirm_form,
                success="目标责任书已签订，年度目标已确认。",
            ):
                return redirect("monitoring:letter_detail", pk=pk)
    targets = selectors.target_list(actor=actor, year=letter.year, region_code=letter.region_id)
    return render(
        request,
        "monitoring/letter_detail.html",
        {
            "letter": letter,
            "targets": targets,
            "may_sign": may_sign,
            "confirm_form": confirm_form,
            "change_form": change_form,
        },
    )


# ------------------------------------------------------------------------------------------- 月度填报
@login_required
def entry(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if can(actor, "monitoring.window") and not can(actor, "monitoring.enter"):
        return redirect("monitoring:window_list")
    require(actor, "monitoring.enter")
    ly, lm = _last_month()
    year = _int(request, "year", ly, 2000, 2100)
    month = _int(request, "month", lm, 1, 12)
    region = actor.region
    if actor.role == Role.CITY and request.GET.get("region"):
        candidate = region_of(request.GET["region"])
        if within(actor, candidate):
            region = candidate
    indicators = value_svc.enterable_indicators(region)
    state = value_svc.entry_state(region=region, year=year, month=month)
    existing = {
        v.indicator_id: v
        for v in selectors.value_list(actor=actor, year=year, month=month, region_code=region.pk)
    }
    if request.method == "POST":
        form = EntryForm(request.POST, indicators=indicators)
        if form.is_valid():
            rows = [
                value_svc.EntryRow(
                    i, form.cleaned_data.get(f"value_{i.code}"), form.cleaned_data.get(f"note_{i.code}") or ""
                )
                for i in indicators
            ]
            if run_for_page(
                request,
                lambda: value_svc.values_enter(actor=actor, region=region, year=year, month=month, rows=rows),
                form=form,
                success="已保存本月数据。",
            ):
                return redirect(f"{reverse('monitoring:entry')}?year={year}&month={month}&region={region.pk}")
    else:
        initial = {}
        for i in indicators:
            if i.pk in existing:
                initial[f"value_{i.code}"] = existing[i.pk].value
                initial[f"note_{i.code}"] = existing[i.pk].warning_note
        form = EntryForm(indicators=indicators, initial=initial)
    rows = form.rows()
    for row in rows:
        row["existing"] = existing.get(row["indicator"].pk)
    regions = []
    if actor.role == Role.CITY:
        regions = [actor.region, *children_for_targets(actor.region)]
    return render(
        request,
        "monitoring/entry.html",
        {
            "form": form,
            "rows": rows,
            "state": state,
            "year": year,
            "month": month,
            "region": region,
            "regions": regions,
            "months": range(1, 13),
        },
    )


@login_required
def window_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require(actor, "monitoring.window")
    window_form, publish_form, reopen_form = (
        WindowForm(prefix="w"),
        PublishForm(prefix="p"),
        ReopenForm(prefix="r"),
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "window":
            window_form = WindowForm(request.POST, prefix="w")
            if window_form.is_valid() and run_for_page(
                request,
                lambda: value_svc.window_set(actor=actor, **window_form.cleaned_data),
                form=window_form,
                success="填报窗口已保存。",
            ):
                return redirect("monitoring:window_list")
        elif action == "publish":
            publish_form = PublishForm(request.POST, prefix="p")
            if publish_form.is_valid() and run_for_page(
                request,
                lambda: value_svc.month_publish(actor=actor, **publish_form.cleaned_data),
                form=publish_form,
                success="该月数据已发布，原报数已固定。",
            ):
                return redirect("monitoring:window_list")
        elif action == "refresh":
            from jigai.jobs.services import job_start, job_url

            this = timezone.localdate().year
            job = run_for_page(
                request,
                lambda: job_start(
                    actor=actor,
                    permission="monitoring.publish",
                    kind="monitoring_refresh",
                    label="重新计算并汇总月度数据",
                    handler="jigai.monitoring.services.rollups.refresh_job",
                    params={"years": [this - 2, this - 1, this]},
                ),
            )
            if job:
                return redirect(job_url(job))
        elif action == "reopen":
            reopen_form = ReopenForm(request.POST, prefix="r")
            if reopen_form.is_valid():
                data = dict(reopen_form.cleaned_data)
                data["region"] = region_of(data["region"])
                if run_for_page(
                    request,
                    lambda: value_svc.window_reopen(actor=actor, **data),
                    form=reopen_form,
                    success="已为该地区重新开放填报。",
                ):
                    return redirect("monitoring:window_list")
    today = timezone.localdate()
    windows = [
        {"w": w, "open": w.is_open_on(today), "locked": w.is_locked_on(today)}
        for w in selectors.window_list()[:36]
    ]
    return render(
        request,
        "monitoring/windows.html",
        {
            "windows": windows,
            "window_form": window_form,
            "publish_form": publish_form,
            "reopen_form": reopen_form,
            "reopenings": selectors.reopenings(actor=actor)[:20],
        },
    )


# ------------------------------------------------------------------------------------------- 月度数据
def _value_filters(request: HttpRequest) -> tuple[int, int, str, str]:
    ly, lm = _last_month()
    return (
        _int(request, "year", ly, 2000, 2100),
        _int(request, "month", lm, 1, 12),
        (request.GET.get("region") or "").strip()[:6],
        (request.GET.get("indicator") or "").strip()[:50],
    )


@login_required
def value_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "monitoring.view")
    year, month, region, indicator = _value_filters(request)
    qs = selectors.value_list(
        actor=request.user,
        year=year,
        month=month,
        region_code=region or None,
        indicator_code=indicator or None,
    )
    return render(
        request,
        "monitoring/values.html",
        {
            "page": paginate(request, qs),
            "year": year,
            "month": month,
            "region": region,
            "indicator": indicator,
            "indicators": selectors.indicator_list(actor=request.user),
            "months": range(1, 13),
        },
    )


@login_required
def value_export(request: HttpRequest) -> HttpResponse:
    from jigai.core.excel import DECIMAL, INT, Column, Spec, export_rows

    require(request.user, "monitoring.view")
    year, month, region, indicator = _value_filters(request)
    qs = selectors.value_list(
        actor=request.user,
        year=year,
        month=month,
        region_code=region or None,
        indicator_code=indicator or None,
    )
    spec = Spec(
        "月度数据",
        [
            Column("year", "年度", type=INT),
            Column("month", "月份", type=INT),
            Column("region_id", "区划代码"),
            Column("region", "地区"),
            Column("indicator", "指标", width=30),
            Column("unit", "单位"),
            Column("value", "数值", type=DECIMAL),
            Column("source", "来源"),
            Column("status", "状态"),
            Column("as_reported", "原报数", type=DECIMAL),
            Column("corrected_reason", "更正理由", width=30),
        ],
    )
    rows = (
        {
            "year": v.year,
            "month": v.month,
            "region_id": v.region_id,
            "region": v.region.name,
            "indicator": v.indicator.name,
            "unit": v.indicator.unit,
            "value": v.value,
            "source": v.get_source_display(),
            "status": v.get_status_display(),
            "as_reported": v.as_reported,
            "corrected_reason": v.corrected_reason,
        }
        for v in qs.iterator(chunk_size=2000)
    )
    return export_rows(spec, rows, filename=f"月度数据_{year}_{month:02d}.xlsx")


@login_required
def value_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    value = selectors.value_get(actor=actor, pk=pk)
    may_correct = (
        can(actor, "monitoring.correct") and value.status == "published" and value.source != "computed"
    )
    form = CorrectForm()
    if request.method == "POST" and may_correct:
        form = CorrectForm(request.POST)
        if form.is_valid() and run_for_page(
            request,
            lambda: value_svc.value_correct(actor=actor, value=value, **form.cleaned_data),
            form=form,
            success="已更正，原报数保留。",
        ):
            return redirect("monitoring:value_detail", pk=pk)
    rule = COMPUTATIONS.get(value.indicator.computation)
    return render(
        request,
        "monitoring/value_detail.html",
        {"v": value, "form": form, "may_correct": may_correct, "rule": rule.label if rule else ""},
    )


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "indicator.import")
    return redirect("registry_excel:import", kind="monthly_statistics")


# ------------------------------------------------------------------------------------------- 数据核对
@login_required
def reconcile(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require(actor, "monitoring.view")
    ly, lm = _last_month()
    year = _int(request, "year", ly, 2000, 2100)
    month = _int(request, "month", lm, 1, 12)
    city = (request.GET.get("city") or "").strip()[:6] or None
    result = selectors.reconciliation(actor=actor, year=year, month=month, city_code=city)
    region = (request.GET.get("region") or "").strip()[:6]
    projects = None
    if region:
        projects = selectors.reconciliation_projects(actor=actor, year=year, month=month, region_code=region)[
            :200
        ]
    return render(
        request,
        "monitoring/reconcile.html",
        {
            "r": result,
            "year": year,
            "month": month,
            "city": city or "",
            "region": region,
            "projects": projects,
            "months": range(1, 13),
            "as_of": datetime.date(year, month, 1),
        },
    )
