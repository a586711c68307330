"""The province's guideline what-if pages (issue 13). Thin: services and screens in funding/simulator."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import require
from jigai.core.errors import run_for_page
from jigai.jobs.services import job_url

from ..models import Guideline, ItemGroup, Population, Scenario, ScenarioRun
from ..simulator import screens, services
from ..simulator.replay import CHANGE_LABELS

__all__ = ["sim_case", "sim_compare", "sim_delete", "sim_detail", "sim_list", "sim_publish", "sim_run"]


class ScenarioForm(forms.Form):
    name = forms.CharField(label="方案名称", max_length=100)
    guideline = forms.ModelChoiceField(label="指南（草案）", queryset=Guideline.objects.none())
    population = forms.ChoiceField(label="测算对象", choices=Population.choices)
    source_year = forms.IntegerField(
        label="上一年度申报的年度", required=False, help_text="不填：指南年度的前一年"
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guideline"].queryset = Guideline.objects.restrict(actor, "view").order_by("-year", "-pk")


@login_required
def sim_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "guideline.simulate")
    form = ScenarioForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scenario = run_for_page(
            request,
            lambda: services.scenario_save(actor=request.user, data=data, guideline=data["guideline"]),
            form=form,
            success="方案已保存。",
        )
        if scenario:
            return redirect("funding:sim_detail", pk=scenario.pk)
    scenarios = Scenario.objects.restrict(request.user, "view").select_related("guideline")
    runs = (
        ScenarioRun.objects.restrict(request.user, "view")
        .filter(status="done")
        .select_related("scenario")[:30]
    )
    return render(request, "funding/sim_list.html", {"form": form, "scenarios": scenarios, "runs": runs})


def _scenario(request: HttpRequest, pk: int) -> Scenario:
    require(request.user, "guideline.simulate")
    return get_object_or_404(
        Scenario.objects.restrict(request.user, "view").select_related("guideline"), pk=pk
    )


@login_required
def sim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    runs = list(scenario.runs.all()[:10])
    chosen = next((r for r in runs if str(r.pk) == request.GET.get("run")), None) or next(
        (r for r in runs if r.status == "done"), None
    )
    screen = screens.run_screen(chosen) if chosen else {"ready": False}
    rows = []
    if chosen:
        rows = screens.change_rows(
            chosen,
            change=request.GET.get("change", ""),
            group=request.GET.get("group", ""),
            city=request.GET.get("city", ""),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "scenario": scenario,
        "runs": runs,
        "chosen": chosen,
        "screen": screen,
        "page": page,
        "query": query.urlencode(),
        "change_choices": CHANGE_LABELS.items(),
        "group_choices": ItemGroup.choices,
        "running": [r for r in runs if r.status in ("queued", "running")],
        "job_url": job_url,
    }
    return render(request, "funding/sim_detail.html", context)


@login_required
@require_POST
def sim_run(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    run = run_for_page(request, lambda: services.run_start(actor=request.user, scenario=scenario))
    if run and run.job_id:
        return redirect(job_url(run.job))
    return redirect("funding:sim_detail", pk=scenario.pk)


@login_required
@require_POST
def sim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    run_for_page(
        request,
        lambda: services.scenario_delete(actor=request.user, scenario=scenario),
        success="方案已删除。",
    )
    return redirect("funding:sim_list")


@login_required
@require_POST
def sim_publish(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    done = run_for_page(
        request, lambda: services.publish_draft(actor=request.user, scenario=scenario), success="指南已发布。"
    )
    if done:
        return redirect("funding:guideline_detail", pk=scenario.guideline_id)
    return redirect("funding:sim_detail", pk=scenario.pk)


@login_required
def sim_case(request: HttpRequest, pk: int, case_id: str) -> HttpResponse:
    require(request.user, "guideline.simulate")
    run = get_object_or_404(
        ScenarioRun.objects.restrict(request.user, "view").select_related("scenario"), pk=pk
    )
    explained = run_for_page(request, lambda: services.explain_case(run, case_id))
    if not explained:
        from django.http import Http404

        raise Http404("未找到该个案。")
    return render(request, "funding/sim_case.html", {"run": run, **explained})


@login_required
def sim_compare(request: HttpRequest) -> HttpResponse:
    require(request.user, "guideline.simulate")
    ids = request.GET.getlist("runs")
    runs = run_for_page(request, lambda: services.compared_runs(request.user, ids)) or []
    if runs is True:
        runs = []
    screens_ = [screens.run_screen(r) for r in runs]
    groups = sorted({g["label"] for s in screens_ for g in s.get("groups", [])})
    table = []
    for label in groups:
        table.append(
            {
                "label": label,
                "cells": [next((g for g in s["groups"] if g["label"] == label), None) for s in screens_],
            }
        )
    choices = (
        ScenarioRun.objects.restrict(request.user, "view")
        .filter(status="done")
        .select_related("scenario")[:50]
    )
    return render(
        request,
        "funding/sim_compare.html",
        {
            "screens": screens_,
            "table": table,
            "choices": choices,
            "chosen": [str(r.pk) for r in runs],
            "back": reverse("funding:sim_list"),
        },
    )
