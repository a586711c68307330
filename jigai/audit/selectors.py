"""Reads of the audit trail, always through the scope gate (AuditEvent.scope_q)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEvent

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def audit_history(*, obj: models.Model) -> QuerySet[AuditEvent]:
    """The events of one object, newest first. The caller has already checked the actor may see `obj`."""
    return (
        AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
        .select_related("actor")
        .order_by("-seq")
    )


def _day_start(value: dt.date | str) -> dt.datetime:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return dt.datetime.combine(day, dt.time.min, tzinfo=_SHANGHAI)


def audit_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[AuditEvent]:
    """The events `actor` may see, newest first, narrowed by `filters`: action, target_type, target_id,
    actor_id, date_from / date_to (dates in Asia/Shanghai, inclusive), q (text in the object's name,
    the actor's name or the comment)."""
    filters = filters or {}
    qs = AuditEvent.objects.restrict(actor, "view").select_related("actor").order_by("-seq")
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("target_type"):
        qs = qs.filter(target_type=filters["target_type"])
    if filters.get("target_id"):
        qs = qs.filter(target_id=str(filters["target_id"]))
    if filters.get("actor_id"):
        qs = qs.filter(actor_id=filters["actor_id"])
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(occurred_at__lt=_day_start(filters["date_to"]) + dt.timedelta(days=1))
    if filters.get("q"):
        text = str(filters["q"]).strip()
        qs = qs.filter(
            Q(target_label__icontains=text) | Q(actor_name__icontains=text) | Q(comment__icontains=text)
        )
    return qs
