"""The audit history in Chinese: `{{ e|audit_changes }}` — the changes with labels, never raw codes."""

from __future__ import annotations

from typing import Any

from django import template

from jigai.audit.selectors import history_changes

register = template.Library()


@register.filter
def audit_changes(event: Any) -> list[dict[str, str]]:
    return history_changes(event)
