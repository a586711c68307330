"""The year's guideline (申报指南): create, update, budgets, publish, extend the window, close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require

from .. import calc
from ..models import Guideline, GuidelineBudget, GuidelineStatus, ItemGroup, item_group_of
from ._common import Conflict, DomainError, audit, snapshot
from .programme import clean_leading_goose_items, clean_proactive_items

EDITABLE_FIELDS = (
    "year",
    "title",
    "policy_version",
    "items",
    "opens_at",
    "closes_at",
    "notice_days",
    "parameter_overrides",
    "leading_goose_items",
    "proactive_items",
    "description",
)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check the fields given; every problem is a DomainError naming its field (nothing is saved)."""
    out = dict(data)
    if "title" in out and not str(out["title"]).strip():
        raise DomainError("请填写指南名称。", field="title")
    if "year" in out:
        try:
            year = int(out["year"])
        except (TypeError, ValueError):
            raise DomainError("申报年度应为四位年份。", field="year") from None
        if not 2022 <= year <= 2100:
            raise DomainError("申报年度应在 2022 年（政策施行）之后。", field="year")
        out["year"] = year
    if "items" in out:
        items = list(out["items"] or [])
        known = dict(calc.item_choices())
        unknown = [i for i in items if i not in known]
        if not items:
            raise DomainError("请至少开放一个申报事项。", field="items")
        if unknown:
            raise DomainError(f"未知的申报事项：{'、'.join(unknown)}。", field="items")
        out["items"] = sorted(set(items), key=items.index)
    if "notice_days" in out:
        try:
            days = int(out["notice_days"])
        except (TypeError, ValueError):
            raise DomainError("公示期应为 1 至 30 个工作日。", field="notice_days") from None
        if not 1 <= days <= 30:
            raise DomainError("公示期应为 1 至 30 个工作日。", field="notice_days")
        out["notice_days"] = days
    if "parameter_overrides" in out:
        overrides = out["parameter_overrides"] or {}
        if not isinstance(overrides, dict):
            raise DomainError(
                '本轮参数调整须为 JSON 对象，如 {"3.1.1.threshold": "20000000"}。',
                field="parameter_overrides",
            )
        # the engine's bounds: a cap above the policy's "最高不超过" is refused (field parameter_overrides)
        calc.validate_overrides(overrides, round_year=out.get("year"))
        out["parameter_overrides"] = overrides
    return out


def _check_window(guideline: Guideline) -> None:
    if guideline.closes_at <= guideline.opens_at:
        raise DomainError("申报截止时间须晚于开始时间。", field="closes_at")


def _clean_budgets(budgets: dict[str, Any]) -> dict[str, Decimal]:
    clean: dict[str, Decimal] = {}
    for group, raw in budgets.items():
        if group not in ItemGroup.values:
            raise DomainError(f"未知的资金类别：{group}。", field="budgets")
        if raw in (None, ""):
            continue
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            raise DomainError(f"{ItemGroup(group).label}的预算金额不是有效数字。", field="budgets") from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise DomainError(
                f"{ItemGroup(group).label}的预算金额须为非负、最多两位小数的元。", field="budgets"
            )
        clean[group] = amount
    return clean


def _save_budgets(guideline: Guideline, budgets: dict[str, Decimal]) -> None:
    for group, amount in budgets.items():
        GuidelineBudget.objects.update_or_create(
            guideline=guideline, item_group=group, defaults={"amount": amount}
        )


def guideline_create(*, actor: Any, data: dict[str, Any], budgets: dict[str, Any] | None = None) -> Guideline:
    require(actor, "guideline.manage")
    data = _clean(data)
    clean_budgets = _clean_budgets(budgets or {})
    missing = [f for f in ("year", "title", "items", "opens_at", "closes_at") if not data.get(f)]
    if missing:
        raise DomainError("请填写必填项。", field=missing[0])
    with transaction.atomic():
        guideline = Guideline(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS}, created_by=actor)
        _check_window(guideline)
        guideline.leading_goose_items = clean_leading_goose_items(
            guideline.leading_goose_items, guideline.items
        )
        guideline.proactive_items = clean_proactive_items(guideline.proactive_items, guideline.items)
        guideline.save()
        _save_budgets(guideline, clean_budgets)
        audit(actor=actor, action="create", obj=guideline, after=snapshot(guideline))
    return guideline


