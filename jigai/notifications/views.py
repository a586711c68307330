from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jigai.core.errors import NotFound

from .selectors import notification_list, unread_count
from .services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 30


@login_required
def notification_index(request: HttpRequest) -> HttpResponse:
    only_unread = request.GET.get("unread") == "1"
    qs = notification_list(request.user, {"unread": only_unread})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "only_unread": only_unread, "unread_total": unread_count(request.user)},
    )


def _back(request: HttpRequest) -> HttpResponseRedirect:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("notifications:list")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a message: mark it read and go to what it is about (or back to the list)."""
    try:
        n = notification_mark_read(actor=request.user, notification_id=pk)
    except NotFound as e:
        return render(request, "notifications/list.html", {"error": e.message, "page": None}, status=404)
    return redirect(n.url or "notifications:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification_mark_read(actor=request.user, notification_id=pk)
    except NotFound as e:
        return render(request, "notifications/list.html", {"error": e.message, "page": None}, status=404)
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = notification_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {n} 条消息标为已读。" if n else "没有未读消息。")
    return _back(request)
