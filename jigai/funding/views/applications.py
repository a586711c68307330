"""The work queue, the apply page and the application page with its moves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can
from jigai.accounts.scope import get_scoped_or_404
from jigai.core.errors import AccessDenied, DomainError, run_for_page
from jigai.registry.paging import paginate, sort_headers

from .. import calc, exports, forms, screens, selectors, services
from ..models import Application, AppStatus, Attachment
from ..services.batch import batch_move
from ._helpers import _require_page, _run

QUEUE_COLUMNS = [
    ("申报编号", "tracking"),
    ("企业", "enterprise"),
    ("地区", "region"),
    ("申报事项", "item"),
    ("状态", "status"),
    ("测算上限", "ceiling"),
    ("申请金额", "requested"),
    ("专家均分", "score"),
    ("市级排序", "rank"),
    ("安排金额", "granted"),
    ("提交时间", "submitted"),
]
QUEUE_NUMERIC = ("测算上限", "申请金额", "专家均分", "安排金额")
# The application page reads its audit trail only when the user opens it (application_history, htmx), a
# page of HISTORY_SHOWN events at a time: every draft save adds one, and reading and rendering them made each
# read of the page slower than the last, a third of its cost in the deadline rush (bench/bench_rush.py).
HISTORY_SHOWN = 20


def _queue_filters(request: HttpRequest) -> tuple[forms.QueueFilterForm, dict[str, Any]]:
    form = forms.QueueFilterForm(request.GET or None, actor=request.user)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue: filters (region from the user's jurisdiction), search, sortable columns, pages with
    jump and size, totals of the money columns over the filtered set, Excel export of the same set; a county
    or city reviewer ticks rows and passes (初审 / 推荐), returns or rejects them at once (POST)."""
    if not can(request.user, "application.view"):
        raise AccessDenied("您的角色不参与专项资金申报。")
    form, filters = _queue_filters(request)
    apps = selectors.application_list(actor=request.user, filters=filters)
    page = paginate(request, apps, totals=selectors.QUEUE_MONEY, deferred=False)
    batch_label = screens.queue_batch_label(actor=request.user)
    batch_form = forms.BatchMoveForm(approve_label=batch_label) if batch_label else None
    results = None
    if request.method == "POST" and batch_form is not None:
        batch_form, results = _batch(request, batch_label)
        if results is not None:  # the rows moved: read the page again
            apps = selectors.application_list(actor=request.user, filters=filters)
            page = paginate(request, apps, totals=selectors.QUEUE_MONEY, deferred=False)
    rows = [(a, screens.queue_row_pickable(actor=request.user, application=a)) for a in page]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "any_pickable": any(p for _, p in rows),
        "headers": sort_headers(request, QUEUE_COLUMNS, numeric=QUEUE_NUMERIC),
        "totals": page.totals,  # over the whole filtered set, read with the count
        "query": page.pager.query,
        "counts": [
            (AppStatus(code).label, n)
            for code, n in sorted(selectors.application_counts(actor=request.user).items())
        ],
        "todo": selectors.QUEUE_STATUSES.get(request.user.role, ()),
        "labels": dict(calc.item_choices()),
        "batch_form": batch_form,
        "batch_results": results,
    }
    return render(
        request, "funding/queue.html", context, status=400 if batch_form and batch_form.errors else 200
    )


def _batch(request: HttpRequest, label: str) -> tuple[forms.BatchMoveForm, list[Any] | None]:
    """批量初审 / 推荐: each ticked application through the one review service (services.batch_move)."""
    form = forms.BatchMoveForm(request.POST, approve_label=label)
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    if not form.is_valid():
        return form, None
    cd = form.cleaned_data
    results = run_for_page(
        request,
        lambda: batch_move(actor=request.user, ids=ids, move=cd["action"], comment=cd["comment"]),
        form=form,
    )
    if results is not None:
        done = sum(1 for r in results if r.ok)
        refused = len(results) - done
        text = f"批量办理 {len(results)} 件：已办理 {done} 件" + (
            f"，未办理 {refused} 件（原因见下表）。" if refused else "。"
        )
        (messages.success if not refused else messages.warning)(request, text)
    return form, results


@login_required
def queue_export(request: HttpRequest) -> FileResponse:
    """The filtered set of the queue (all pages) as Excel: the same filters as the page."""
    if not can(request.user, "application.view"):
        raise AccessDenied("您的角色不参与专项资金申报。")
    _form, filters = _queue_filters(request)
    return exports.queue_xlsx(selectors.application_list(actor=request.user, filters=filters).iterator())