def guideline_update(
    *, actor: Any, guideline: Guideline, data: dict[str, Any], budgets: dict[str, Any] | None = None
) -> Guideline:
    """A draft can be changed freely; a published guideline keeps its items and parameters (applications
    were evaluated under them) — only the description and budgets may still change."""
    require(actor, "guideline.manage")
    data = _clean(data)
    clean_budgets = _clean_budgets(budgets or {})
    with transaction.atomic():
        locked = Guideline.objects.select_for_update().get(pk=guideline.pk)
        if locked.status != GuidelineStatus.DRAFT:
            frozen = {
                "year",
                "items",
                "parameter_overrides",
                "leading_goose_items",
                "proactive_items",
                "opens_at",
                "closes_at",
                "policy_version",
            }
            changed = [f for f in frozen if f in data and data[f] != getattr(locked, f)]
            if changed:
                raise DomainError(
                    "指南已发布，申报事项、年度、参数和申报时间不能再修改（延长申报时间请使用“延长申报期”）。",
                    field=changed[0],
                )
        before = snapshot(locked)
        for field, value in data.items():
            if field in EDITABLE_FIELDS:
                setattr(locked, field, value)
        _check_window(locked)
        locked.leading_goose_items = clean_leading_goose_items(locked.leading_goose_items, locked.items)
        locked.proactive_items = clean_proactive_items(locked.proactive_items, locked.items)
        locked.save()
        _save_budgets(locked, clean_budgets)
        audit(actor=actor, action="update", obj=locked, before=before, after=snapshot(locked))
    return locked


def publish_refusal(guideline: Guideline) -> DomainError | None:
    """Why `guideline` cannot be published now (None when it can): a draft only, with at least one item
    and a budget for every item group it opens. guideline_publish raises it; the guideline page shows 发布指南
    disabled with the same message."""
    if guideline.status != GuidelineStatus.DRAFT:
        return Conflict("该指南已发布，不能重复发布。")
    if not guideline.items:
        return DomainError("请至少开放一个申报事项。", field="items")
    groups = {item_group_of(i) for i in guideline.items}
    budgeted = set(guideline.budgets.values_list("item_group", flat=True))
    missing = sorted(groups - budgeted)
    if missing:
        return DomainError(
            "请先设置预算：" + "、".join(ItemGroup(g).label for g in missing) + "。", field="budgets"
        )
    return None


def guideline_publish(*, actor: Any, guideline: Guideline) -> Guideline:
    require(actor, "guideline.manage")
    with transaction.atomic():
        locked = Guideline.objects.select_for_update().get(pk=guideline.pk)
        refusal = publish_refusal(locked)
        if refusal is not None:
            raise refusal
        # Parameters are validated again: the engine's parameter files may have changed since the draft.
        calc.validate_overrides(locked.parameter_overrides, round_year=locked.year)
        before = snapshot(locked, ["status"])
        locked.status = GuidelineStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit(actor=actor, action="publish", obj=locked, before=before, after=snapshot(locked, ["status"]))
    return locked


def guideline_extend_window(
    *, actor: Any, guideline: Guideline, closes_at: dt.datetime, reason: str
) -> Guideline:
    require(actor, "guideline.manage")
    if not reason.strip():
        raise DomainError("请填写延长申报期的理由。", field="reason")
    with transaction.atomic():
        locked = Guideline.objects.select_for_update().get(pk=guideline.pk)
        if locked.status == GuidelineStatus.CLOSED:
            raise Conflict("该指南已结束，不能延长申报期。")
        if closes_at <= locked.closes_at:
            raise DomainError("新的截止时间须晚于原截止时间。", field="closes_at")
        before = snapshot(locked, ["closes_at"])
        locked.closes_at = closes_at
        locked.save(update_fields=["closes_at", "updated_at"])
        audit(
            actor=actor,
            action="update",
            obj=locked,
            before=before,
            after=snapshot(locked, ["closes_at"]),
            comment=f"延长申报期：{reason.strip()}",
        )
    return locked


def guideline_close(*, actor: Any, guideline: Guideline) -> Guideline:
    require(actor, "guideline.manage")
    with transaction.atomic():
        locked = Guideline.objects.select_for_update().get(pk=guideline.pk)
        if locked.status != GuidelineStatus.PUBLISHED:
            raise Conflict("只有已发布的指南可以结束。")
        locked.status = GuidelineStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        audit(actor=actor, action="update", obj=locked, after={"status": "closed"}, comment="结束本轮申报")
    return locked
