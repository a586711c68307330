"""Printable documents (PDF) and the payment receipt download. Thin: the builders in funding.documents read
through the object's own selectors, so whoever may see the object may print it; anyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from jigai.accounts.roles import Role
from jigai.core.errors import NotFound
from jigai.web.pdf import pdf_response

from .. import documents, screens, selectors

__all__ = [
    "application_pdf",
    "approval_notice_pdf",
    "expert_sheet_pdf",
    "payment_receipt",
    "payment_record_pdf",
    "review_sheet_pdf",
]


def _answer(build: Callable[[], documents.Built]) -> HttpResponse:
    try:
        built = build()
    except (screens.DeclarationRequired, NotFound):
        # an expert who has not declared no conflict of interest, a notice of what is not yet awarded:
        # the document does not exist for them (as for an object out of scope)
        raise Http404("未找到该文书，或您无权查看。") from None
    return pdf_response(built.pdf, built.filename)


@login_required
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(lambda: documents.application_form(actor=request.user, pk=pk))


@login_required
def review_sheet_pdf(request: HttpRequest, pk: int, level: str) -> HttpResponse:
    return _answer(lambda: documents.review_sheet(actor=request.user, pk=pk, level=level))


@login_required
def expert_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(lambda: documents.expert_score_sheet(actor=request.user, pk=pk))


@login_required
def approval_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(lambda: documents.approval_notice(actor=request.user, pk=pk))


@login_required
def payment_record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(lambda: documents.payment_record(actor=request.user, pk=pk))


RECEIPT_ROLES = (Role.FINANCE, Role.PROVINCE)


@login_required
def payment_receipt(request: HttpRequest, pk: int) -> FileResponse:
    """The bank's receipt (回单) of a payment: finance and the province only, within their scope."""
    if request.user.role not in RECEIPT_ROLES:
        raise Http404("未找到该回单。")
    payment = selectors.payment_get(actor=request.user, pk=pk)
    if not payment.receipt:
        raise Http404("该笔拨付没有上传回单。")
    name = (
        f"回单-{payment.stage.application.tracking_no}-{payment.pk}.{payment.receipt.name.rsplit('.', 1)[-1]}"
    )
    return FileResponse(payment.receipt.open("rb"), as_attachment=True, filename=name)
