"""Helpers the monitoring services share: the region an actor acts for, the level above, the users of a
region (to notify), and the after-commit rollup refresh."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from jigai.accounts.roles import Role
from jigai.core.errors import AccessDenied, InvalidInput
from jigai.regions.models import Region, RegionLevel
from jigai.regions.selectors import PROVINCE_CODE

OUTSIDE = "该地区不在您的管辖范围内。"


def region_of(code_or_region: Any) -> Region:
    if isinstance(code_or_region, Region):
        return code_or_region
    try:
        return Region.objects.get(pk=str(code_or_region))
    except Region.DoesNotExist:
        raise InvalidInput({"region": ["地区代码不存在。"]}) from None


def within(actor: Any, region: Region) -> bool:
    """True when `region` is the actor's region or below it (province-level roles: everywhere)."""
    if actor.role in (Role.PROVINCE, Role.ADMIN, Role.LEADER, Role.FINANCE):
        return True
    mine = getattr(actor, "region", None)
    if mine is None:
        return False
    return region.path == mine.path or region.path.startswith(mine.path + "/")


def require_within(actor: Any, region: Region) -> None:
    if not within(actor, region):
        raise AccessDenied(OUTSIDE, code="outside_region")


def breakdown_parent(actor: Any) -> Region:
    """The region whose targets the actor splits: the province for the province officer, the city for a
    city reviewer."""
    if actor.role == Role.PROVINCE:
        return Region.objects.get(pk=PROVINCE_CODE)
    if actor.role == Role.CITY and actor.region_id:
        return actor.region
    raise AccessDenied("您的角色不能分解目标。", code="permission_denied")


def children_for_targets(parent: Region) -> list[Region]:
    """The regions a parent's targets are split to: the 18 city-level units for the province, the
    counties (not the statistics zones) for a city."""
    level = RegionLevel.CITY if parent.level == RegionLevel.PROVINCE else RegionLevel.COUNTY
    return list(Region.objects.filter(parent=parent, level=level).order_by("code"))


def users_of(region: Region, roles: tuple[str, ...]) -> list[Any]:
    User = get_user_model()
    return list(User.objects.filter(region=region, role__in=roles, is_active=True))


def province_users() -> list[Any]:
    User = get_user_model()
    return list(User.objects.filter(role=Role.PROVINCE, is_active=True))


def role_of_level(region: Region) -> str:
    return Role.CITY if region.level == RegionLevel.CITY else Role.COUNTY


def refresh(codes: list[str], year: int, month: int | None = None) -> None:
    """Refresh the rollups of `codes` inside the change's transaction: the next page (the dashboards)
    reads the new figures, and a rolled-back change leaves the rollups as they were."""
    from .rollups import refresh_rollups

    refresh_rollups(indicator_codes=codes, year=year, month=month)
