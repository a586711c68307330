"""Indicator figures as the pages show them: thousands grouped, trailing zeros dropped, "—" for none."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def fig(value: Any, places: int = 2) -> str:
    """12345.6700 → "12,345.67"; 62.0000 → "62"; None → "—"."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{d:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def pct(value: Any) -> str:
    """A ratio 0.4523 → "45.23%"."""
    if value is None:
        return "—"
    return f"{fig(Decimal(str(value)) * 100)}%"
