"""Input values of the contract (money, dates, months, credit code) and how amounts are written.

Money is exact `Decimal`; every arithmetic step goes through `EXACT`, which traps an inexact result,
so a rounding can only happen where the contract says (truncation to whole yuan).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Context, Decimal, Inexact, InvalidOperation
from operator import mul

from jigai.policy.errors import CaseError

# Precision far above any money (16 integer digits + 2 decimals) times any rate (6 decimals).
EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])

MONEY_RE = re.compile(r"(?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,2})?")
_NEG_MONEY_RE = re.compile(r"-\s*[0-9]+(?:\.[0-9]+)?")

# Dates and credit codes repeat across a batch (and across requests): each is checked once.
DATE_CACHE: dict[str, date] = {}


def parse_money(value: object, field: str) -> Decimal:
    """A money string of yuan, at most 2 decimals, not negative (contract: "Money, dates, rounding")."""
    if type(value) is str:
        if MONEY_RE.fullmatch(value):
            return Decimal(value)
        if _NEG_MONEY_RE.fullmatch(value.strip()):
            raise CaseError(field, "金额不能为负数")
        raise CaseError(
            field, f'金额格式不正确：应为以元为单位、最多两位小数的字符串，如 "12345678.90"，收到 {value!r}'
        )
    if value is None:
        raise CaseError(field, "金额不能为空")
    if isinstance(value, bool):
        raise CaseError(field, '金额须为字符串（如 "12345678.90"），不接受 true/false')
    if isinstance(value, int | float):
        raise CaseError(field, '金额须为字符串（如 "12345678.90"），不接受 JSON 数字（会损失精度）')
    raise CaseError(field, '金额须为字符串（如 "12345678.90"）')


def parse_date(value: object, field: str) -> date:
    """A `YYYY-MM-DD` date (only this form: Python also accepts other ISO forms)."""
    if type(value) is str:
        found = DATE_CACHE.get(value)
        if found is not None:
            return found
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
            try:
                result = date.fromisoformat(value)
            except ValueError:
                raise CaseError(field, f"日期不存在：{value}") from None
            if len(DATE_CACHE) < 100_000:
                DATE_CACHE[value] = result
            return result
    raise CaseError(field, f"日期格式应为 YYYY-MM-DD，收到 {value!r}")


def clear_caches() -> None:
    """Forgets the dates and credit codes already checked (benchmarks start cold with it)."""
    DATE_CACHE.clear()
    USCC_OK.clear()


def parse_bool(value: object, field: str) -> bool:
    if value is True or value is False:
        return value
    raise CaseError(field, f"应为 true 或 false，收到 {value!r}")


def parse_int(value: object, field: str, low: int, high: int) -> int:
    if type(value) is int and low <= value <= high:
        return value
    raise CaseError(field, f"应为 {low} 到 {high} 之间的整数，收到 {value!r}")


def add_months(start: date, months: int, *, month_end_inclusive: bool = True) -> date:
    """The exclusive end of [start, start + months): the same day `months` later.

    When that day does not exist (29 February, 31st), `month_end_inclusive` treats it as the virtual date
    just after the month's last day, so the last day stays inside and the window ends on the 1st of the
    next month; otherwise the window ends on the month's last day (excluded).
    """
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    last = _month_days(year, month)
    if start.day <= last:
        return date(year, month, start.day)
    if month_end_inclusive:
        return date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, last)


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# --- writing amounts ---------------------------------------------------------------------------------
# 元 and 万元: the project's one money formatter, jigai.core.money (imported as fmt_yuan, fmt_yuan_wan).


def fmt_rate(rate: Decimal) -> str:
    """Decimal("0.125") → "12.5%"."""
    pct = rate * 100
    text = f"{pct:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def plain(amount: Decimal) -> str:
    """A Decimal as a plain string (a base, rate or cap of the components).

    `str` writes no exponent here: every value comes from a plain string with at most 6 decimals
    (money 2, rates 6), and sums keep the smaller exponent.
    """
    return str(amount)


# --- unified social credit code (GB 32100-2015) --------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_FIRST = frozenset("0123456789ANY")
USCC_OK: set[str] = set()


_USCC_CHARS = frozenset(USCC_ALPHABET)
_USCC_BYTES = bytes(_USCC_VALUE.get(chr(b), 0) for b in range(256))  # ASCII code → value


def uscc_check_char(first17: str) -> str:
    if len(first17) != len(_USCC_WEIGHTS):
        raise ValueError("uscc_check_char takes the first 17 characters")
    # map/mul instead of a generator: this runs once per case in large batches.
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, first17), _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: object, field: str = "applicant.uscc") -> str:
    """Checks the 18-character code; the first character (登记管理部门码) may be a digit or A, N, Y.

    Not python-stdnum: it refuses valid codes that begin with a letter.
    """
    if type(value) is str and value in USCC_OK:
        return value
    if type(value) is not str or len(value) != 18:
        raise CaseError(field, "统一社会信用代码应为 18 位字符")
    if value[0] not in _USCC_FIRST:
        raise CaseError(field, "统一社会信用代码第 1 位（登记管理部门码）应为数字或 A、N、Y")
    if not _USCC_CHARS.issuperset(value):
        c = next(c for c in value if c not in _USCC_CHARS)
        raise CaseError(
            field, f"统一社会信用代码含有不允许的字符 {c!r}（只用数字和除 I、O、S、V、Z 外的大写字母）"
        )
    # The characters are checked above, so the values come from one `translate` (a byte per character).
    total = sum(map(mul, value[:17].encode("ascii").translate(_USCC_BYTES), _USCC_WEIGHTS))
    if USCC_ALPHABET[(31 - total % 31) % 31] != value[17]:
        raise CaseError(field, "统一社会信用代码校验位不正确（GB 32100-2015）")
    if len(USCC_OK) < 100_000:
        USCC_OK.add(value)
    return value
