"""The calculator's facts, derived from registry objects (never retyped).

`calculator_case(obj=…, item=…, as_of=…)` builds one case of the policy calculator contract
(spec/policy-calculator.md, "Facts by item") for a Project (三（一）), a Product (三（二）; an InsurancePolicy
for the insurance items), a Platform (三（三）) or a Title (三（四））. `items_for(obj)` says which items an
object can apply for. Whether it is *eligible* is the engine's business, not ours: we only state facts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jigai.core.errors import DomainError

from .models import (
    CALCULATOR_QUALIFICATIONS,
    TITLES_341,
    TITLES_342,
    AwardedBy,
    Enterprise,
    InsurancePolicy,
    Platform,
    PlatformKind,
    PlatformLevel,
    Product,
    ProductKind,
    Project,
    Qualification,
    RecognitionLevel,
    Title,
    TitleKind,
)

CENT = Decimal("0.01")
PROJECT_ITEMS = ("3.1.1", "3.1.2", "3.1.3")
MACHINE_ITEM = "3.1.4"
PRODUCT_ITEMS = {
    ProductKind.FIRST_SET: ("3.2.1-insurance", "3.2.1-award"),
    ProductKind.FIRST_VERSION: ("3.2.2-insurance", "3.2.2-award"),
}
PLATFORM_ITEMS = {
    PlatformKind.INNOVATION_CENTER: ("3.3.1-cultivation", "3.3.1-provincial", "3.3.1-national-promotion"),
    PlatformKind.INDUSTRIAL_INTERNET: ("3.3.2",),
    PlatformKind.SME_SERVICE: ("3.3.3",),
}


class FactsError(DomainError):
    """The object lacks something the item needs (e.g. a software product without its provincial
    recognition date): the application cannot be computed until it is entered."""

    default_code = "facts_missing"


def money(value: Decimal | int | None) -> str:
    """Money as the contract wants it: a plain decimal string of yuan with 2 decimals."""
    return format(Decimal(value or 0).quantize(CENT), "f")


def _iso(d: dt.date) -> str:
    return d.isoformat()


def items_for(obj: Any) -> list[str]:
    """The items of policy 三 that `obj` can apply for (its shape fits the item's facts)."""
    if isinstance(obj, Project):
        items = list(PROJECT_ITEMS)
        if obj.is_machine_replacement:
            items.append(MACHINE_ITEM)
        return items
    if isinstance(obj, Product):
        return list(PRODUCT_ITEMS.get(obj.kind, ()))
    if isinstance(obj, InsurancePolicy):
        return [PRODUCT_ITEMS[obj.product.kind][0]]
    if isinstance(obj, Platform):
        return list(PLATFORM_ITEMS.get(obj.kind, ()))
    if isinstance(obj, Title):
        if obj.kind in TITLES_341:
            return ["3.4.1"]
        if obj.kind in TITLES_342:
            return ["3.4.2"]
        if obj.kind == TitleKind.NEW_MODE:
            return ["3.4.3"]
        return []
    return []


def _enterprise_of(obj: Any) -> Enterprise:
    if isinstance(obj, InsurancePolicy):
        return obj.product.enterprise
    return obj.enterprise


def verified_qualification(enterprise: Enterprise, kind: str, as_of: dt.date) -> Qualification | None:
    """The enterprise's qualification of `kind` that counts on `as_of`: verified by an officer (issue 7:
    a qualification is a fact someone vouches for) and in force (valid_from ≤ as_of ≤ valid_to); the one
    valid longest when several are. None when there is none: an unverified, rejected or expired claim never
    counts for money (三（一）2、3 and the 头雁 exception of 三 末段)."""
    return (
        Qualification.objects.filter(enterprise=enterprise, kind=kind)
        .verified_on(as_of)
        .order_by("-valid_to", "pk")
        .first()
    )


def applicant(enterprise: Enterprise, as_of: dt.date) -> dict[str, Any]:
    """The contract's applicant: code; in_henan = registered in a Henan region (code 41…), declared
    “研发、生产在河南省内” and confirmed by the county (三（二）1 “省内研发制造单位”); and the calculator's
    qualifications that are verified and in force on as_of — an unverified claim never reaches it."""
    quals = [
        {"kind": str(q.kind), "valid_from": _iso(q.valid_from), "valid_to": _iso(q.valid_to)}
        for q in Qualification.objects.filter(enterprise=enterprise, kind__in=CALCULATOR_QUALIFICATIONS)
        .verified_on(as_of)
        .order_by("kind", "valid_from", "pk")
    ]
    return {"uscc": enterprise.uscc, "in_henan": enterprise.in_henan, "qualifications": quals}


# ---------------------------------------------------------------------------------------------- 三（一）


def _project_facts(p: Project, item: str) -> dict[str, Any]:
    if item == "3.1.1":
        return {
            "project_type": str(p.category),
            "equipment_investment": money(p.equipment_investment),
            "software_investment": money(p.software_investment),
        }
    if item in ("3.1.2", "3.1.3"):
        return {
            "equipment_investment": money(p.equipment_investment),
            "software_investment": money(p.software_investment),
        }
    return {"machine_purchase_investment": money(p.machine_purchase_investment)}


# ---------------------------------------------------------------------------------------------- 三（二）


def _recognitions(product: Product, as_of: dt.date) -> list[str]:
    """Recognition levels held on as_of, national first."""
    levels = {r.level for r in product.recognitions.all() if r.recognized_on <= as_of}
    return [lv.value for lv in (RecognitionLevel.NATIONAL, RecognitionLevel.PROVINCIAL) if lv in levels]


def _insurance_facts(product: Product, policy: InsurancePolicy | None, as_of: dt.date) -> dict[str, Any]:
    """A policy's periods in time order. For a product with several policies (yearly renewals) the periods
    of all of them count, and the smallest insured amount is used, so the ceiling never exceeds what any
    period allows (the contract has one insured amount per case)."""
    policies = [policy] if policy is not None else list(product.insurance_policies.all())
    if not policies:
        raise FactsError("该产品尚未登记保单，无法计算保费补贴。", field="insurance")
    # A period that starts after the application date is not insured yet, nor its premium paid: it cannot
    # be claimed on that date (三（二）1、2 “年度保费实际支出”, “据实核算”) and never reaches the calculator.
    periods = sorted(
        (pd for pol in policies for pd in pol.periods.all() if pd.start <= as_of),
        key=lambda pd: (pd.start, pd.pk),
    )
    if not periods:
        raise FactsError(
            "申报日前尚无已起保的保险期间（或尚未登记保险期间和保费），无法计算保费补贴。", field="insurance"
        )
    return {
        "recognitions": _recognitions(product, as_of),
        "insured_amount": money(min(pol.insured_amount for pol in policies)),
        "periods": [
            {"start": _iso(pd.start), "months": pd.months, "premium": money(pd.premium)} for pd in periods
        ],
    }


def _invoices(product: Product, as_of: dt.date) -> list[Any]:
    """Invoices issued on or before the application date: one dated later is not a sale yet (三（二）1
    “销售发票金额”, 2 “产品销售（服务）发票金额”) and never reaches the calculator."""
    return [inv for inv in product.invoices.all() if inv.invoice_date <= as_of]


def _first_set_award_facts(product: Product, as_of: dt.date) -> dict[str, Any]:
    total = sum((inv.amount for inv in _invoices(product, as_of)), Decimal(0))
    return {
        "products": [
            {
                "name": product.name[:200],
                "recognitions": _recognitions(product, as_of),
                "sales_invoice_amount": money(total),
            }
        ]
    }


def _software_award_facts(product: Product, as_of: dt.date) -> dict[str, Any]:
    provincial = [
        r.recognized_on
        for r in product.recognitions.all()
        if r.level == RecognitionLevel.PROVINCIAL and r.recognized_on <= as_of
    ]
    if not provincial:
        raise FactsError("该软件产品尚无省级首版次认定（认定日期），无法计算奖励。", field="recognitions")
    return {
        "products": [
            {
                "name": product.name[:200],
                "recognized_on": _iso(min(provincial)),
                "invoices": [
                    {"date": _iso(inv.invoice_date), "amount": money(inv.amount)}
                    for inv in _invoices(product, as_of)
                ],
            }
        ]
    }


# ---------------------------------------------------------------------------------------------- 三（三）


def _centre_level(p: Platform) -> str:
    """The calculator's centre level: provincial, national_branch or none. A centre promoted from the
    provincial list to national keeps the provincial policy (三（三）1 除继续享受省级…支持政策外)."""
    if p.level == PlatformLevel.PROVINCIAL:
        return "provincial"
    if p.level == PlatformLevel.NATIONAL_BRANCH:
        return "national_branch"
    if p.level == PlatformLevel.NATIONAL and p.promoted_to_national:
        return "provincial"
    return "none"


def _assessment_rank(p: Platform, as_of: dt.date) -> int | None:
    """The rank of the latest assessment year not after as_of's year (None when unranked or none)."""
    latest = p.assessments.filter(year__lte=as_of.year).order_by("-year").first()
    return latest.rank if latest else None


def _platform_facts(p: Platform, item: str, as_of: dt.date) -> dict[str, Any]:
    if item == "3.3.1-cultivation":
        return {
            "on_cultivation_list": p.level == PlatformLevel.CULTIVATION,
            "completed": p.completed,
            "rd_pilot_equipment_investment": money(p.rd_pilot_equipment_investment),
        }
    if item == "3.3.1-provincial":
        return {
            "level": _centre_level(p),
            "equipment_investment": money(p.equipment_investment),
            "service_revenue": money(p.service_revenue),
        }
    if item == "3.3.1-national-promotion":
        return {"level": _centre_level(p), "promoted_to_national": p.promoted_to_national}
    if item == "3.3.2":
        return {
            "status": str(p.internet_status),
            "accepted": p.accepted_on is not None and p.accepted_on <= as_of,
        }
    return {"level": str(p.level or "municipal"), "assessment_rank": _assessment_rank(p, as_of)}


# ---------------------------------------------------------------------------------------------- 三（四）


def _title_facts(t: Title, item: str) -> dict[str, Any]:
    if item == "3.4.3":
        return {"provincially_recognized": t.kind == TitleKind.NEW_MODE}
    by = t.awarded_by if t.awarded_by in (AwardedBy.STATE_COUNCIL, AwardedBy.MIIT) else AwardedBy.OTHER
    return {"title": str(t.kind), "awarded_by": str(by)}


# ---------------------------------------------------------------------------------------------- the case


def facts_for(*, obj: Any, item: str, as_of: dt.date) -> dict[str, Any]:
    """The `facts` of one case (see the contract's "Facts by item")."""
    if item not in items_for(obj):
        raise FactsError(f"该对象不能申报事项 {item}。", field="item")
    if isinstance(obj, Project):
        return _project_facts(obj, item)
    if isinstance(obj, InsurancePolicy):
        return _insurance_facts(obj.product, obj, as_of)
    if isinstance(obj, Product):
        if item.endswith("-insurance"):
            return _insurance_facts(obj, None, as_of)
        if item == "3.2.1-award":
            return _first_set_award_facts(obj, as_of)
        return _software_award_facts(obj, as_of)
    if isinstance(obj, Platform):
        return _platform_facts(obj, item, as_of)
    return _title_facts(obj, item)


def calculator_case(
    *, obj: Any, item: str, as_of: dt.date, other_provincial_support: bool = False
) -> dict[str, Any]:
    """One case of the calculator contract for `obj` under `item`, judged on `as_of`."""
    facts = facts_for(obj=obj, item=item, as_of=as_of)
    return {
        "id": f"{obj._meta.model_name}-{obj.pk}-{item}",
        "item": item,
        "as_of": _iso(as_of),
        "applicant": applicant(_enterprise_of(obj), as_of),
        "other_provincial_support": bool(other_provincial_support),
        "facts": facts,
    }
