"""The calculator's 万元 boxes: the yuan figure the server writes beside a typed 万元 value (wan.js keeps it
live as the user types)."""

from __future__ import annotations

from typing import Any

from django import template

from jigai.core import money
from jigai.core.forms import yuan_from_wan

register = template.Library()


@register.filter
def wan_echo(value: Any) -> str:
    """ "1200.5" → "= 12,005,000 元"; empty or not a 万元 figure → ""."""
    yuan = yuan_from_wan(value) if value not in (None, "") else None
    return f"= {money.yuan(yuan)}" if yuan is not None else ""
