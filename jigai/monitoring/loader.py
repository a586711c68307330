"""Loads the indicators from data/indicators.json (called by the data migration and by `load_indicators`
in tests): insert or update by code, so a changed file is applied again without duplicating rows."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "indicators.json"
_DECIMALS = ("province_goal", "jump_threshold")
_LINKS = ("numerator", "denominator")


def indicator_rows() -> list[dict[str, Any]]:
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for order, row in enumerate(rows, start=1):
        row.setdefault("sort_order", order * 10)
        for key in _DECIMALS:
            if row.get(key) is not None:
                row[key] = Decimal(row[key])
    return rows


def load_indicators(indicator_model: Any) -> int:
    """Write every indicator of the data file into `indicator_model` (the historical model in a
    migration). Returns the number of rows."""
    rows = indicator_rows()
    by_code: dict[str, Any] = {}
    for row in rows:
        fields = {k: v for k, v in row.items() if k not in ("code", *_LINKS)}
        obj, _ = indicator_model.objects.update_or_create(code=row["code"], defaults=fields)
        by_code[row["code"]] = obj
    for row in rows:  # links after every row exists (a growth/ratio indicator refers to its bases)
        obj = by_code[row["code"]]
        for link in _LINKS:
            setattr(obj, f"{link}_id", by_code[row[link]].pk if row.get(link) else None)
        obj.save(update_fields=[f"{link}" for link in _LINKS])
    return len(rows)
