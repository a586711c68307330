"""`{% menu "funding" as items %}`: the area's menu for the signed-in user (jigai.accounts.menu);
`user|can:"project.submit"`: whether the user's role holds a permission (never a role name in a template)."""

from __future__ import annotations

from typing import Any

from django import template

from jigai.accounts.menu import menu_for
from jigai.accounts.permissions import can as _can

register = template.Library()


@register.simple_tag(takes_context=True)
def menu(context: Any, area: str) -> list[dict[str, str]]:
    request = context.get("request")
    return menu_for(getattr(request, "user", None) or context.get("user"), area)


@register.filter
def can(user: Any, permission: str) -> bool:
    return _can(user, permission)
