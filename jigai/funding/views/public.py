"""Public pages (no sign-in): published guidelines and the public notice with masked codes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .. import calc, exports, selectors, services


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
    rows = []
    for e in selectors.notice_public_entries(notice):
        a = e.application
        rows.append(
            {
                "tracking_no": a.tracking_no,
                "enterprise": a.enterprise.name,
                "uscc": services.mask_uscc(a.enterprise.uscc),
                "region": a.enterprise.region.name,
                "item": calc.item_label(a.item),
                "contact": services.mask_name(a.contact_person),
                "phone": services.mask_phone(a.contact_phone),
                "granted": e.granted_amount,
            }
        )
    return render(request, "funding/public_notice.html", {"notice": notice, "rows": rows})


def public_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _public_notice(pk)
    return exports.award_pdf(notice, selectors.notice_public_entries(notice), masked=True)
