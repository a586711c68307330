"""Reads of notifications, always through the scope gate (a user sees only their own)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from jigai.accounts.roles import PROVINCE_LEVEL_ROLES, Role
from jigai.accounts.scope import is_active_actor

from .models import Notification


def unread_count(user: Any) -> int:
    if not is_active_actor(user):
        return 0
    return Notification.objects.restrict(user).filter(read_at__isnull=True).count()


def notification_list(actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Notification]:
    """The actor's notifications, newest first. filters: {"unread": True} keeps the unread ones."""
    qs = Notification.objects.restrict(actor).order_by("-created_at", "-id")
    if (filters or {}).get("unread"):
        qs = qs.filter(read_at__isnull=True)
    return qs


def users_with_role(role: str | Role, region: Any = None, *, enterprise: Any = None) -> QuerySet:
    """Active users of `role` concerned with `region`: those whose region is the region itself, one above it
    (their scope covers it: the city reviewers of a county) or one below it (the county reviewers of a city).
    Province-level roles cover the whole province, so `region` does not narrow them. `enterprise` keeps the
    users bound to that enterprise (enterprise users)."""
    User = get_user_model()
    qs = User.objects.filter(role=role, is_active=True)
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    if region is not None and role not in PROVINCE_LEVEL_ROLES:
        codes = region.path.split("/")  # the region and its ancestors
        below = Q(region__path__startswith=f"{region.path}/")
        via_enterprise = Q(enterprise__region__path=region.path) | Q(
            enterprise__region__path__startswith=f"{region.path}/"
        )
        cond = Q(region_id__in=codes) | below
        if role == Role.ENTERPRISE:
            cond = cond | via_enterprise
        qs = qs.filter(cond)
    return qs.order_by("username")
