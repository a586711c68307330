"""Rules that hold across the whole programme — every application, year, item and fund — not only inside
the case in front of the reviewer (policy 三, last paragraph, and 三（二）1-2's annual cap):

- prior support: an object (project, product, platform, title) with a pending or granted application in any
  year or item, or an award in the register of other provincial funds, is refused;
- once-only awards (三（三）1 promotion, 三（四）1-3 titles) are granted once per centre or title, ever; the
  promotion leaves the centre's provincial support open (三（三）1 "除继续享受省级制造业创新中心支持政策外");
- the 头雁 exception to one application a year: only for a verified 头雁 enterprise on an item the guideline
  declares as a 定额奖励 (fixed-amount) item;
- the 500万 per enterprise per year cap of 三（二）1 and 三（二）2 over all of the year's awards;
- fingerprints: the same invoice (or insurance policy) claimed by two applications is flagged and blocks the
  award until a reviewer clears it with a reason.

The checks are plain functions over the database; the submission and allocation services call them inside
their transaction, after locking the enterprise row, so two requests of one enterprise cannot both pass.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jigai.accounts.roles import Role
from jigai.core.money import wan_yuan

from .. import calc
from ..models import (
    DECIDED_STATUSES,
    NOT_COUNTED_STATUSES,
    Application,
    ClaimFingerprint,
    FingerprintFlag,
    FingerprintKind,
    FlagStatus,
    Guideline,
    OtherFundAward,
)
from ._common import DomainError, NotFound, audit

ZERO = Decimal("0")

PRIOR_SUPPORT_RULE = "对同一企业的同一项目，省级财政其他专项资金已支持的，原则上不再重复支持（政策三，末段）"
ONCE_ONLY_RULE = "一次性奖励，同一中心或称号只能获得一次"
# 一次性奖励: 三（三）1 (晋升国家级 3000万), 三（四）1, 2, 3.
ONCE_ONLY_ITEMS = frozenset({"3.3.1-national-promotion", "3.4.1", "3.4.2", "3.4.3"})
# 三（三）1: a centre promoted to national level "除继续享受省级制造业创新中心支持政策外" gets the
# promotion award — the promotion and the provincial-centre support of the same centre do not exclude
# each other.
_INNOVATION_CENTRE_ITEMS = frozenset({"3.3.1-cultivation", "3.3.1-provincial"})
_PROMOTION = "3.3.1-national-promotion"


def stacks(item: str, other_item: str) -> bool:
    """Whether two awards for the same object may both be held (三（三）1's promotion on top of the
    provincial-centre support). Never for the same item."""
    if item == other_item:
        return False
    pair = {item, other_item}
    return _PROMOTION in pair and bool(pair & _INNOVATION_CENTRE_ITEMS)


# ---------------------------------------------------------------------------------------------- identity


def name_key(name: str) -> str:
    """A project's name as the matching compares it: full-width folded (NFKC), lower case, without spaces
    and punctuation — "年产 10万台（套）装备项目" and "年产10万台(套)装备项目" are the same project."""
    folded = unicodedata.normalize("NFKC", name or "").lower()
    return re.sub(r"[\W_]+", "", folded)


def _target_name(target: Any) -> str:
    return getattr(target, "name", "") or ""


# ---------------------------------------------------------------------------------------------- refusals


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    field: str = ""

    def error(self) -> DomainError:
        return DomainError(self.message, field=self.field or None, code=self.code)


def live_applications() -> Any:
    """Applications that hold money or a claim on it: submitted and not withdrawn or rejected."""
    return Application.objects.exclude(status__in=NOT_COUNTED_STATUSES)


def same_object_application(*, target: Any, item: str, exclude_pk: int | None = None) -> Application | None:
    """Another pending or granted application for the same object, in any year or item, that this one may
    not stand beside (三 末段; once-only awards; the promotion stacks with the centre support)."""
    kind = target._meta.model_name
    others = live_applications().filter(**{kind: target})
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others.order_by("year", "pk"):
        if not stacks(item, other.item):
            return other
    return None


def other_fund_award(*, enterprise: Any, target: Any) -> OtherFundAward | None:
    """The register's award from another provincial fund for this enterprise (credit code) and this project:
    the registry object the officer linked, or the same project name."""
    kind = target._meta.model_name
    match = Q(**{kind: target})
    key = name_key(_target_name(target))
    if key:
        match |= Q(project_key=key)
    return OtherFundAward.objects.filter(uscc=enterprise.uscc).filter(match).order_by("year", "pk").first()


def prior_support_refusal(
    *, enterprise: Any, target: Any, item: str, exclude_pk: int | None = None
) -> Refusal | None:
    label = calc.TARGET_LABELS.get(target._meta.model_name, "对象")
    other = same_object_application(target=target, item=item, exclude_pk=exclude_pk)
    if other is not None:
        state = "已获资金安排" if other.status in DECIDED_STATUSES else "正在申报"
        if item in ONCE_ONLY_ITEMS and other.item == item:
            return Refusal(
                "once_only",
                f"不能提交：“{calc.item_title(item)}”为{ONCE_ONLY_RULE}。该{label}{other.year}年已申报"
                f"（{other.tracking_no}，{state}）。",
            )
        return Refusal(
            "already_supported",
            f"不能提交：{PRIOR_SUPPORT_RULE}。该{label}{other.year}年已申报"
            f"“{calc.item_title(other.item)}”（{other.tracking_no}，{state}）。",
        )
    award = other_fund_award(enterprise=enterprise, target=target)
    if award is not None:
        return Refusal(
            "already_supported",
            f"不能提交：{PRIOR_SUPPORT_RULE}。省级财政其他专项资金支持记录：{award.year}年"
            f"“{award.fund_name}”已支持“{award.project_name}”{wan_yuan(award.amount)}"
            f"{'（' + award.document_no + '）' if award.document_no else ''}。",
        )
    return None


# ---------------------------------------------------------------------------------------------- 头雁


def leading_goose_exception(*, enterprise: Any, guideline: Guideline, item: str, as_of: dt.date) -> bool:
    """三 末段 "除“头雁”企业定额奖励项目外": the exception holds only for an item this round declares as
    a 头雁 fixed-amount award, and only for an enterprise whose 头雁 qualification is verified and valid
    on the day."""
    from jigai.policy import is_fixed_amount
    from jigai.registry.facts import verified_qualification

    if item not in (guideline.leading_goose_items or []) or not is_fixed_amount(item):
        return False
    return verified_qualification(enterprise, "leading_goose", as_of) is not None


def clean_leading_goose_items(items: Any, open_items: list[str]) -> list[str]:
    """The guideline's 头雁 fixed-award items: open in the round and fixed-amount (定额) items only."""
    from jigai.policy import is_fixed_amount

    chosen = list(dict.fromkeys(items or []))
    for item in chosen:
        if item not in open_items:
            raise DomainError(
                f"“{calc.item_label(item)}”未在本指南开放，不能设为头雁企业定额奖励事项。",
                field="leading_goose_items",
            )
        if not is_fixed_amount(item):
            raise DomainError(
                f"“{calc.item_label(item)}”按比例测算，不是定额奖励，不能设为头雁企业定额奖励事项"
                "（政策三，末段：除“头雁”企业定额奖励项目外）。",
                field="leading_goose_items",
            )
    return chosen


