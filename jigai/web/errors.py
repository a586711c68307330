"""The 403 and 404 pages (config/urls.py's handler403/handler404): Chinese, inside the shell.

A reason reaches the page only when it is a Chinese message (a DomainError's, or a Chinese Http404 text);
Django's own English texts ("No Application matches the given query.") never show. The 500 page is
Django's own `server_error`, which renders 500.html without a request context (base.html copes).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _reason(exception: Exception | None) -> str:
    message = getattr(exception, "message", None) or (
        exception.args[0] if exception and exception.args else ""
    )
    message = str(message or "")
    return message if _CHINESE.search(message) else ""


def _back(request: HttpRequest) -> str:
    """The page the user came from, when it is one of ours (and not this very page)."""
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if same_site and referer != request.build_absolute_uri() else ""


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"reason": _reason(exception), "back": _back(request)}
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"reason": _reason(exception), "back": _back(request), "request_path": request.path}
    return render(request, "404.html", context, status=404)
