"""The province's register of awards from other provincial special funds (省级财政其他专项资金), the
data behind policy 三 末段 "对同一企业的同一项目，省级财政其他专项资金已支持的，原则上不再重复支持":
entered one by one or imported from Excel, matched on the credit code plus the project
(programme.other_fund_award)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jigai.accounts.permissions import require

from ..models import OtherFundAward
from ._common import DomainError, NotFound, audit, snapshot
from .programme import name_key

FIELDS = ("fund_name", "year", "uscc", "enterprise_name", "project_name", "amount", "document_no", "note")


def clean_other_fund_award(data: dict[str, Any]) -> dict[str, Any]:
    """Every field checked; a problem is a DomainError naming its field (nothing is saved). Shared by the
    form, the API and the Excel import."""
    from jigai.registry.uscc import validate_uscc

    out: dict[str, Any] = {}
    for key, label, limit in (
        ("fund_name", "资金名称", 200),
        ("enterprise_name", "企业名称", 200),
        ("project_name", "项目名称", 200),
    ):
        value = str(data.get(key) or "").strip()
        if not value:
            raise DomainError(f"请填写{label}。", field=key)
        if len(value) > limit:
            raise DomainError(f"{label}不能超过 {limit} 个字。", field=key)
        out[key] = value
    try:
        year = int(str(data.get("year") or "").strip())
    except ValueError:
        raise DomainError("安排年度应为四位年份，如 2024。", field="year") from None
    if not 2000 <= year <= 2100:
        raise DomainError("安排年度应为四位年份，如 2024。", field="year")
    out["year"] = year
    try:
        out["uscc"] = validate_uscc(str(data.get("uscc") or "").strip())
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="uscc") from None
    raw = str(data.get("amount") if data.get("amount") is not None else "").replace(",", "").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise DomainError("安排金额须为金额（元），如 3000000。", field="amount") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError("安排金额须为非负、最多两位小数的元。", field="amount")
    out["amount"] = amount
    out["document_no"] = str(data.get("document_no") or "").strip()[:100]
    out["note"] = str(data.get("note") or "").strip()[:2000]
    return out


def build_other_fund_award(*, actor: Any, clean: dict[str, Any]) -> OtherFundAward:
    """An unsaved register row from clean data: the enterprise linked by its credit code when registered."""
    from jigai.registry.models import Enterprise

    enterprise = Enterprise.objects.filter(uscc=clean["uscc"]).first()
    return OtherFundAward(
        **clean,
        project_key=name_key(clean["project_name"]),
        enterprise=enterprise,
        entered_by=actor,
    )


def other_fund_award_create(*, actor: Any, data: dict[str, Any]) -> OtherFundAward:
    require(actor, "otherfund.manage")
    clean = clean_other_fund_award(data)
    with transaction.atomic():
        award = build_other_fund_award(actor=actor, clean=clean)
        award.save()
        audit(actor=actor, action="create", obj=award, after=snapshot(award))
    return award


def other_fund_award_delete(*, actor: Any, award: OtherFundAward, reason: str) -> None:
    """A row entered by mistake is removed with a reason (the audit trail keeps what it said)."""
    require(actor, "otherfund.manage")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写删除原因。", field="reason")
    with transaction.atomic():
        locked = (
            OtherFundAward.objects.restrict(actor, "change").select_for_update().filter(pk=award.pk).first()
        )
        if locked is None:
            raise NotFound("未找到该记录，或您无权查看。")
        before = snapshot(locked)
        audit(actor=actor, action="delete", obj=locked, before=before, comment=f"删除：{reason[:500]}")
        locked.delete()
