"""The printable documents an object has (the 打印/下载PDF buttons of the funding pages)."""

from __future__ import annotations

from typing import Any

from django import template

from jigai.funding.documents import review_sheets as _review_sheets

register = template.Library()


@register.simple_tag
def review_sheets(app: Any, events: list[Any] | None = None) -> list[tuple[str, str]]:
    """(url name, title) of the review sheets the application has: one per level it has been sent to
    (`events`: its review events, already read by the page)."""
    return _review_sheets(app, events if isinstance(events, list) else None)


@register.simple_tag(takes_context=True)
def decided_applications(context: dict[str, Any], guideline: Any) -> list[Any]:
    """The decided applications of a guideline the signed-in user reaches (the decision page's documents)."""
    from jigai.funding.models import DECIDED_STATUSES, Application

    user = context["request"].user
    return list(
        Application.objects.restrict(user, "view")
        .filter(guideline=guideline, status__in=DECIDED_STATUSES)
        .select_related("enterprise")
        .order_by("item_group", "tracking_no")
    )