def clean_proactive_items(items: Any, open_items: list[str]) -> list[str]:
    """免申即享 items (issue 13): open in the round and fixed awards (定额) whose conditions are all data the
    system holds and verifies; a rate × base item needs the enterprise's own figures, so it is refused."""
    from jigai.policy import is_fixed_amount

    chosen = list(dict.fromkeys(items or []))
    for item in chosen:
        if item not in open_items:
            raise DomainError(
                f"“{calc.item_label(item)}”未在本指南开放，不能设为免申即享事项。", field="proactive_items"
            )
        if not is_fixed_amount(item):
            raise DomainError(
                f"“{calc.item_label(item)}”按比例测算，须由企业申报投资或销售数据，不能设为免申即享事项。",
                field="proactive_items",
            )
    return chosen


# ---------------------------------------------------------------------------------------------- 500万 a year


def annual_cap_used(
    *, enterprise_id: int, year: int, item: str, exclude_pk: int | None = None, decided_only: bool = False
) -> Decimal | None:
    """What the enterprise's other awards of the year already take of the item's annual cap (三（二）1,
    2 "单个企业年度奖励金额最高不超过500万元"): granted amounts of decided applications plus the requested
    amounts of pending ones (only the decided ones with `decided_only`, as the allocation re-checks).
    None for an item without an annual cap."""
    from jigai.policy import annual_cap_group

    group = annual_cap_group(item)
    if group is None:
        return None
    sharing = [code for code, _ in calc.item_choices() if annual_cap_group(code) == group]
    others = live_applications().filter(enterprise_id=enterprise_id, year=year, item__in=sharing)
    if decided_only:
        others = others.filter(status__in=DECIDED_STATUSES)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    used = ZERO
    for status, granted, requested in others.values_list("status", "granted_amount", "requested_amount"):
        used += (granted or ZERO) if status in DECIDED_STATUSES else (requested or ZERO)
    return used


def lock_enterprise(enterprise_id: int) -> None:
    """Serialise the money decisions of one enterprise (two submissions or decisions at the same moment)."""
    from jigai.registry.models import Enterprise

    Enterprise.objects.select_for_update().filter(pk=enterprise_id).first()


# ---------------------------------------------------------------------------------------------- fingerprints


def _invoice_value(code: str, number: str) -> str:
    clean = re.sub(r"\s+", "", f"{code or ''}:{number or ''}").upper()
    return clean


