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


# ------------------------------------------------------------------------------- history shown in Chinese
# The history lists show no raw codes (issue 9): the action by its Chinese name (AuditEvent.action_label),
# each changed key by a Chinese label and each coded value (a status, an item code such as
# "3.2.1-insurance", a payment stage) by its label. The audit app knows no app above it, so each app
# registers the labels of its own codes, per target model ("funding.application") or for every model ("*"):
#
#     register_value_labels("funding.application", "status", dict(AppStatus.choices))
#     register_value_labels("funding.application", "item", calc.item_label)   # a function works too
#     register_field_labels("funding.application", {"voucher_no": "凭证号"})

_VALUE_LABELS: dict[tuple[str, str], Any] = {}
_FIELD_LABELS: dict[tuple[str, str], str] = {}


def register_value_labels(target_type: str, key: str, labels: Any) -> None:
    """`labels`: a mapping code → label, or a function code → label."""
    _VALUE_LABELS[(target_type, key)] = labels


def register_field_labels(target_type: str, labels: dict[str, str]) -> None:
    for key, label in labels.items():
        _FIELD_LABELS[(target_type, key)] = label


def _lookup(table: dict[tuple[str, str], Any], target_type: str, key: str) -> Any:
    return table.get((target_type, key), table.get(("*", key)))


def _value_label(labels: Any, value: Any) -> Any:
    if labels is None or value is None or isinstance(value, bool | dict):
        return value
    if isinstance(value, list):
        return [_value_label(labels, v) for v in value]
    try:
        found = labels(value) if callable(labels) else labels.get(value, labels.get(str(value)))
    except (KeyError, TypeError, ValueError):
        found = None
    return value if found in (None, "") else found


def history_changes(event: AuditEvent) -> list[dict[str, str]]:
    """The event's changes (label, before, after) with Chinese field labels and coded values labelled."""
    from .models import _show

    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    rows = []
    for row in event.changes:
        key = row["field"]
        label = _lookup(_FIELD_LABELS, event.target_type, key) or row["label"]
        labels = _lookup(_VALUE_LABELS, event.target_type, key)
        if labels is not None:
            row = {
                **row,
                "before": _show(_value_label(labels, before.get(key))),
                "after": _show(_value_label(labels, after.get(key))),
            }
        rows.append({**row, "label": label})
    return rows
