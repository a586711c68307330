"""The one gate for who sees what (NetBox RestrictedQuerySet, Zulip access_* functions).

A model a user can reach uses `objects = ScopedQuerySet.as_manager()` and defines

    @classmethod
    def scope_q(cls, actor, action: str) -> Q: ...

built from the helpers below, one role's condition per line. Views, API handlers and selectors never filter by
region themselves: they call `Model.objects.restrict(actor, action)` or `get_scoped_or_404(...)`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

from .permissions import can, require  # noqa: F401  (re-exported: one import for callers)
from .roles import PROVINCE_LEVEL_ROLES, READ_ONLY_ROLES, REGIONAL_ROLES, Role

# A condition no row satisfies (an empty IN is answered by Django without touching the database).
NOTHING = Q(pk__in=[])
EVERYTHING = Q()


def is_active_actor(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and bool(actor.is_active)


def is_province_level(actor: Any) -> bool:
    """Province officer, leader, administrator, finance: their data scope is the whole province."""
    return is_active_actor(actor) and actor.role in PROVINCE_LEVEL_ROLES


def is_regional(actor: Any) -> bool:
    """County or city reviewer: their data scope is their region and everything below it."""
    return is_active_actor(actor) and actor.role in REGIONAL_ROLES


def is_admin(actor: Any) -> bool:
    return is_active_actor(actor) and actor.role == Role.ADMIN


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


def region_q(actor: Any, field: str, action: str = "view") -> Q:
    """Rows whose `field` (a FK to regions.Region; "" when the model is Region itself) lies in the actor's
    region or below it. Region.path is a materialised path of codes, so a city's path is a prefix of its
    counties' paths (Jiyuan 419001 is a city-level unit directly under the province: its path works the same).
    """
    if not is_active_actor(actor):
        return NOTHING
    if actor.role in READ_ONLY_ROLES and action != "view":
        return NOTHING
    if actor.role in PROVINCE_LEVEL_ROLES:
        return EVERYTHING
    if actor.role in REGIONAL_ROLES and actor.region_id is not None:
        path = actor.region.path
        p = _prefix(field)
        # "path = mine" or "path starts with mine/": the slash stops 410100 matching a sibling 4101001….
        return Q(**{f"{p}path": path}) | Q(**{f"{p}path__startswith": f"{path}/"})
    return NOTHING  # enterprise, expert, bank, or a regional role without a region


def enterprise_q(actor: Any, field: str) -> Q:
    """Rows whose `field` (a FK to registry.Enterprise; "" or "pk" for Enterprise itself) is the enterprise
    user's own enterprise. Every other role gets nothing from this helper."""
    if not is_active_actor(actor):
        return NOTHING
    if actor.role == Role.ENTERPRISE and actor.enterprise_id is not None:
        return Q(**{field or "pk": actor.enterprise_id})
    return NOTHING


def own_q(actor: Any, field: str) -> Q:
    """Rows whose `field` (a FK to the user model, e.g. "created_by" or "expert") is the actor."""
    if not is_active_actor(actor):
        return NOTHING
    return Q(**{field: actor.pk})


class ScopedQuerySet(models.QuerySet):
    def restrict(self, actor: Any, action: str = "view") -> models.QuerySet:
        """Only the rows `actor` may reach for `action`. Anonymous or inactive actors reach nothing."""
        if not is_active_actor(actor):
            return self.none()
        return self.filter(self.model.scope_q(actor, action))


def get_scoped_or_404(queryset: Any, actor: Any, action: str = "view", **lookup: Any) -> Any:
    """The object matching `lookup` inside the actor's scope, else Http404 — the same answer for an id that
    does not exist and for one outside the scope, so ids cannot be probed."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    elif isinstance(queryset, models.Manager):
        queryset = queryset.all()
    try:
        return queryset.restrict(actor, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("未找到该记录，或您无权查看。") from None
