"""Money as the policy text writes it: 元 with thousands separators, and 万元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

from jigai.funding.models import stage_label

register = template.Library()


def _dec(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def yuan(value: Any) -> str:
    """3600000 → "3,600,000 元" (cents shown only when there are any)."""
    d = _dec(value)
    if d is None:
        return "—"
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"
    return f"{text} 元"


@register.filter
def wan(value: Any) -> str:
    """3600000 → "360 万元", 1234567 → "123.46 万元"."""
    d = _dec(value)
    if d is None:
        return "—"
    w = (d / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{w:,f} 万元"


@register.filter
def stage_name(value: str) -> str:
    return stage_label(value or "")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def reason_label(code: str) -> str:
    from jigai.funding import calc

    return calc.reason_label(code)
