"""Who reaches which application (one role per line): the gate the application-bound models share."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, enterprise_q, is_active_actor, region_q

from .choices import DECIDED_STATUSES, AppStatus


def _application_scope(actor: Any, action: str) -> Q:
    """Which applications the actor reaches, one role per line (conventions: one gate)."""
    if not is_active_actor(actor):
        return NOTHING
    role = actor.role
    if role == Role.ENTERPRISE:
        return enterprise_q(actor, "enterprise")
    if role in (Role.COUNTY, Role.CITY):
        # Reviewers see what was submitted in their region, never an enterprise's unsent draft.
        return region_q(actor, "enterprise__region", action) & ~Q(status=AppStatus.DRAFT)
    if role == Role.PROVINCE:
        return ~Q(status=AppStatus.DRAFT)
    if role == Role.LEADER:
        return ~Q(status=AppStatus.DRAFT) if action == "view" else NOTHING
    if role == Role.EXPERT:
        from .reviews import ExpertAssignment

        assigned = ExpertAssignment.objects.filter(expert=actor, voided=False).values("application_id")
        return Q(pk__in=assigned) if action == "view" else NOTHING
    if role == Role.FINANCE:
        return Q(status__in=DECIDED_STATUSES)
    return NOTHING  # bank, administrator, unknown


def _via_application(actor: Any, action: str, field: str = "application") -> Q:
    from .applications import Application

    reachable = Application.objects.filter(_application_scope(actor, action)).values("pk")
    return Q(**{f"{field}__in": reachable})
