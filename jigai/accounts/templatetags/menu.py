"""`{% menu "funding" as items %}`: the area's menu for the signed-in user (jigai.accounts.menu);
`{% side_menu as nav %}`: the grouped side menu of every page, the current item marked;
`{% unit %}`: the signed-in user's unit (enterprise or region) for the header;
`{% page_title %}`: the page's `{% block title %}` again, `{% breadcrumbs nav title %}` the default trail;
`user|can:"project.submit"`: whether the user's role holds a permission (never a role name in a template)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import SafeString, mark_safe

from jigai.accounts.menu import SideMenu, menu_for, side_menu_for, unit_for
from jigai.accounts.menu import breadcrumbs as _breadcrumbs
from jigai.accounts.permissions import can as _can

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def menu(context: Any, area: str) -> list[dict[str, str]]:
    return menu_for(_user(context), area)


@register.simple_tag(takes_context=True)
def side_menu(context: Any) -> SideMenu:
    request = context.get("request")
    return side_menu_for(_user(context), getattr(request, "path", ""))


@register.simple_tag(takes_context=True)
def unit(context: Any) -> str:
    return unit_for(context.get("request"))


@register.simple_tag(takes_context=True)
def page_title(context: Any) -> SafeString:
    """The most derived `title` block, rendered once more (it is template output, hence safe)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    node = blocks.get_block("title") if blocks is not None else None
    return mark_safe(node.render(context).strip()) if node is not None else mark_safe("")  # noqa: S308


@register.simple_tag(takes_context=True)
def breadcrumbs(context: Any, nav: SideMenu, title: str) -> list[dict[str, str]]:
    return _breadcrumbs(nav, title, getattr(context.get("request"), "path", ""))


@register.filter
def can(user: Any, permission: str) -> bool:
    return _can(user, permission)
