"""The province's round: guidelines, expert review, decision and allocation, notices and objections."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jigai.accounts.roles import Role
from jigai.registry.paging import paginate

from .. import calc, exports, forms, screens, selectors, services
from ..models import (
    Allocation,
    AllocationStatus,
    Application,
    AppStatus,
    Conflict,
    GuidelineStatus,
    ItemGroup,
    ObjectionStatus,
)
from ..services.allocation import decide_refusal
from ..services.notices import publish_refusal as notice_publish_refusal
from ._helpers import NOTICE_PAGE_SIZE, _page, _require_page, _run


@login_required
def guideline_list(request: HttpRequest) -> HttpResponse:
    _require_page(request, "guideline.manage")
    return render(
        request, "funding/guideline_list.html", {"guidelines": selectors.guideline_list(actor=request.user)}
    )


@login_required
def guideline_create(request: HttpRequest) -> HttpResponse:
    _require_page(request, "guideline.manage")
    year = timezone.localdate().year
    form = forms.GuidelineForm(
        request.POST or None,
        initial={"year": year, "title": f"{year}年度省级制造业高质量发展专项资金申报指南", "notice_days": 5},
    )
    if request.method == "POST" and form.is_valid():
        data, budgets = form.data_and_budgets()
        g = _run(
            request,
            form,
            lambda: services.guideline_create(actor=request.user, data=data, budgets=budgets),
            success="指南已保存为草稿。",
        )
        if g:
            return redirect("funding:guideline_detail", pk=g.pk)
    return render(request, "funding/guideline_form.html", {"form": form, "guideline": None})


@login_required
def guideline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "guideline.manage")
    g = selectors.guideline_get(actor=request.user, pk=pk, action="change")
    initial = {
        "year": g.year,
        "title": g.title,
        "policy_version": g.policy_version,
        "items": g.items,
        "opens_at": timezone.localtime(g.opens_at),
        "closes_at": timezone.localtime(g.closes_at),
        "notice_days": g.notice_days,
        "parameter_overrides": json.dumps(g.parameter_overrides, ensure_ascii=False)
        if g.parameter_overrides
        else "",
        "leading_goose_items": g.leading_goose_items,
        "proactive_items": g.proactive_items,
        "description": g.description,
    }
    for b in g.budgets.all():
        initial[f"budget_{b.item_group}"] = b.amount
    form = forms.GuidelineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, budgets = form.data_and_budgets()
        done = _run(
            request,
            form,
            lambda: services.guideline_update(actor=request.user, guideline=g, data=data, budgets=budgets),
            success="指南已保存。",
        )
        if done:
            return redirect("funding:guideline_detail", pk=g.pk)
    return render(request, "funding/guideline_form.html", {"form": form, "guideline": g})


@login_required
def guideline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "guideline.manage")
    screen = screens.guideline_screen(actor=request.user, pk=pk)
    return render(
        request,
        "funding/guideline_detail.html",
        {"s": screen, "g": screen.g, "summary": screen.summary, "extend_form": forms.ExtendForm()},
    )


@login_required
@require_POST
def guideline_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "guideline.manage")
    g = selectors.guideline_get(actor=request.user, pk=pk, action="change")
    _run(
        request,
        None,
        lambda: services.guideline_publish(actor=request.user, guideline=g),
        success="指南已发布。",
    )
    return redirect("funding:guideline_detail", pk=g.pk)


@login_required
@require_POST
def guideline_extend(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "guideline.manage")
    g = selectors.guideline_get(actor=request.user, pk=pk, action="change")
    form = forms.ExtendForm(request.POST)
    if form.is_valid():
        _run(
            request,
            None,
            lambda: services.guideline_extend_window(
                actor=request.user,
                guideline=g,
                closes_at=form.cleaned_data["closes_at"],
                reason=form.cleaned_data["reason"],
            ),
            success="申报期已延长。",
        )
    else:
        messages.error(request, "请填写新的截止时间和理由。")
    return redirect("funding:guideline_detail", pk=g.pk)


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    _require_page(request, "expert.score")
    tasks = screens.expert_tasks(actor=request.user)  # open ones first, by review deadline
    context = {
        "page": paginate(request, tasks),
        "query": "",
        "review_days": screens.EXPERT_REVIEW_WORKING_DAYS,
    }
    return render(request, "funding/expert_list.html", context)


@login_required
def expert_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "expert.score")
    assignment = selectors.expert_assignment_get(actor=request.user, pk=pk)
    declare_form = forms.DeclareForm(request.POST if request.POST.get("step") == "declare" else None)
    score_form = forms.ScoreForm(request.POST if request.POST.get("step") == "score" else None)
    if request.method == "POST":
        if request.POST.get("step") == "declare" and declare_form.is_valid():
            cd = declare_form.cleaned_data
            if _run(
                request,
                declare_form,
                lambda: services.expert_declare(
                    actor=request.user,
                    assignment=assignment,
                    has_conflict=cd["has_conflict"],
                    note=cd["conflict_note"],
                ),
                success="声明已提交。",
            ):
                return redirect("funding:expert_review", pk=pk)
        elif request.POST.get("step") == "score" and score_form.is_valid():
            cd = dict(score_form.cleaned_data)
            comment = cd.pop("comment")
            if _run(
                request,
                score_form,
                lambda: services.expert_score(
                    actor=request.user, assignment=assignment, scores=cd, comment=comment
                ),
                success="评分已提交。",
            ):
                return redirect("funding:expert_review", pk=pk)
        assignment.refresh_from_db()
    app = assignment.application
    readable = assignment.conflict == Conflict.NONE
    context = {
        "a": assignment,
        # The application's content only after declaring no conflict of interest.
        "app": app if readable else None,
        "result": (app.snapshot or {}).get("result") if readable else None,
        "attachments": app.attachments.all() if readable else [],
        "item_label": calc.item_label(app.item),
        "declare_form": declare_form,
        "score_form": score_form,
        "rubric": services.RUBRIC,
    }
    return render(request, "funding/expert_review.html", context)


@login_required
def decision_index(request: HttpRequest) -> HttpResponse:
    _require_page(request, "application.decide")
    guidelines = selectors.guideline_list(actor=request.user).exclude(status=GuidelineStatus.DRAFT)
    return render(request, "funding/decision_index.html", {"guidelines": guidelines})


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "application.decide")
    g = selectors.guideline_get(actor=request.user, pk=pk)
    form = forms.AllocationForm(request.POST or None, initial={"method": "score"})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        if _run(
            request,
            form,
            lambda: services.allocation_propose(
                actor=request.user, guideline=g, item_group=cd["item_group"], method=cd["method"]
            ),
            success="分配方案已拟定，请核对后决策。",
        ):
            return redirect("funding:decision", pk=g.pk)
    proposals = list(
        Allocation.objects.restrict(request.user)
        .filter(guideline=g, status=AllocationStatus.PROPOSED)
        .prefetch_related("lines__application__enterprise")
    )
    for p in proposals:  # 按此方案决策 disabled with the reason the service would give
        refusal = decide_refusal(p, lines=sorted(p.lines.all(), key=lambda line: line.rank))
        p.decide_blocked = refusal.message if refusal is not None else ""
    waiting = (
        Application.objects.restrict(request.user)
        .filter(guideline=g, status=AppStatus.REVIEWED)
        .select_related("enterprise")
        .order_by("item_group", "-score_avg")
    )
    context = {
        "g": g,
        "summary": selectors.budget_summary(actor=request.user, guideline=g),
        "form": form,
        "proposals": proposals,
        "waiting": _page(request, waiting),
        "groups": dict(ItemGroup.choices),
    }
    return render(request, "funding/decision.html", context)


@login_required
@require_POST
def allocation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "application.decide")
    allocation = selectors.allocation_get(actor=request.user, pk=pk)
    _run(
        request,
        None,
        lambda: services.allocation_decide(actor=request.user, allocation=allocation),
        success="已决策，拟支持项目可以进入公示。",
    )
    return redirect("funding:decision", pk=allocation.guideline_id)


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    _require_page(request, "notice.publish")
    guidelines = selectors.guideline_list(actor=request.user).exclude(status=GuidelineStatus.DRAFT)
    form = forms.NoticePublishForm(request.POST or None, guidelines=guidelines)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        g = selectors.guideline_get(actor=request.user, pk=cd["guideline"])
        notice = _run(
            request,
            form,
            lambda: services.notice_publish(
                actor=request.user, guideline=g, starts_on=cd["starts_on"], title=cd["title"]
            ),
            success="公示已发布。",
        )
        if notice:
            return redirect("funding:notice_detail", pk=notice.pk)
    # 发布公示 disabled while no guideline has a proposed award to publish (the service's reason)
    refusals = [notice_publish_refusal(g) for g in guidelines]
    blocked = next((r.message for r in refusals if r is not None), "") if all(refusals) else ""
    context = {"notices": selectors.notice_list(actor=request.user), "form": form, "publish_blocked": blocked}
    return render(request, "funding/notice_list.html", context)


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "notice.publish", "objection.resolve")
    notice = selectors.notice_get(actor=request.user, pk=pk)
    entries = list(selectors.notice_public_entries(notice))
    form = forms.ObjectionForm(
        request.POST if request.POST.get("step") == "record" else None, entries=entries
    )
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "record" and form.is_valid():
            cd = form.cleaned_data
            app = selectors.application_get(actor=request.user, pk=cd["application"])
            if _run(
                request,
                form,
                lambda: services.objection_record(
                    actor=request.user,
                    notice=notice,
                    application=app,
                    content=cd["content"],
                    received_on=cd["received_on"],
                    objector=cd["objector"],
                    objector_contact=cd["objector_contact"],
                ),
                success="异议已登记。",
            ):
                return redirect("funding:notice_detail", pk=pk)
        elif step == "finalize":
            _run(
                request,
                None,
                lambda: services.notice_finalize(actor=request.user, notice=notice),
                success="公示期满，已确定立项，拨付计划已生成。",
            )
            return redirect("funding:notice_detail", pk=pk)
    refusal = services.notice_finalize_refusal(notice)
    context = {
        "notice": notice,
        "finalize_blocked": refusal.message if refusal is not None else "",
        "entries": Paginator(entries, NOTICE_PAGE_SIZE).get_page(request.GET.get("page")),
        "withdrawn": notice.entries.filter(withdrawn=True).select_related("application__enterprise"),
        "objections": selectors.objection_list(actor=request.user, notice=notice),
        "form": form,
        "today": timezone.localdate(),
        "labels": dict(calc.item_choices()),
    }
    return render(request, "funding/notice_detail.html", context)


@login_required
def notice_export_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    _require_page(request, "notice.publish")
    notice = selectors.notice_get(actor=request.user, pk=pk)
    return exports.award_xlsx(notice, selectors.notice_public_entries(notice))


@login_required
def notice_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "notice.publish")
    notice = selectors.notice_get(actor=request.user, pk=pk)
    return exports.award_pdf(notice, selectors.notice_public_entries(notice), masked=False)


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "objection.resolve")
    objection = selectors.objection_get(actor=request.user, pk=pk)
    staff = (
        get_user_model()
        .objects.restrict(request.user, "assign")
        .filter(role=Role.PROVINCE)  # of those the officer may give work to, the colleagues
        .order_by("username")
    )
    step = request.POST.get("step")
    assign_form = forms.ObjectionAssignForm(request.POST if step == "assign" else None, staff=staff)
    resolve_form = forms.ObjectionResolveForm(request.POST if step == "resolve" else None)
    if request.method == "POST":
        if step == "assign" and assign_form.is_valid():
            assignee = staff.filter(pk=assign_form.cleaned_data["assigned_to"]).first()
            if _run(
                request,
                assign_form,
                lambda: services.objection_assign(actor=request.user, objection=objection, assignee=assignee),
                success="已分配承办人。",
            ):
                return redirect("funding:objection_detail", pk=pk)
        elif step == "resolve" and resolve_form.is_valid():
            cd = resolve_form.cleaned_data
            if _run(
                request,
                resolve_form,
                lambda: services.objection_resolve(
                    actor=request.user,
                    objection=objection,
                    resolution=cd["resolution"],
                    comment=cd["resolution_comment"],
                ),
                success="异议已处理。",
            ):
                return redirect("funding:notice_detail", pk=objection.notice_id)
    context = {
        "o": objection,
        "assign_form": assign_form,
        "resolve_form": resolve_form,
        "is_open": objection.status == ObjectionStatus.OPEN,
    }
    return render(request, "funding/objection_detail.html", context)
