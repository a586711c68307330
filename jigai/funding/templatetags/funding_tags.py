"""The funding pages' filters: stage names, reason labels, a mapping's item. Money is written by the
`money` library (jigai.web.templatetags.money): `{% load funding_tags money %}`."""

from __future__ import annotations

from typing import Any

from django import template

from jigai.funding.models import stage_label

register = template.Library()


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
