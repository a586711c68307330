"""Money in 元 and 万元 the way the policy text writes it (display only: Decimal, never float)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def yuan(value: Any) -> str:
    """12345678.9 → “12,345,678.90 元”."""
    d = _dec(value)
    return "—" if d is None else f"{d.quantize(Decimal('0.01'), ROUND_HALF_UP):,} 元"


@register.filter
def wan(value: Any) -> str:
    """12345678.9 → “1,234.57 万元”."""
    d = _dec(value)
    return "—" if d is None else f"{(d / 10000).quantize(Decimal('0.01'), ROUND_HALF_UP):,} 万元"


@register.filter
def money(value: Any) -> str:
    """Both: “1,234.57 万元（12,345,678.90 元）”."""
    d = _dec(value)
    return "—" if d is None else f"{wan(d)}（{yuan(d)}）"
