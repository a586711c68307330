"""Scope of the rows filed under a region (targets, letters, values, rollups)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from jigai.accounts.scope import region_q


def region_scope(actor: Any, action: str) -> Q:
    """Rows whose `region` lies in the actor's region or below (province-level roles: all)."""
    return region_q(actor, "region", action)
