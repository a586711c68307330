"""Reads of the region tree. Regions are public reference data (every user picks from them), so these
selectors take no actor; who may see *data* in a region is the scope gate's business (accounts.scope)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from jigai.accounts.roles import PROVINCE_LEVEL_ROLES, REGIONAL_ROLES

from .models import Region, RegionLevel

PROVINCE_CODE = "410000"


@dataclass
class RegionNode:
    region: Region
    children: list[RegionNode] = field(default_factory=list)


def region_tree(*, include_zones: bool = False) -> list[RegionNode]:
    """The tree as nested nodes (province → cities and Jiyuan → counties), read in one query."""
    qs = Region.objects.order_by("path")
    if not include_zones:
        qs = qs.exclude(level=RegionLevel.ZONE)
    nodes: dict[str, RegionNode] = {}
    roots: list[RegionNode] = []
    for region in qs:  # ordered by path: a parent always comes before its children
        node = nodes[region.code] = RegionNode(region)
        parent = nodes.get(region.parent_id) if region.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def regions_under(region: Region, *, include_self: bool = True) -> QuerySet[Region]:
    """The region's descendants (zones included), and the region itself unless include_self=False."""
    below = Q(path__startswith=f"{region.path}/")  # the slash keeps a code from matching a longer sibling
    cond = (Q(pk=region.pk) | below) if include_self else below
    return Region.objects.filter(cond).order_by("path")


def province() -> Region:
    return Region.objects.get(pk=PROVINCE_CODE)


def cities() -> QuerySet[Region]:
    """The 17 cities and Jiyuan (济源示范区 419001), by code."""
    return Region.objects.filter(level=RegionLevel.CITY).order_by("code")


def counties_of(city: Region) -> QuerySet[Region]:
    """The city's county-level units (区、县级市、县); never the statistics zones."""
    return Region.objects.filter(parent=city, level=RegionLevel.COUNTY).order_by("code")


def zones_of(city: Region) -> QuerySet[Region]:
    """The statistics bureau's functional zones of a city (e.g. 410173 郑州航空港经济综合实验区)."""
    return Region.objects.filter(parent=city, level=RegionLevel.ZONE).order_by("code")


def region_choices(level: str | None = None, *, levels: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's select. Counties and zones are labelled with their city
    ("郑州市中原区") so that equal names under different cities cannot be confused; a zone is marked
    as one ("郑州市郑州航空港经济综合实验区（功能区）"), never taken for a county. `levels` lists several
    levels, one after the other (cities, then counties, then zones), read in one query."""
    qs = Region.objects.select_related("parent").order_by("path")
    if level is not None:
        qs = qs.filter(level=level)
    if levels:
        rows = sorted(qs.filter(level__in=levels), key=lambda r: (levels.index(r.level), r.path))
        qs = rows  # type: ignore[assignment]
    choices = []
    for r in qs:
        label = r.label
        if r.level in (RegionLevel.COUNTY, RegionLevel.ZONE) and r.parent is not None:
            label = f"{r.parent.name}{r.label}"
        choices.append((r.code, label))
    return choices


# ---------------------------------------------------------------------------------------------- jurisdiction

INDENT = "\u3000"  # a full-width space: counties and zones indented under their city


def _actor_root(actor: Any) -> Region | bool | None:
    """The region whose subtree the actor may pick from: None for the whole province, False for nothing."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None  # public pages (the enterprise's own registration): the whole province
    role = getattr(actor, "role", None)
    if role in PROVINCE_LEVEL_ROLES:
        return None
    if role in REGIONAL_ROLES and actor.region_id:
        return actor.region
    return False  # enterprise, expert, bank, or a reviewer without a region: no jurisdiction


def jurisdiction_choices(
    actor: Any, levels: tuple[str, ...] = ("city", "county", "zone")
) -> list[tuple[str, Any]]:
    """The regions `actor` may pick, as a select's choices grouped per city (Django's optgroup form):
    province roles get all 18 cities with their counties and zones, a city reviewer its city with its
    counties and zones, a county reviewer its county only. Counties and zones are indented under their
    city; a zone is marked "（功能区）". `levels` says which levels are selectable ("province", "city",
    "county", "zone"); a city without counties (济源示范区) counts as county-level, as it is one. Signed-out
    users (registration) get the whole province; roles without a jurisdiction get nothing."""
    root = _actor_root(actor)
    if root is False:
        return []
    qs = Region.objects.order_by("path")
    if root is not None:
        qs = qs.filter(Q(pk=root.pk) | Q(path__startswith=f"{root.path}/"))
    rows = list(qs)
    children: dict[str, list[Region]] = {}
    for r in rows:
        if r.parent_id:
            children.setdefault(r.parent_id, []).append(r)
    county_level = "county" in levels or "zone" in levels
    out: list[tuple[str, Any]] = []
    if root is None and "province" in levels:
        out.append((PROVINCE_CODE, "河南省（全省）"))
    for r in rows:
        if r.level == RegionLevel.CITY:
            below = [c for c in children.get(r.code, []) if c.level in levels]
            options = []
            if "city" in levels:
                options.append((r.code, f"{r.name}（全市）" if below else r.name))
            elif county_level and not children.get(r.code):
                options.append((r.code, r.name))  # Jiyuan: a county-level unit itself
            options += [(c.code, f"{INDENT}{c.label}") for c in below]
            if options:
                out.append((r.name, options))
        elif r.level in levels and (root is not None and r.pk == root.pk) and r.level != RegionLevel.PROVINCE:
            out.append((r.code, r.label))  # a county reviewer: its own county, no city group
    return out


def jurisdiction_codes(actor: Any, levels: tuple[str, ...] = ("city", "county", "zone")) -> set[str]:
    """The codes of `jurisdiction_choices` (the server-side check of a picked region)."""
    codes: set[str] = set()
    for key, value in jurisdiction_choices(actor, levels):
        if isinstance(value, list):
            codes.update(code for code, _ in value)
        else:
            codes.add(key)
    return codes
