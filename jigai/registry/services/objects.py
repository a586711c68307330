"""Products (三（二）), platforms (三（三）) and titles (三（四）) with their child rows. Every change is made
by the enterprise's own user or a reviewer of its region, validated whole, and audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models, transaction

from jigai.audit.services import audit_record
from jigai.core.errors import InvalidInput

from ..models import (
    Enterprise,
    InsurancePeriod,
    InsurancePolicy,
    InternetPlatformStatus,
    Platform,
    PlatformAssessment,
    PlatformKind,
    PlatformLevel,
    Product,
    ProductRecognition,
    SalesInvoice,
    Title,
)
from .common import apply, full_clean, require_enterprise_editor, snapshot

PRODUCT_FIELDS = ("kind", "name", "model_spec", "description")
RECOGNITION_FIELDS = ("level", "recognized_on", "document_no", "certificate")
POLICY_FIELDS = ("insurer", "policy_number", "insured_amount")
PERIOD_FIELDS = ("start", "months", "premium")
INVOICE_FIELDS = ("code", "number", "invoice_date", "amount", "buyer")
PLATFORM_FIELDS = (
    "kind",
    "name",
    "level",
    "internet_status",
    "listed_on",
    "accepted_on",
    "rd_pilot_equipment_investment",
    "equipment_investment",
    "service_revenue",
    "completed",
    "promoted_to_national",
    "description",
)
ASSESSMENT_FIELDS = ("year", "rank")
TITLE_FIELDS = ("kind", "name", "awarded_by", "awarded_on", "document_no", "certificate")

# Which levels each platform kind may have (policy 三（三）).
PLATFORM_LEVELS = {
    PlatformKind.INNOVATION_CENTER: {
        PlatformLevel.CULTIVATION,
        PlatformLevel.PROVINCIAL,
        PlatformLevel.NATIONAL,
        PlatformLevel.NATIONAL_BRANCH,
    },
    PlatformKind.SME_SERVICE: {PlatformLevel.MUNICIPAL, PlatformLevel.PROVINCIAL, PlatformLevel.NATIONAL},
    PlatformKind.INDUSTRIAL_INTERNET: {""},
}


def _non_negative(obj: models.Model, names: tuple[str, ...]) -> None:
    errors = {
        n: ["金额不能为负数。"] for n in names if getattr(obj, n) is not None and Decimal(getattr(obj, n)) < 0
    }
    if errors:
        raise InvalidInput(errors)


def _enterprise_of(obj: models.Model) -> Enterprise:
    for path in ("enterprise", "product", "platform", "policy"):
        if hasattr(obj, f"{path}_id"):
            parent = getattr(obj, path)
            return parent if isinstance(parent, Enterprise) else _enterprise_of(parent)
    raise TypeError(f"{type(obj).__name__} has no enterprise")


def _create(actor: Any, obj: models.Model, data: dict[str, Any], fields: tuple[str, ...], check=None) -> Any:
    require_enterprise_editor(actor, _enterprise_of(obj))
    apply(obj, data, fields)
    if check:
        check(obj)
    full_clean(obj)
    obj.save()
    audit_record(actor=actor, action="create", obj=obj, after=snapshot(obj))
    return obj


def _update(actor: Any, obj: models.Model, data: dict[str, Any], fields: tuple[str, ...], check=None) -> Any:
    # Re-read (locked) first, so the permission check judges the stored row, not the caller's copy.
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    require_enterprise_editor(actor, _enterprise_of(obj))
    before = snapshot(obj)
    apply(obj, data, fields)
    if check:
        check(obj)
    full_clean(obj)
    after = snapshot(obj)
    if after != before:
        obj.save()
        audit_record(actor=actor, action="update", obj=obj, before=before, after=after)
    return obj


def _delete(actor: Any, obj: models.Model) -> None:
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    require_enterprise_editor(actor, _enterprise_of(obj))
    audit_record(actor=actor, action="delete", obj=obj, before=snapshot(obj))
    obj.delete()


# ---------------------------------------------------------------------------------------------- products


@transaction.atomic
def product_create(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Product:
    return _create(actor, Product(enterprise=enterprise), data, PRODUCT_FIELDS)


@transaction.atomic
def product_update(*, actor: Any, product: Product, data: dict[str, Any]) -> Product:
    return _update(actor, product, data, PRODUCT_FIELDS)


def _check_recognition(r: ProductRecognition) -> None:
    if ProductRecognition.objects.filter(product=r.product, level=r.level).exclude(pk=r.pk).exists():
        raise InvalidInput({"level": ["该产品已有同级别的认定记录。"]})


@transaction.atomic
def recognition_create(*, actor: Any, product: Product, data: dict[str, Any]) -> ProductRecognition:
    return _create(actor, ProductRecognition(product=product), data, RECOGNITION_FIELDS, _check_recognition)


@transaction.atomic
def recognition_delete(*, actor: Any, recognition: ProductRecognition) -> None:
    _delete(actor, recognition)


@transaction.atomic
def insurance_policy_create(
    *, actor: Any, product: Product, data: dict[str, Any], periods: list[dict[str, Any]] | None = None
) -> InsurancePolicy:
    """A policy with its periods, written together (all or nothing)."""
    policy = _create(
        actor,
        InsurancePolicy(product=product),
        data,
        POLICY_FIELDS,
        lambda p: _non_negative(p, ("insured_amount",)),
    )
    for period in periods or []:
        insurance_period_create(actor=actor, policy=policy, data=period)
    return policy


def _check_period(p: InsurancePeriod) -> None:
    _non_negative(p, ("premium",))
    if p.months is not None and p.months < 1:
        raise InvalidInput({"months": ["保险期限至少 1 个月。"]})


@transaction.atomic
def insurance_period_create(*, actor: Any, policy: InsurancePolicy, data: dict[str, Any]) -> InsurancePeriod:
    return _create(actor, InsurancePeriod(policy=policy), data, PERIOD_FIELDS, _check_period)


@transaction.atomic
def insurance_period_delete(*, actor: Any, period: InsurancePeriod) -> None:
    _delete(actor, period)


def _check_invoice(inv: SalesInvoice) -> None:
    _non_negative(inv, ("amount",))
    # 发票代码 + 发票号码 identify the invoice (the code is blank on fully digital invoices).
    inv.code = (inv.code or "").strip()
    number = (inv.number or "").strip()
    same = SalesInvoice.objects.filter(product=inv.product, code=inv.code, number=number).exclude(pk=inv.pk)
    if number and same.exists():
        raise InvalidInput({"number": ["该发票（发票代码与号码）已登记。"]})


@transaction.atomic
def invoice_create(*, actor: Any, product: Product, data: dict[str, Any]) -> SalesInvoice:
    return _create(actor, SalesInvoice(product=product), data, INVOICE_FIELDS, _check_invoice)


@transaction.atomic
def invoice_delete(*, actor: Any, invoice: SalesInvoice) -> None:
    _delete(actor, invoice)


# ---------------------------------------------------------------------------------------------- platforms


def _check_platform(p: Platform) -> None:
    errors: dict[str, list[str]] = {}
    levels = PLATFORM_LEVELS.get(p.kind)
    if levels is not None and (p.level or "") not in levels:
        if p.kind == PlatformKind.INDUSTRIAL_INTERNET:
            errors["level"] = ["工业互联网平台不填级别，请选择平台状态。"]
        else:
            allowed = "、".join(PlatformLevel(v).label for v in PLATFORM_LEVELS[p.kind])
            errors["level"] = [f"该类平台的级别应为：{allowed}。"]
    if p.kind != PlatformKind.INDUSTRIAL_INTERNET and p.internet_status != InternetPlatformStatus.NONE:
        errors["internet_status"] = ["只有工业互联网平台填写平台状态。"]
    if p.accepted_on and p.listed_on and p.accepted_on < p.listed_on:
        errors["accepted_on"] = ["验收日期不能早于列入名单日期。"]
    if p.promoted_to_national and p.kind != PlatformKind.INNOVATION_CENTER:
        errors["promoted_to_national"] = ["只有制造业创新中心可以晋升国家级。"]
    if errors:
        raise InvalidInput(errors)
    _non_negative(p, ("rd_pilot_equipment_investment", "equipment_investment", "service_revenue"))


@transaction.atomic
def platform_create(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Platform:
    return _create(actor, Platform(enterprise=enterprise), data, PLATFORM_FIELDS, _check_platform)


@transaction.atomic
def platform_update(*, actor: Any, platform: Platform, data: dict[str, Any]) -> Platform:
    return _update(actor, platform, data, PLATFORM_FIELDS, _check_platform)


def _check_assessment(a: PlatformAssessment) -> None:
    if a.platform.kind != PlatformKind.SME_SERVICE:
        raise InvalidInput({"__all__": ["只有中小企业公共服务平台有年度考核。"]})
    if PlatformAssessment.objects.filter(platform=a.platform, year=a.year).exclude(pk=a.pk).exists():
        raise InvalidInput({"year": [f"{a.year} 年度的考核结果已登记。"]})


@transaction.atomic
def assessment_create(*, actor: Any, platform: Platform, data: dict[str, Any]) -> PlatformAssessment:
    return _create(actor, PlatformAssessment(platform=platform), data, ASSESSMENT_FIELDS, _check_assessment)


@transaction.atomic
def assessment_delete(*, actor: Any, assessment: PlatformAssessment) -> None:
    _delete(actor, assessment)


# ---------------------------------------------------------------------------------------------- titles


@transaction.atomic
def title_create(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Title:
    return _create(actor, Title(enterprise=enterprise), data, TITLE_FIELDS)


@transaction.atomic
def title_update(*, actor: Any, title: Title, data: dict[str, Any]) -> Title:
    return _update(actor, title, data, TITLE_FIELDS)
