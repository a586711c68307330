"""融资与用地 on the monitoring dashboards, issue 11's figures beside the targets of issue 10 (四（二）:
"建立技术改造项目“白名单”，开展融资对接洽谈活动"; "对符合要求的“零增地”技术改造项目，对其增加建筑面积部分
不再增收土地出让金、市政设施配套费").

The figures are read through the financing and land selectors only (`financing_figures_by`, `land_figures`),
so the actor's scope gate applies first; the dashboard's region then narrows them further (a province officer
on a city's dashboard sees that city's figures). The province's dashboard groups by city, a city's by its
counties (and zones; an enterprise registered at the city itself shows as the city's own row), a county's
shows itself. Figures of the dashboard's year, the whole year (the financing and land figures are dated
events, not monthly reports): approved and disbursed count only outcomes the city has confirmed.

A role that may not read the whitelist (finance) or the land cases gets None for that part: the section says
so instead of showing zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse

from jigai.accounts.permissions import can
from jigai.financing import selectors as financing
from jigai.financing.models import FinancingKind
from jigai.land import selectors as land_selectors
from jigai.regions.models import Region, RegionLevel

ZERO = Decimal(0)
TEN_THOUSAND = Decimal(10000)
CHILD_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE)

# chart key → (heading, first column's header)
FINANCING_BLOCKS = {
    "financing_region": ("", "地区"),  # heading per level: see _region_heading
    "financing_institution": ("按金融机构", "金融机构"),
    "financing_programme": ("按融资方式", "融资方式"),
    "financing_month": ("按月份", "月份"),
}
KEYS = (*FINANCING_BLOCKS, "land")


@dataclass
class FinanceBlock:
    key: str  # the chart and export key
    title: str
    group_label: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """The id of the chart's JSON block on the page."""
        return f"chart-{self.key}"

    @property
    def by_institution(self) -> bool:
        return self.key == "financing_institution"

    @property
    def wide(self) -> bool:
        """The long tables (every city, every month) take the whole width; the short ones sit side by side."""
        return self.key in ("financing_region", "financing_month")

    @property
    def has_figures(self) -> bool:
        t = self.total
        return bool(t["projects"] or t["approved"] or t["disbursed"] or t["unconfirmed"] or t["needed"])


@dataclass
class LandBlock:
    title: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    chart: dict[str, Any] = field(default_factory=dict)
    key: str = "land"
    source: str = "chart-land"

    @property
    def has_figures(self) -> bool:
        return bool(self.total["projects"])


@dataclass
class FinanceLand:
    year: int
    region: Region
    financing: dict[str, FinanceBlock] | None  # None: the role does not read the whitelist
    land: LandBlock | None  # None: the role does not read the land cases

    @property
    def blocks(self) -> list[FinanceBlock]:
        return list(self.financing.values()) if self.financing else []

    @property
    def summary(self) -> dict[str, Any] | None:
        if not self.financing:
            return None
        return self.financing["financing_region"].total


def _children(region: Region) -> list[Region]:
    """The rows of the by-region tables: the province's cities, a city's counties and zones, a county
    itself."""
    if region.level == RegionLevel.PROVINCE or region.level == RegionLevel.CITY:
        found = list(Region.objects.filter(parent=region, level__in=CHILD_LEVELS).order_by("code"))
        if found:
            return found
    return [region]


def _group(region: Region) -> str:
    return "city" if region.level == RegionLevel.PROVINCE else "county"


def _region_heading(region: Region) -> str:
    return {RegionLevel.PROVINCE: "按省辖市", RegionLevel.CITY: "按县（市、区）"}.get(region.level, "本地区")


def _own_label(region: Region, code: str, fallback: str) -> str:
    """The label of a key that is not a child: the region itself (an enterprise registered at the city)."""
    return (
        f"{region.name}（市本级）" if code == region.code and region.level == RegionLevel.CITY else fallback
    )


def _blank_financing(key: Any, label: str, *, needed: bool = True) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "needed": ZERO if needed else None,
        "approved": ZERO,
        "disbursed": ZERO,
        "unconfirmed": ZERO,
        "projects": 0,
    }


def _by_region(
    region: Region, children: list[Region], rows: list[dict[str, Any]], year: int, month: int
) -> list[dict[str, Any]]:
    """Every child (with zeros where there is nothing), then any key that is not a child (the city's own
    row), each child linking to its own dashboard."""
    found = {str(r["key"]): r for r in rows}
    out = []
    base = reverse("monitoring:dash")
    for child in children:
        r = found.pop(child.code, None) or _blank_financing(child.code, child.label)
        url = "" if child.code == region.code else f"{base}?region={child.code}&year={year}&month={month}"
        out.append({**r, "key": child.code, "label": child.label, "url": url})
    for code, r in sorted(found.items()):
        out.append({**r, "label": _own_label(region, code, r["label"]), "url": ""})
    return out


