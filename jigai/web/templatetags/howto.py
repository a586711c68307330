"""`{% howto "funding.queue" %}`: the page's 操作说明 for the signed-in user's role.

The texts live in jigai/web/help.py (HOWTO)."""

from __future__ import annotations

from typing import Any

from django import template

from jigai.web.help import howto_text

register = template.Library()


@register.inclusion_tag("web/_howto.html", takes_context=True)
def howto(context: dict[str, Any], page: str) -> dict[str, Any]:
    user = context.get("user")
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    return {"howto": howto_text(page, role), "help_role": role}
