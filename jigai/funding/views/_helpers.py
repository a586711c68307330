"""What every funding page shares: permission check for a page, running a service, paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from jigai.accounts.permissions import can
from jigai.core.errors import AccessDenied, run_for_page

PAGE_SIZE = 20
NOTICE_PAGE_SIZE = 50  # rows of a public notice per page (the whole list: its Excel and PDF exports)


def _require_page(request: HttpRequest, *perms: str) -> None:
    if not any(can(request.user, p) for p in perms):
        raise AccessDenied("您的角色无权访问此页面。")


def _run(request: HttpRequest, form: Any, fn: Callable[[], Any], success: str | None = None) -> Any:
    """Call a service; a DomainError goes back on the form (or as a message) and changes nothing."""
    return run_for_page(request, fn, form=form, success=success or "")


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()
