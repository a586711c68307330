"""What every funding page shares: permission check for a page, running a service, paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

from jigai.accounts.permissions import can
from jigai.core.errors import AccessDenied, DomainError, NotFound, add_to_form

PAGE_SIZE = 20


def _require_page(request: HttpRequest, *perms: str) -> None:
    if not any(can(request.user, p) for p in perms):
        raise AccessDenied("您的角色无权访问此页面。")


def _run(request: HttpRequest, form: Any, fn: Callable[[], Any], success: str | None = None) -> Any:
    """Call a service; a DomainError goes back on the form (or as a message) and changes nothing."""
    try:
        result = fn()
    except NotFound:
        raise Http404("未找到该记录，或您无权查看。") from None
    except AccessDenied:
        raise
    except DomainError as exc:
        if form is not None:
            add_to_form(form, exc)
        else:
            messages.error(request, exc.message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()
