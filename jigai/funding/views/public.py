"""Public pages (no sign-in): published guidelines and the public notice with masked codes."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .. import calc, exports, screens, selectors
from ._helpers import NOTICE_PAGE_SIZE


def public_guidelines(request: HttpRequest) -> HttpResponse:
    guidelines = selectors.guideline_public_list()
    labels = dict(calc.item_choices())
    return render(request, "funding/public_guidelines.html", {"guidelines": guidelines, "labels": labels})


def public_notices(request: HttpRequest) -> HttpResponse:
    return render(request, "funding/public_notices.html", {"notices": selectors.notice_public_list()})


def _public_notice(pk: int) -> Any:
    return get_object_or_404(selectors.notice_public_list(), pk=pk)


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _public_notice(pk)
    rows = Paginator(screens.notice_rows(notice), NOTICE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "funding/public_notice.html", {"notice": notice, "rows": rows})


def public_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _public_notice(pk)
    return exports.award_pdf(notice, selectors.notice_public_entries(notice), masked=True)
