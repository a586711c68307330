"""The money filters of every template: `{% load money %}`, then `|money` (exact 万元 with the 元 beside
it, where the exact yuan matters), `|wan` (万元 to 2 decimals: tables, totals) and `|yuan` (which to use
where: the rule in `jigai.core.money`). The text is that of `jigai.core.money`, the project's one
formatter; a value that is not an amount (None, "", not a number) is shown as "—"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from jigai.core import money as core

register = template.Library()

BLANK = "—"


def _amount(value: Any) -> Decimal | int | None:
    """The value as an amount for `jigai.core.money` (which takes Decimal only), or None."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if type(value) is int:
        return value
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


@register.filter
def yuan(value: Any) -> str:
    """3600000 → "3,600,000 元"; 1234.5 → "1,234.50 元"."""
    amount = _amount(value)
    return BLANK if amount is None else core.yuan(amount)


@register.filter
def wan(value: Any) -> str:
    """3600000 → "360 万元"; 3703703 → "370.37 万元" (the overview figure, at most 2 decimals)."""
    amount = _amount(value)
    return BLANK if amount is None else core.wan_brief(amount)


@register.filter
def money(value: Any) -> str:
    """3600000 → "360 万元（3,600,000 元）"; 3703703 → "370.3703 万元（3,703,703 元）" (exact)."""
    amount = _amount(value)
    return BLANK if amount is None else core.wan_yuan(amount)
