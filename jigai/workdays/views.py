"""The system administrator's page of the working-day calendar (one year at a time)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import require
from jigai.core.errors import run_for_page

from . import services
from .models import CalendarDay, CalendarYear, DayKind


class DayForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类别", choices=DayKind.choices)
    name = forms.CharField(label="节日名称", max_length=30, required=False)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or dt.date.today().year)
    except ValueError:
        year = dt.date.today().year
    return min(max(year, 2000), 2100)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    require(request.user, "dictionary.manage")
    year = _year(request)
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_for_page(
            request,
            lambda: services.set_day(actor=request.user, **form.cleaned_data),
            form=form,
            success="已保存。",
        )
        if done:
            return redirect(f"{reverse('workdays:calendar')}?year={form.cleaned_data['day'].year}")
    info = CalendarYear.objects.filter(year=year).first()
    days = CalendarDay.objects.filter(day__year=year)
    context = {
        "year": year,
        "info": info,
        "days": days,
        "form": form,
        "years": list(CalendarYear.objects.values_list("year", flat=True)),
        "working_days": services.working_days_between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    }
    return render(request, "workdays/calendar.html", context)


@login_required
@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    require(request.user, "dictionary.manage")
    day = request.POST.get("day", "")
    run_for_page(
        request, lambda: services.clear_day(actor=request.user, day=day), success="已恢复为按星期计算。"
    )
    return redirect(f"{reverse('workdays:calendar')}?year={_year(request)}")


@login_required
@require_POST
def complete(request: HttpRequest) -> HttpResponse:
    require(request.user, "dictionary.manage")
    year = _year(request)
    run_for_page(
        request,
        lambda: services.mark_year_complete(actor=request.user, year=year, note=request.POST.get("note", "")),
        success=f"已确认 {year} 年节假日安排录入完整。",
    )
    return redirect(f"{reverse('workdays:calendar')}?year={year}")
