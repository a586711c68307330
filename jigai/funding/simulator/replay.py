"""The comparison of a scenario with the policy as it stands — pure functions over engine results.

For each case: eligible and ceiling under the policy as it stands (baseline: every item open, no
override) and under the draft (its items open, its overrides). Per item group and per city: how many are
eligible in each, how many become eligible, how many drop out, the total of ceilings; per item group, what
the budget buys under each allocation rule of the round (三 末段, funding/services/allocation.allocate:
by score, pro rata). The cases whose status or ceiling changes are listed, each with its reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..models import AllocationMethod, item_group_of
from ..services.allocation import Candidate, allocate
from .population import Case

ZERO = Decimal("0")
NOT_OPEN = "ITEM_NOT_OPEN"  # the draft does not open the item (not an engine reason: the guideline's)
CHANGES_KEPT = 20_000  # cases listed on the page and in the export; the counts cover all of them


def _outcome(result: dict[str, Any]) -> tuple[bool, Decimal, list[str], str]:
    if "error" in result:
        return False, ZERO, [], (result["error"] or {}).get("message", "")
    amount = Decimal(str(result.get("amount") or "0"))
    return bool(result.get("eligible")) and amount > 0, amount, list(result.get("reasons") or []), ""


def _bucket() -> dict[str, Any]:
    return {
        "cases": 0,
        "baseline_eligible": 0,
        "scenario_eligible": 0,
        "became_eligible": 0,
        "dropped_out": 0,
        "baseline_ceiling": ZERO,
        "scenario_ceiling": ZERO,
        "errors": 0,
    }


def compare(
    cases: list[Case],
    baseline: Iterable[dict[str, Any]],
    scenario: Iterable[dict[str, Any]],
    *,
    open_items: set[str],
    budgets: dict[str, Decimal],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(summary, changed cases). Results are aligned with `cases` (the engine keeps the order)."""
    groups: dict[str, dict[str, Any]] = defaultdict(_bucket)
    cities: dict[str, dict[str, Any]] = defaultdict(_bucket)
    total = _bucket()
    changes: list[dict[str, Any]] = []
    changed_count = 0
    candidates: dict[str, list[Candidate]] = defaultdict(list)
    baseline_candidates: dict[str, list[Candidate]] = defaultdict(list)
    for c, b, s in zip(cases, baseline, scenario, strict=True):
        item = c.case["item"]
        group = item_group_of(item)
        b_ok, b_amount, b_reasons, b_error = _outcome(b)
        if item in open_items:
            s_ok, s_amount, s_reasons, s_error = _outcome(s)
        else:
            s_ok, s_amount, s_reasons, s_error = False, ZERO, [NOT_OPEN], ""
        for bucket in (groups[group], cities[c.city], total):
            bucket["cases"] += 1
            bucket["baseline_eligible"] += b_ok
            bucket["scenario_eligible"] += s_ok
            bucket["became_eligible"] += s_ok and not b_ok
            bucket["dropped_out"] += b_ok and not s_ok
            bucket["baseline_ceiling"] += b_amount if b_ok else ZERO
            bucket["scenario_ceiling"] += s_amount if s_ok else ZERO
            bucket["errors"] += bool(b_error or s_error)
        order = (c.enterprise_id, c.case["id"])
        if s_ok:
            candidates[group].append(Candidate(key=c.case["id"], base=s_amount, score=c.score, order=order))
        if b_ok:
            baseline_candidates[group].append(
                Candidate(key=c.case["id"], base=b_amount, score=c.score, order=order)
            )
        if (b_ok, b_amount if b_ok else ZERO) != (s_ok, s_amount if s_ok else ZERO):
            changed_count += 1
            if len(changes) < CHANGES_KEPT:
                changes.append(
                    {
                        "id": c.case["id"],
                        "source": c.source,
                        "label": c.label,
                        "enterprise": c.enterprise_name,
                        "city": c.city,
                        "item": item,
                        "group": group,
                        "baseline": {
                            "eligible": b_ok,
                            "amount": str(b_amount if b_ok else ZERO),
                            "reasons": b_reasons,
                        },
                        "scenario": {
                            "eligible": s_ok,
                            "amount": str(s_amount if s_ok else ZERO),
                            "reasons": s_reasons,
                        },
                        "change": _change(b_ok, s_ok, b_amount, s_amount),
                        "case": c.case,
                    }
                )
    buys = {}
    for group in sorted(set(groups) | set(budgets)):
        budget = budgets.get(group)
        buys[group] = {"budget": None if budget is None else str(budget)}
        for method in AllocationMethod.values:
            for label, pool in (("scenario", candidates[group]), ("baseline", baseline_candidates[group])):
                if budget is None:
                    continue
                granted = allocate(pool, budget, method)
                funded = [k for k, v in granted.items() if v > 0]
                full = sum(1 for cand in pool if granted.get(cand.key, ZERO) >= cand.base)
                buys[group][f"{label}_{method}"] = {
                    "granted": str(sum(granted.values(), ZERO)),
                    "funded": len(funded),
                    "fully_funded": full,
                    "unfunded": len(pool) - len(funded),
                }
    summary = {
        "total": _jsonable(total),
        "groups": {k: _jsonable(v) for k, v in sorted(groups.items())},
        "cities": {k: _jsonable(v) for k, v in sorted(cities.items())},
        "budgets": buys,
        "changed": changed_count,
        "changes_listed": len(changes),
    }
    return summary, changes


def _change(b_ok: bool, s_ok: bool, b_amount: Decimal, s_amount: Decimal) -> str:
    if s_ok and not b_ok:
        return "became_eligible"
    if b_ok and not s_ok:
        return "dropped_out"
    return "higher" if s_amount > b_amount else "lower"


CHANGE_LABELS = {
    "became_eligible": "新增符合",
    "dropped_out": "不再符合",
    "higher": "上限提高",
    "lower": "上限降低",
}


def _jsonable(bucket: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in bucket.items()}