def _apply_form(request: HttpRequest, data: Any = None) -> forms.ApplyForm:
    guidelines = list(selectors.guidelines_open_now(now=timezone.now()))
    targets = services.enterprise_targets(actor=request.user)
    return forms.ApplyForm(data, guidelines=guidelines, targets=targets)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    _require_page(request, "application.submit")
    if request.user.enterprise_id is None:
        raise AccessDenied("您的账号未关联企业。")
    form = _apply_form(request, request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        guideline = selectors.guideline_get(actor=request.user, pk=cd["guideline"])
        target = _run(request, form, lambda: services.resolve_target(actor=request.user, value=cd["target"]))
        if target is not None:
            app = _run(
                request,
                form,
                lambda: services.application_create_draft(
                    actor=request.user,
                    guideline=guideline,
                    item=cd["item"],
                    target=target,
                    requested_amount=cd["requested_amount"],
                    declared_other_provincial_support=cd["declared_other_provincial_support"],
                    contact_person=cd["contact_person"],
                    contact_phone=cd["contact_phone"],
                    summary=cd["summary"],
                ),
                success="申报草稿已保存。请核对测算结果、上传材料后提交。",
            )
            if app:
                return redirect("funding:application_detail", pk=app.pk)
    return render(request, "funding/apply.html", {"form": form, "preview": preview})


@login_required
def apply_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the ceiling the calculator gives the chosen object and item under the chosen guideline."""
    _require_page(request, "application.submit")
    form = _apply_form(request, request.GET)
    form.is_valid()
    cd = form.cleaned_data
    context: dict[str, Any] = {"preview": None, "error": ""}
    if all(k in cd for k in ("guideline", "item", "target")):
        guideline = selectors.guideline_get(actor=request.user, pk=cd["guideline"])
        try:
            target = services.resolve_target(actor=request.user, value=cd["target"])
            context["preview"] = services.application_preview(
                actor=request.user,
                guideline=guideline,
                item=cd["item"],
                target=target,
                declared_other_provincial_support=cd.get("declared_other_provincial_support", False),
            )
        except DomainError as exc:
            context["error"] = exc.message
    else:
        context["error"] = "请先选择申报指南、申报事项和申报对象。"
    return render(request, "funding/_preview.html", context)


@login_required
def application_detail(
    request: HttpRequest, pk: int, move_form: forms.MoveForm | None = None
) -> HttpResponse:
    """The application's screen (screens.application_screen) rendered; `move_form`: a refused move
    (application_move) shown again with its errors beside the fields."""
    try:
        screen = screens.application_screen(actor=request.user, pk=pk, with_history=False)
    except screens.DeclarationRequired as gate:
        if gate.assignment_id is None:
            raise Http404("未找到该申报，或您无权查看。") from None
        return redirect("funding:expert_review", pk=gate.assignment_id)
    context = {
        "s": screen,
        "app": screen.app,
        "move_form": move_form or forms.MoveForm(),
        "attachment_form": forms.AttachmentForm() if screen.can_upload else None,
        "assign_form": forms.ExpertAssignForm(experts=selectors.experts_available(actor=request.user))
        if screen.can_assign_experts
        else None,
    }
    return render(request, "funding/application_detail.html", context)


@login_required
def application_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The application's audit trail, newest first, HISTORY_SHOWN a page: inside the application page when its
    审计记录 is opened (htmx: the first page and a link to the rest), or as a page of its own with pages."""
    try:
        app, events = screens.application_history(actor=request.user, pk=pk)
    except screens.DeclarationRequired:
        raise Http404("未找到该申报，或您无权查看。") from None
    page = paginate(request, events, default=HISTORY_SHOWN, deferred=False)
    context = {"app": app, "page": page, "events": list(page)}
    if request.htmx:
        return render(request, "funding/_application_history.html", context)
    return render(request, "funding/application_history.html", context)


def _own_application(request: HttpRequest, pk: int) -> Application:
    """The application through the scope gate (404 alike for missing and forbidden), without the joins
    of selectors.application_get: the edit page and the submit need only the row (the service locks and
    reads the rest itself) — compiling and reading those joins was a fifth of a save (bench/bench_rush.py)."""
    return get_scoped_or_404(Application, request.user, "change", pk=pk)


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _own_application(request, pk)
    _require_page(request, "application.submit")
    initial = {
        "requested_amount": app.requested_amount or None,
        "declared_other_provincial_support": app.declared_other_provincial_support,
        "contact_person": app.contact_person,
        "contact_phone": app.contact_phone,
        "summary": app.summary,
    }
    form = forms.ApplicationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: services.application_update_draft(
                actor=request.user, application=app, data=form.cleaned_data
            ),
            success="已保存。",
        )
        if done:
            return redirect("funding:application_detail", pk=app.pk)
    return render(request, "funding/application_edit.html", {"app": app, "form": form})


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _own_application(request, pk)
    _run(
        request,
        None,
        lambda: services.application_submit(actor=request.user, application=app),
        success="申报已提交，等待县级初审。",
    )
    return redirect("funding:application_detail", pk=app.pk)


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_get(actor=request.user, pk=pk, action="change")
    form = forms.MoveForm(request.POST)
    if not form.is_valid():  # e.g. a ranking "第一" or "-3": said beside the field, nothing changes
        return application_detail(request, pk, move_form=form)
    cd = form.cleaned_data
    done = _run(
        request,
        form,
        lambda: services.application_transition(
            actor=request.user,
            application=app,
            action=cd["action"],
            comment=cd["comment"],
            rank=cd.get("rank"),
        ),
        success="已办理。",
    )
    if not done:
        return application_detail(request, pk, move_form=form)
    return redirect("funding:application_detail", pk=app.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_get(actor=request.user, pk=pk, action="change")
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            None,
            lambda: services.attachment_add(
                actor=request.user,
                application=app,
                name=form.cleaned_data["name"],
                upload=form.cleaned_data["file"],
            ),
            success="材料已上传。",
        )
    else:
        messages.error(request, "请填写材料名称并选择文件。")
    return redirect("funding:application_detail", pk=app.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
    if not selectors.may_read_application(actor=request.user, application=attachment.application):
        raise Http404("未找到该材料。")
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/")[-1]
    )


@login_required
@require_POST
def expert_assign(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "expert.assign")
    app = selectors.application_get(actor=request.user, pk=pk, action="change")
    form = forms.ExpertAssignForm(request.POST, experts=selectors.experts_available(actor=request.user))
    if form.is_valid():
        experts = list(
            selectors.experts_available(actor=request.user).filter(pk__in=form.cleaned_data["experts"])
        )
        _run(
            request,
            None,
            lambda: services.expert_assign(actor=request.user, application=app, experts=experts),
            success=f"已分配 {len(experts)} 位专家。",
        )
    else:
        messages.error(request, "请选择至少一位专家。")
    return redirect("funding:application_detail", pk=app.pk)
