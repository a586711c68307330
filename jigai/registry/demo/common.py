"""What every demo builder shares: constants, the context, small helpers."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jigai.accounts.models import User
from jigai.regions.models import Region

from ..models import Enterprise
from ..uscc import ALPHABET, check_character
from .data import GIVEN, SURNAMES

DEFAULT_ENTERPRISES = 2000
DEFAULT_SEED = 2026
CHUNK = 1000
# Positions 9–10 of every demo credit code (the organisation code part): how `--reset` finds demo rows.
MARK = "JG"
DEMO_PASSWORD = "Jigai@2026demo"
YUAN = Decimal("0.01")
WAN = Decimal("10000")


@dataclass
class DemoContext:
    """What builders share. `enterprises` holds (pk, region_code, division, size, above) of every demo
    enterprise; `users` the demo users by username; `featured` the enterprise of the demo enterprise user."""

    rng: random.Random
    n_enterprises: int
    today: dt.date
    regions: dict[str, Region] = field(default_factory=dict)
    enterprises: list[tuple[int, str, str, str, bool]] = field(default_factory=list)
    featured: Enterprise | None = None
    users: dict[str, User] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    log: Callable[[str], None] = lambda _msg: None

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


Builder = Callable[[DemoContext], None]


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def money(value: float | int | Decimal, step: Decimal = YUAN) -> Decimal:
    return Decimal(str(value)).quantize(step)


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def demo_uscc(region: str, n: int, rng: random.Random) -> str:
    """A valid credit code: 9 (工商) 1 (企业), the region (positions 3–8), the demo MARK, n in four base-31
    characters (unique up to 923,521), three random characters and the check character."""
    seq = ""
    for _ in range(4):
        n, digit = divmod(n, len(ALPHABET))
        seq = ALPHABET[digit] + seq
    body = f"91{region}{MARK}{seq}" + "".join(rng.choices(ALPHABET, k=3))
    return body + check_character(body)


def short(name: str) -> str:
    for suffix in ("示范区", "市", "县", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
