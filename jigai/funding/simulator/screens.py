"""What the simulator pages and API show: the rows of a run's summary with Chinese names, in 万元."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jigai.regions.models import Region

from ..calc import item_label, reason_label
from ..models import AllocationMethod, ItemGroup, ScenarioRun
from .replay import CHANGE_LABELS, NOT_OPEN


def _row(label: str, b: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": label,
        "cases": b["cases"],
        "baseline_eligible": b["baseline_eligible"],
        "scenario_eligible": b["scenario_eligible"],
        "became_eligible": b["became_eligible"],
        "dropped_out": b["dropped_out"],
        "baseline_ceiling": Decimal(b["baseline_ceiling"]),
        "scenario_ceiling": Decimal(b["scenario_ceiling"]),
        "delta": Decimal(b["scenario_ceiling"]) - Decimal(b["baseline_ceiling"]),
    }


def run_screen(run: ScenarioRun) -> dict[str, Any]:
    s = run.summary or {}
    if not s:
        return {"run": run, "ready": False}
    names = dict(Region.objects.filter(code__in=list(s.get("cities", {}))).values_list("code", "name"))
    groups = [
        _row(ItemGroup(g).label if g in ItemGroup.values else g, b) for g, b in s.get("groups", {}).items()
    ]
    cities = [_row(names.get(c, c or "未知"), b) for c, b in s.get("cities", {}).items()]
    budgets = []
    for g, b in s.get("budgets", {}).items():
        row = {"label": ItemGroup(g).label if g in ItemGroup.values else g, "budget": b.get("budget")}
        for method, method_label in AllocationMethod.choices:
            for side in ("baseline", "scenario"):
                v = b.get(f"{side}_{method}")
                row[f"{side}_{method}"] = (
                    {**v, "granted": Decimal(v["granted"]), "label": method_label} if v else None
                )
        budgets.append(row)
    return {
        "run": run,
        "ready": True,
        "total": _row("合计", s["total"]),
        "groups": groups,
        "cities": sorted(cities, key=lambda r: -r["scenario_ceiling"]),
        "budgets": budgets,
        "changed": s.get("changed", 0),
        "changes_listed": s.get("changes_listed", 0),
    }


def change_rows(
    run: ScenarioRun, *, change: str = "", group: str = "", city: str = ""
) -> list[dict[str, Any]]:
    names = dict(Region.objects.filter(level="city").values_list("code", "name"))
    rows = []
    for c in run.changes or []:
        if (
            (change and c["change"] != change)
            or (group and c["group"] != group)
            or (city and c["city"] != city)
        ):
            continue
        rows.append(
            {
                "id": c["id"],
                "label": c["label"],
                "enterprise": c["enterprise"],
                "city": names.get(c["city"], c["city"]),
                "item": item_label(c["item"]),
                "change": CHANGE_LABELS.get(c["change"], c["change"]),
                "baseline_amount": Decimal(c["baseline"]["amount"]),
                "scenario_amount": Decimal(c["scenario"]["amount"]),
                "reasons": "、".join(
                    "指南草案未开放该事项" if r == NOT_OPEN else reason_label(r)
                    for r in c["scenario"]["reasons"]
                ),
            }
        )
    return rows
