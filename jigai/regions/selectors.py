"""Reads of the region tree. Regions are public reference data (every user picks from them), so these
selectors take no actor; who may see *data* in a region is the scope gate's business (accounts.scope)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

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
