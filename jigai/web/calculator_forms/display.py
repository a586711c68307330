"""The engine's answer for display: Chinese labels, and amounts as Decimal for the `money` filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jigai.web.calculator_forms.tree import AUTO


def percent(rate: Any) -> str:
    """'0.30' → '30%'."""
    return f"{Decimal(str(rate)).scaleb(2).normalize():f}%"


def _money(amount: Any) -> Decimal | None:
    """The contract's amount string as Decimal (the template writes it with the `money` filters)."""
    if amount in (None, ""):
        return None
    return Decimal(str(amount))


def present_result(result: dict[str, Any], catalog: list[dict[str, Any]], labels: dict[str, dict]) -> dict:
    """One result (or one auto option) with the Chinese labels the template shows, amounts as Decimal."""
    item = next((i for i in catalog if i["code"] == result.get("item")), {})
    components = [
        {
            "name": c.get("name", ""),
            "base": _money(c.get("base")),
            "rate": percent(c["rate"]) if c.get("rate") not in (None, "") else "",
            "cap": _money(c.get("cap")),
            "amount": _money(c.get("amount")),
        }
        for c in result.get("components") or []
    ]
    return {
        "item": result.get("item"),
        "title": item.get("title", "自动推荐" if result.get("item") == AUTO else ""),
        "clause": item.get("clause", ""),
        "eligible": bool(result.get("eligible")),
        "amount": _money(result.get("amount") or "0"),
        "reasons": [{"code": r, "label": labels["reasons"].get(r, r)} for r in result.get("reasons") or []],
        "limits": [
            {"code": r, "label": labels["limits"].get(r, r)} for r in result.get("limits_applied") or []
        ],
        "components": components,
        "schedule": [
            {"label": labels["stages"].get(s["stage"], s["stage"]), "amount": _money(s["amount"])}
            for s in result.get("schedule") or []
        ],
        "citations": list(result.get("citations") or []),
        "explanation": list(result.get("explanation") or []),
        "options": [present_result(o, catalog, labels) for o in result.get("options") or []],
    }
