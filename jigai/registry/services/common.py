"""Helpers shared by the registry services: snapshots for the audit trail, validation into InvalidInput,
and the "may this actor change this enterprise's data" check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role
from jigai.core.errors import AccessDenied, InvalidInput, NotFound

from ..models import Enterprise


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of `obj` as JSON-friendly values for the audit trail's before/after: money
    as a decimal string, dates ISO, files by name; a choice as {"id", "label"} and the region likewise, so
    the history reads in Chinese."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        auto_time = isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
        if field.primary_key or auto_time:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        elif isinstance(field, models.FileField):
            value = value.name if value else ""
        elif field.choices and value not in (None, ""):
            value = {"id": value, "label": str(dict(field.flatchoices).get(value, value))}
        elif field.name == "region" and value:
            value = {"id": value, "label": str(obj.region)}
        out[field.name] = value
    return out


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [m for e in errs for m in e.messages] for name, errs in error.error_dict.items()}
    return {"__all__": list(error.messages)}


def full_clean(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation (field validators, choices, constraints) as an InvalidInput with Chinese messages."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as e:
        raise InvalidInput(messages_of(e)) from None


def apply(obj: models.Model, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise InvalidInput({"__all__": [f"不能修改的字段：{'、'.join(sorted(unknown))}"]})
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(obj, name, value)


def require_enterprise_editor(actor: Any, enterprise: Enterprise) -> Enterprise:
    """The enterprise (re-read and locked) when `actor` may change its data: its own enterprise user, or a
    government reviewer whose region holds it. Anything else: 403 for a role that may never, 404 for an
    enterprise outside the actor's scope (ids cannot be probed)."""
    if not (can(actor, "enterprise.edit_own") or can(actor, "enterprise.manage")):
        raise AccessDenied("您的角色无权修改企业信息。", code="permission_denied")
    locked = Enterprise.objects.restrict(actor, "change").select_for_update().filter(pk=enterprise.pk).first()
    if locked is None:
        raise NotFound("未找到该企业，或您无权操作。")
    if actor.role == Role.ENTERPRISE and locked.status != "confirmed":
        raise AccessDenied("企业尚未经县级工信部门确认，暂不能填报。", code="enterprise_not_confirmed")
    return locked