def fingerprints_for(*, target: Any, item: str, as_of: dt.date) -> list[tuple[str, str, str]]:
    """(kind, value, label) of the documents the application claims: the sales invoices of an award item
    (dated on or before the application date), the insurance policies of a premium item."""
    from jigai.registry.models import Product

    if not isinstance(target, Product):
        return []
    out: list[tuple[str, str, str]] = []
    if item.endswith("-award"):
        for inv in target.invoices.filter(invoice_date__lte=as_of).order_by("pk"):
            code = getattr(inv, "code", "") or ""
            label = (
                f"发票 {code + ' ' if code else ''}{inv.number}"
                f"（{inv.invoice_date:%Y-%m-%d}，{inv.amount:,.2f} 元）"
            )
            out.append((FingerprintKind.INVOICE, _invoice_value(code, inv.number), label[:200]))
    elif item.endswith("-insurance"):
        for pol in target.insurance_policies.exclude(policy_number="").order_by("pk"):
            value = re.sub(r"\s+", "", f"{pol.insurer}:{pol.policy_number}").upper()
            out.append(
                (FingerprintKind.INSURANCE_POLICY, value, f"保单 {pol.insurer} {pol.policy_number}"[:200])
            )
    return out


def fingerprints_record(*, application: Application, as_of: dt.date) -> list[FingerprintFlag]:
    """Write the application's fingerprints (replacing those of an earlier submission) and flag every live
    application of any year or item that claims the same document. Returns the open flags."""
    ClaimFingerprint.objects.filter(application=application).delete()
    prints = fingerprints_for(target=application.target, item=application.item, as_of=as_of)
    ClaimFingerprint.objects.bulk_create(
        ClaimFingerprint(application=application, kind=kind, value=value, label=label)
        for kind, value, label in dict.fromkeys(prints)
    )
    for kind, value, label in prints:
        clashes = (
            ClaimFingerprint.objects.filter(kind=kind, value=value)
            .exclude(application=application)
            .exclude(application__status__in=NOT_COUNTED_STATUSES)
            .values_list("application_id", flat=True)
        )
        for other_id in clashes:
            FingerprintFlag.objects.get_or_create(
                application=application,
                other_application_id=other_id,
                kind=kind,
                value=value,
                defaults={"label": label},
            )
    return list(FingerprintFlag.objects.filter(application=application, status=FlagStatus.OPEN))


def open_flags(application: Application) -> list[FingerprintFlag]:
    return list(
        FingerprintFlag.objects.filter(application=application, status=FlagStatus.OPEN).select_related(
            "other_application"
        )
    )


REVIEWER_ROLES = (Role.COUNTY, Role.CITY, Role.PROVINCE)


def fingerprint_flag_clear(*, actor: Any, flag: FingerprintFlag, reason: str) -> FingerprintFlag:
    """A reviewer who reaches the application clears a flag after checking the documents, with a reason."""
    if getattr(actor, "role", None) not in REVIEWER_ROLES:
        raise NotFound("未找到该记录，或您无权查看。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写核查意见（为何不属于重复申报）。", field="reason")
    with transaction.atomic():
        locked = (
            FingerprintFlag.objects.restrict(actor, "change")
            .select_for_update(of=("self",))
            .filter(pk=flag.pk)
        ).first()
        if locked is None:
            raise NotFound("未找到该记录，或您无权查看。")
        if locked.status != FlagStatus.OPEN:
            raise DomainError("该疑点已核查，不能重复操作。", code="repeated")
        locked.status = FlagStatus.CLEARED
        locked.cleared_by = actor
        locked.cleared_at = timezone.now()
        locked.reason = reason[:2000]
        locked.save(update_fields=["status", "cleared_by", "cleared_at", "reason"])
        audit(
            actor=actor,
            action="clear_flag",
            obj=locked.application,
            before={"flag": locked.label, "status": FlagStatus.OPEN},
            after={"flag": locked.label, "status": FlagStatus.CLEARED, "reason": locked.reason},
            comment="核查排除重复申报疑点",
        )
    return locked


# ---------------------------------------------------------------------------------------------- allocation


def annual_cap_limit(*, application: Application, extra_used: Decimal = ZERO) -> Decimal | None:
    """What this application may still be granted under 三（二）'s annual cap once the enterprise's decided
    awards of the year (and `extra_used`, e.g. earlier lines of the same allocation) are counted: its frozen
    case evaluated again by the engine. None for an item without an annual cap."""
    used = annual_cap_used(
        enterprise_id=application.enterprise_id,
        year=application.year,
        item=application.item,
        exclude_pk=application.pk,
        decided_only=True,
    )
    if used is None or not application.snapshot.get("case"):
        return None
    result = calc.evaluate_frozen_case(
        application.snapshot["case"],
        overrides=application.guideline.parameter_overrides,
        round_year=application.guideline.year,
        annual_cap_used=used + extra_used,
    )
    return calc.ceiling_of(result) if result.get("eligible") else ZERO