def _financing(
    region: Region, actor: Any, year: int, month: int, children: list[Region]
) -> dict[str, FinanceBlock]:
    group = _group(region)
    figures = financing.financing_figures_by(
        actor, year=year, groups=(group, "institution", "programme", "month"), region=region
    )
    by_kind = {r["key"]: r for r in figures["programme"]}
    by_month = {r["key"]: r for r in figures["month"]}
    rows = {
        "financing_region": _by_region(region, children, figures[group], year, month),
        "financing_institution": figures["institution"],
        "financing_programme": [
            by_kind.get(value) or _blank_financing(value, label) for value, label in FinancingKind.choices
        ],
        "financing_month": [by_month.get(m) or _blank_financing(m, f"{m}月") for m in range(1, 13)],
    }
    blocks = {}
    for key, (title, group_label) in FINANCING_BLOCKS.items():
        blocks[key] = FinanceBlock(
            key=key,
            title=title or _region_heading(region),
            group_label=group_label,
            rows=rows[key],
            total=financing.figures_total(rows[key]),
        )
    return blocks


def _blank_land(code: str, label: str, year: int) -> dict[str, Any]:
    return {
        "region_code": code,
        "region_name": label,
        "year": year,
        "projects": 0,
        "added_floor_area": ZERO,
        "premium_waived": ZERO,
        "municipal_waived": ZERO,
        "amount_waived": ZERO,
    }


def _land(region: Region, actor: Any, year: int, month: int, children: list[Region]) -> LandBlock:
    group = "city" if region.level == RegionLevel.PROVINCE else "county"
    found = {
        f["region_code"]: f
        for f in land_selectors.land_figures(actor, year=year, group_by=group, region=region)
    }
    rows = []
    base = reverse("monitoring:dash")
    for child in children:
        f = found.pop(child.code, None) or _blank_land(child.code, child.label, year)
        url = "" if child.code == region.code else f"{base}?region={child.code}&year={year}&month={month}"
        rows.append({**f, "region_name": child.label, "url": url})
    for code, f in sorted(found.items()):
        rows.append({**f, "region_name": _own_label(region, code, f["region_name"]), "url": ""})
    total = land_selectors.waiver_totals(rows)
    return LandBlock(title=f"零增地技术改造项目减免（{_region_heading(region)}）", rows=rows, total=total)


def finance_land(*, actor: Any, region: Region, year: int, month: int) -> FinanceLand:
    """The 融资与用地 section of a region's dashboard for `year` (month: only for the drill-down links)."""
    children = _children(region)
    f = FinanceLand(
        year=year,
        region=region,
        financing=_financing(region, actor, year, month, children) if can(actor, "whitelist.view") else None,
        land=_land(region, actor, year, month, children) if can(actor, "land.view") else None,
    )
    _charts(f)
    return f


# ------------------------------------------------------------------------------------------ charts


def _wan(value: Decimal | None) -> float | None:
    """Yuan as 万元 for the chart only, half up as the tables' `|wan` (the tables show the figures)."""
    return None if value is None else float((value / TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _charts(f: FinanceLand) -> None:
    """What dash.js draws ("bars": grouped or stacked bars in 万元) for each block, the same rows as the
    block's table; `tone` names the colour of a series."""
    for block in f.blocks:
        series = [
            {
                "name": "授信审批（已确认）",
                "tone": "approved",
                "values": [_wan(r["approved"]) for r in block.rows],
            },
            {
                "name": "放款（已确认）",
                "tone": "disbursed",
                "values": [_wan(r["disbursed"]) for r in block.rows],
            },
        ]
        if not block.by_institution:
            series.insert(
                0, {"name": "融资需求", "tone": "needed", "values": [_wan(r["needed"]) for r in block.rows]}
            )
        block.chart = {
            "title": f"{f.year}年融资{block.title}（万元）",
            "labels": [r["label"] for r in block.rows],
            "series": series,
            "unit": "万元",
            "urls": [r.get("url", "") for r in block.rows],
        }
    if f.land is not None:
        rows = f.land.rows
        f.land.chart = {
            "title": f"{f.year}年零增地项目减免（万元）",
            "labels": [r["region_name"] for r in rows],
            "series": [
                {
                    "name": "免收土地出让金",
                    "tone": "premium",
                    "values": [_wan(r["premium_waived"]) for r in rows],
                },
                {
                    "name": "免收市政设施配套费",
                    "tone": "municipal",
                    "values": [_wan(r["municipal_waived"]) for r in rows],
                },
            ],
            "stack": True,
            "unit": "万元",
            "urls": [r.get("url", "") for r in rows],
        }


def chart_data(f: FinanceLand) -> dict[str, Any]:
    """The charts of the section by key (merged into the dashboard's `charts`)."""
    charts = {b.key: b.chart for b in f.blocks}
    if f.land is not None:
        charts["land"] = f.land.chart
    return charts
