"""Form fields shared by the pages. `WanYuanField`: an amount typed in 万元, as officers write it
("1,200.5" 万元), cleaned to the exact yuan Decimal the models and services keep (12005000)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.html import format_html

from jigai.core import money

__all__ = ["WAN_MESSAGE", "WanYuanField", "WanYuanInput", "wan_text", "yuan_from_wan"]

WAN_MESSAGE = "请输入以万元为单位的金额，最多 6 位小数"
TOO_LARGE = "金额过大，请核对单位（万元）。"
# The models keep yuan as DecimalField(max_digits=16, decimal_places=2): 14 integer digits of yuan.
YUAN_LIMIT = Decimal(10) ** 14
_NUMBER = re.compile(r"^\d+(\.\d{1,6})?$", re.ASCII)
_SEPARATORS = str.maketrans("", "", ",，  ")


def yuan_from_wan(text: str) -> Decimal | None:
    """ "1,200.5" → Decimal("12005000"); None when the text is not a non-negative 万元 figure with at most
    6 decimals (the fen). Whole yuan come back without decimals, other amounts to the fen."""
    cleaned = str(text).strip().translate(_SEPARATORS)
    if not _NUMBER.match(cleaned):
        return None
    try:
        amount = Decimal(cleaned) * 10000
    except InvalidOperation:  # pragma: no cover — the pattern admits only numbers
        return None
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1))
    return amount.quantize(Decimal("0.01"))


def wan_text(amount: Decimal | int) -> str:
    """Decimal("12005000") → "1200.5": the 万元 figure put back in the box (no separators, exact)."""
    return money.wan_plain(amount)


class WanYuanInput(forms.TextInput):
    """A text box for 万元 with the yuan figure beside it: written by the server for the value shown,
    kept live by jigai/web/static/jigai/wan.js as the user types (a plain input without JS)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"inputmode": "decimal", "autocomplete": "off", "data-wan-yuan": "", "class": "wan-input"}
        super().__init__({**base, **(attrs or {})})

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        box = super().render(name, value, attrs, renderer)
        yuan = yuan_from_wan(value) if value not in (None, "") else None
        echo = f"= {money.yuan(yuan)}" if yuan is not None else ""
        return format_html(
            '<span class="wan-field">{} <span class="wan-unit">万元</span> '
            '<output class="wan-echo muted small" aria-live="polite">{}</output></span>',
            box,
            echo,
        )


class WanYuanField(forms.Field):
    """An amount entered in 万元 (commas allowed, up to 6 decimals, i.e. to the fen), cleaned to yuan.

    Initial values are yuan (Decimal or int, as the models hold them) and are shown in 万元; what the user
    typed is shown back as typed."""

    widget = WanYuanInput
    default_error_messages = {"invalid": WAN_MESSAGE, "too_large": TOO_LARGE}

    def __init__(self, *, label: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "单位：万元，可带千分位逗号，最多 6 位小数")
        super().__init__(label=label, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) or (type(value) is int):
            return wan_text(value)
        return value

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):  # already yuan (initial data, programmatic use)
            return value
        yuan = yuan_from_wan(value)
        if yuan is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if yuan >= YUAN_LIMIT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return yuan

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial if initial not in self.empty_values else None)
        except forms.ValidationError:
            return True
