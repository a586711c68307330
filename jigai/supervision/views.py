"""Pages of supervision: tickets (督办事项), service-visit problems (服务企业问题), the green ranking
(绿色发展排行榜) and typical practices (典型做法), plus their public pages. Thin: selectors read, services
change, `run_for_page` shows a refusal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jigai.accounts.permissions import can
from jigai.core.errors import AccessDenied, run_for_page
from jigai.core.uploads import download_name
from jigai.registry.models import Enterprise
from jigai.registry.paging import paginate

from . import exports, selectors, services
from .forms import (
    ComputeForm,
    GreenDataForm,
    MoveForm,
    PracticeForm,
    RateForm,
    ReplyForm,
    RuleForm,
    TicketOpenForm,
    VisitForm,
)
from .models import PracticeStatus, ScoringRule, TicketStatus, today
from .services.ranking import DIRECTIONS, INDICATORS, rule_in_force


def _require(request: HttpRequest, *perms: str) -> None:
    if not any(can(request.user, p) for p in perms):
        raise AccessDenied("您的角色无权访问此页面。")


def _page(request: HttpRequest, qs: Any) -> Any:
    return paginate(request, qs)  # the one list shape: page numbers, jump, 20/50/100 a page


def _query(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    q.pop("export", None)
    return q.urlencode()


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: (request.GET.get(k) or "").strip() for k in ("status", "overdue", "region", "q", "year")}


def _file(field: Any, name: str) -> FileResponse:
    if not field:
        raise Http404("没有附件。")
    try:
        fh = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件不存在。") from None
    # Offered under its label with the stored (detected) extension, never the client's file name.
    return FileResponse(fh, as_attachment=True, filename=download_name(name or "附件", field.name))


# ------------------------------------------------------------------------------------------- tickets
def _ticket_list(request: HttpRequest, *, visits: bool) -> HttpResponse:
    # The enterprise reads (and rates) its own visit problems; supervision itself is the departments'.
    _require(request, *(("supervision.view", "visit.rate") if visits else ("supervision.view",)))
    filters = _filters(request)
    qs = selectors.ticket_list(actor=request.user, filters=filters, visits=visits)
    if request.GET.get("export") == "xlsx":
        return exports.tickets_xlsx(request.user, qs, visits=visits)
    context = {
        "page": _page(request, qs),
        "query": _query(request),
        "filters": filters,
        "statuses": TicketStatus.choices,
        "visits": visits,
        "may_open": can(request.user, "visit.record" if visits else "supervision.open"),
    }
    return render(request, "supervision/ticket_list.html", context)


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    return _ticket_list(request, visits=False)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    return _ticket_list(request, visits=True)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    _require(request, "supervision.open")
    form = TicketOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ticket = run_for_page(
            request,
            lambda: services.ticket_open_manual(actor=request.user, data=form.cleaned_data),
            form=form,
            success="已发出督办，承办单位已收到通知。",
        )
        if ticket:
            return redirect("supervision:ticket_detail", pk=ticket.pk)
    return render(request, "supervision/ticket_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    _require(request, "visit.record")
    form = VisitForm(request.POST or None, under=request.user.region)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["enterprise"] = (
            Enterprise.objects.restrict(request.user, "change").filter(uscc=data.pop("uscc").upper()).first()
        )
        visit = run_for_page(
            request,
            lambda: services.visit_record(actor=request.user, data=data),
            form=form,
            success="已登记企业问题，并交责任单位办理。",
        )
        if visit:
            return redirect("supervision:ticket_detail", pk=visit.ticket_id)
    return render(request, "supervision/visit_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    screen = selectors.ticket_detail(actor=request.user, pk=pk)
    reply_form = ReplyForm()
    move_form = MoveForm()
    rate_form = RateForm()
    if request.method == "POST":
        what = request.POST.get("form")
        ticket = screen.ticket
        if what == "reply":
            reply_form = ReplyForm(request.POST, request.FILES)
            if reply_form.is_valid() and run_for_page(
                request,
                lambda: services.ticket_reply(
                    actor=request.user,
                    ticket=ticket,
                    text=reply_form.cleaned_data["text"],
                    upload=reply_form.cleaned_data.get("attachment"),
                ),
                form=reply_form,
                success="已提交答复。",
            ):
                return redirect("supervision:ticket_detail", pk=pk)
        elif what == "move":
            move_form = MoveForm(request.POST)
            if move_form.is_valid() and run_for_page(
                request,
                lambda: services.ticket_move(
                    actor=request.user,
                    ticket=ticket,
                    action=move_form.cleaned_data["action"],
                    comment=move_form.cleaned_data["comment"],
                ),
                form=move_form,
                success="已办理。",
            ):
                return redirect("supervision:ticket_detail", pk=pk)
        elif what == "rate" and screen.visit is not None:
            rate_form = RateForm(request.POST)
            if rate_form.is_valid() and run_for_page(
                request,
                lambda: services.visit_rate(
                    actor=request.user,
                    visit=screen.visit,
                    rating=rate_form.cleaned_data["rating"],
                    comment=rate_form.cleaned_data["comment"],
                ),
                form=rate_form,
                success="感谢您的评价。",
            ):
                return redirect("supervision:ticket_detail", pk=pk)
        else:
            return HttpResponse("未知的操作。", status=400)
    bad = reply_form.errors or move_form.errors or rate_form.errors
    context = {
        "s": screen,
        "t": screen.ticket,
        "reply_form": reply_form,
        "move_form": move_form,
        "rate_form": rate_form,
    }
    return render(request, "supervision/ticket_detail.html", context, status=400 if bad else 200)


@login_required
def reply_file(request: HttpRequest, pk: int) -> FileResponse:
    reply = selectors.reply_for_download(actor=request.user, pk=pk)
    return _file(reply.attachment, reply.attachment_name)


# ------------------------------------------------------------------------------------------- ranking
@login_required
@require_http_methods(["GET", "POST"])
def ranking_index(request: HttpRequest) -> HttpResponse:
    _require(request, "supervision.view", "ranking.manage")
    may_manage = can(request.user, "ranking.manage")
    form = ComputeForm(request.POST or None)
    if request.method == "POST":
        _require(request, "ranking.manage")
        if form.is_valid():
            ranking = run_for_page(
                request,
                lambda: services.ranking_compute(actor=request.user, year=form.cleaned_data["year"]),
                form=form,
                success="已测算排行榜，请核对后审定发布。",
            )
            if ranking:
                return redirect("supervision:ranking_detail", pk=ranking.pk)
    context = {
        "page": _page(request, selectors.ranking_list(actor=request.user)),
        "query": _query(request),
        "form": form if may_manage else None,
        "may_manage": may_manage,
        "rule": rule_in_force(today()),
        "indicators": INDICATORS,
        "directions": DIRECTIONS,
    }
    return render(request, "supervision/ranking_index.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def ranking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    division = (request.GET.get("division") or "").strip()
    screen = selectors.ranking_detail(actor=request.user, pk=pk, division=division)
    if request.method == "POST":
        form = MoveForm(request.POST)
        if form.is_valid() and run_for_page(
            request,
            lambda: services.ranking_move(
                actor=request.user,
                ranking=screen.ranking,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
            ),
            success="已办理。",
        ):
            return redirect("supervision:ranking_detail", pk=pk)
        screen = selectors.ranking_detail(actor=request.user, pk=pk, division=division)
    if request.GET.get("export") == "xlsx":
        return exports.ranking_xlsx(request.user, screen.ranking)
    return render(
        request, "supervision/ranking_detail.html", {"s": screen, "division": division, "public": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def green_data(request: HttpRequest) -> HttpResponse:
    _require(request, "ranking.manage")
    form = GreenDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = (
            Enterprise.objects.restrict(request.user, "change").filter(uscc=data["uscc"].upper()).first()
        )
        if enterprise is None:
            form.add_error("uscc", "未找到该信用代码的企业。")
        elif run_for_page(
            request,
            lambda: services.green_data_save(
                actor=request.user, enterprise=enterprise, year=data["year"], values=data
            ),
            form=form,
            success="已保存绿色发展数据。",
        ):
            return redirect("supervision:green_data")
    filters = _filters(request)
    qs = selectors.green_data_list(actor=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return exports.green_xlsx(request.user, qs)
    context = {"page": _page(request, qs), "query": _query(request), "filters": filters, "form": form}
    return render(request, "supervision/green_data.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def rule_list(request: HttpRequest) -> HttpResponse:
    _require(request, "ranking.manage")
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_for_page(
            request,
            lambda: services.rule_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                valid_from=form.cleaned_data["valid_from"],
                weights=form.weights(),
            ),
            form=form,
            success="已保存评分规则。",
        ):
            return redirect("supervision:rule_list")
    rules = [
        (r, [(INDICATORS[w["indicator"]][0], w["weight"], DIRECTIONS[w["direction"]]) for w in r.weights])
        for r in ScoringRule.objects.all()[:50]
    ]
    return render(
        request,
        "supervision/rule_list.html",
        {"rules": rules, "form": form},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------------------- practices
@login_required
@require_http_methods(["GET", "POST"])
def practice_list(request: HttpRequest) -> HttpResponse:
    _require(request, "practice.submit", "practice.publish", "supervision.view")
    may_submit = can(request.user, "practice.submit")
    form = PracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require(request, "practice.submit")
        if form.is_valid():
            practice = run_for_page(
                request,
                lambda: services.practice_submit(
                    actor=request.user, data=form.cleaned_data, upload=form.cleaned_data.get("attachment")
                ),
                form=form,
                success="已报送典型做法，等待省工信厅审核发布。",
            )
            if practice:
                return redirect("supervision:practice_detail", pk=practice.pk)
    filters = _filters(request)
    qs = selectors.practice_list(actor=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return exports.practices_xlsx(request.user, qs)
    context = {
        "page": _page(request, qs),
        "query": _query(request),
        "filters": filters,
        "statuses": PracticeStatus.choices,
        "form": form if may_submit else None,
    }
    return render(request, "supervision/practice_list.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    screen = selectors.practice_detail(actor=request.user, pk=pk)
    p = screen.practice
    edit_form = PracticeForm(initial={"title": p.title, "text": p.text})
    move_form = MoveForm()
    if request.method == "POST":
        move_form = MoveForm(request.POST)
        action = request.POST.get("action")
        if action == "resubmit":
            edit_form = PracticeForm(request.POST, request.FILES)
            ok = edit_form.is_valid() and run_for_page(
                request,
                lambda: services.practice_move(
                    actor=request.user,
                    practice=p,
                    action="resubmit",
                    data=edit_form.cleaned_data,
                    upload=edit_form.cleaned_data.get("attachment"),
                ),
                form=edit_form,
                success="已重新报送。",
            )
        else:
            ok = move_form.is_valid() and run_for_page(
                request,
                lambda: services.practice_move(
                    actor=request.user, practice=p, action=action, comment=move_form.cleaned_data["comment"]
                ),
                form=move_form,
                success="已办理。",
            )
        if ok:
            return redirect("supervision:practice_detail", pk=pk)
    may_edit = any(m.action == "resubmit" for m in screen.moves)
    context = {"s": screen, "p": p, "edit_form": edit_form if may_edit else None, "move_form": move_form}
    bad = edit_form.errors or move_form.errors
    return render(request, "supervision/practice_detail.html", context, status=400 if bad else 200)


@login_required
def practice_file(request: HttpRequest, pk: int) -> FileResponse:
    p = selectors.practice_detail(actor=request.user, pk=pk).practice
    return _file(p.attachment, p.attachment_name)


# ------------------------------------------------------------------------------------------- public site
def public_rankings(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.public_rankings())
    return render(request, "supervision/public_rankings.html", {"page": page, "query": ""})


def public_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    division = (request.GET.get("division") or "").strip()
    screen = selectors.public_ranking(pk=pk, division=division)
    if request.GET.get("export") == "xlsx":
        return exports.ranking_xlsx(None, screen.ranking)
    return render(
        request, "supervision/ranking_detail.html", {"s": screen, "division": division, "public": True}
    )


def public_practices(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.public_practices())
    return render(request, "supervision/public_practices.html", {"page": page, "query": ""})


def public_practice(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.public_practices().filter(pk=pk).first()
    if p is None:
        raise Http404("未找到该典型做法。")
    return render(request, "supervision/public_practice.html", {"p": p})


def public_practice_file(request: HttpRequest, pk: int) -> FileResponse:
    p = selectors.public_practices().filter(pk=pk).first()
    if p is None:
        raise Http404("未找到该典型做法。")
    return _file(p.attachment, p.attachment_name)
