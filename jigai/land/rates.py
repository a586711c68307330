"""The arithmetic of the waiver (四（二）: 零增地技术改造项目 … 不再增收土地出让金和市政设施配套费), as pure
functions the services, the selectors and the tests share: which city a region belongs to, the rate in force
on a date, and the amount waived on an added floor area, exact with Decimal.

Rule: the amount waived of a kind is the added floor area (m², two decimals) times the city's rate of that
kind (yuan per m², two decimals) for the case's zone, in force on the day the city checks the case (核验日期:
the latest rate whose execution date is on or before it), rounded half up to the fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FEN = Decimal("0.01")


def city_code_of(region_path: str) -> str:
    """The code of the city (省辖市, or Jiyuan 419001) a region lies in, from its materialised path:
    "410000/410300/410305" → "410300"; "410000/419001" → "419001"; the province itself → ""."""
    parts = [p for p in (region_path or "").split("/") if p]
    return parts[1] if len(parts) > 1 else ""


def waived(area: Decimal, per_m2: Decimal) -> Decimal:
    """area × rate, half up to the fen. Decimal only: a float is refused rather than rounded."""
    if not isinstance(area, Decimal) or not isinstance(per_m2, Decimal):
        raise TypeError("面积与标准应为 Decimal")
    return (area * per_m2).quantize(FEN, rounding=ROUND_HALF_UP)


def rate_in_force(rates: Any, *, city_code: str, zone: str, kind: str, on: dt.date) -> Any:
    """The rate row of `kind` for the city's zone in force on `on` (None when there is none): `rates` is a
    FeeRate queryset (the caller's gate already applied)."""
    return (
        rates.filter(city_id=city_code, zone=zone or "", kind=kind, valid_from__lte=on)
        .order_by("-valid_from", "-id")
        .first()
    )
