"""`{% region_select "region" value %}`: the jurisdiction tree picker (regions/widgets.py) for a filter form
written by hand in a template — the user's own jurisdiction only, never a free-text code box (issue 9)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..selectors import jurisdiction_choices
from ..widgets import JurisdictionSelect

register = template.Library()


@register.simple_tag(takes_context=True)
def region_select(context: dict[str, Any], name: str, value: Any = "", label: str = "全部区划") -> SafeString:
    user = context.get("user")
    choices = [("", label), *jurisdiction_choices(user)]
    return JurisdictionSelect(choices=choices).render(name, value or "", attrs={"id": f"id_{name}"})
