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
from jigai.core.errors import AccessDenied, DomainError

from .. import calc, exports, forms, screens, selectors, services
from ..models import AppStatus, Attachment
from ._helpers import _page, _query, _require_page, _run


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "application.view"):
        raise AccessDenied("您的角色不参与专项资金申报。")
    form = forms.QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    apps = selectors.application_list(actor=request.user, filters=filters)
    page = _page(request, apps)
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "counts": [
            (AppStatus(code).label, n)
            for code, n in sorted(selectors.application_counts(actor=request.user).items())
        ],
        "todo": selectors.QUEUE_STATUSES.get(request.user.role, ()),
        "labels": dict(calc.item_choices()),
    }
    return render(request, "funding/queue.html", context)


@login_required
def queue_export(request: HttpRequest) -> FileResponse:
    if not can(request.user, "application.view"):
        raise AccessDenied("您的角色不参与专项资金申报。")
    form = forms.QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
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
        screen = screens.application_screen(actor=request.user, pk=pk)
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
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_get(actor=request.user, pk=pk, action="change")
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
    app = selectors.application_get(actor=request.user, pk=pk, action="change")
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
