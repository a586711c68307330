"""Deleting a draft application (its owner only): the delete button posts here, the page asks for
confirmation, the confirmed post deletes through services.application_delete_draft."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jigai.core.errors import NotFound

from .. import calc, selectors, services
from ._helpers import _require_page, _run

__all__ = ["application_delete"]


@login_required
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_page(request, "application.submit")
    app = selectors.application_get(actor=request.user, pk=pk, action="change")
    refusal = services.draft_refusal(actor=request.user, application=app)
    if isinstance(refusal, NotFound):
        raise Http404(refusal.message)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        tracking_no = app.tracking_no
        done = _run(
            request,
            None,
            lambda: services.application_delete_draft(actor=request.user, application=app),
            success=f"申报草稿 {tracking_no} 已删除。",
        )
        if done:
            return redirect("funding:queue")
        return redirect("funding:application_detail", pk=pk)
    context = {
        "app": app,
        "item_label": calc.item_label(app.item),
        "target_label": calc.TARGET_LABELS.get(app.target_kind, ""),
        "attachments": app.attachments.all(),
        "refusal": refusal,
    }
    return render(request, "funding/application_delete.html", context)
