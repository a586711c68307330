"""Money written as the policy writes it (豫政办〔2022〕8号: "最高不超过500万元"): 元 with thousands
separators, and 万元 — the one formatter of the project. Decimal (or int) only, never float: a float
is refused rather than rounded. Plain Python: the engine (no Django) writes its explanations with it,
the pages through the template filters of `jigai.web.templatetags.money`.

    yuan(Decimal("12000000"))       → "12,000,000 元"        (fen only when there are any: "1,234.50 元")
    wan(Decimal("3703703"))         → "370.3703 万元"         (exact, trailing zeros dropped)
    wan_brief(Decimal("194305196")) → "19,430.52 万元"        (at most 2 decimals: the overview figure)
    yuan_wan(Decimal("12000000"))   → "12,000,000 元（1,200 万元）"  (the engine's explanation lines)
    wan_yuan(Decimal("3600000"))    → "360 万元（3,600,000 元）"      (the pages' exact amounts)

How the pages show money (the rule; officers think and write in 万元):

- Entered in 万元 (`jigai.core.forms.WanYuanField`, up to 6 decimals, i.e. to the fen), stored as exact 元.
- Where the exact yuan matters — the one amount someone is bound by: an application's 申请金额, 测算上限
  and 安排金额, a budget and what is left to allocate of it at decision time, an allocation line, a
  payment planned or made — `|money`: "54,379.0015 万元（543,790,015 元）" (exact 万元, then the 元).
- Everywhere else — tables, lists, totals, bars, investments, the public pages — `|wan`:
  "54,379 万元", "19,430.52 万元" (at most 2 decimals, half up; never a 4-decimal 万元 figure).
- `|yuan` alone only for amounts that are small and kept in 元 by their documents (保费, 发票金额) and for
  the engine's bases with fen; never beside a `|wan` figure of the same kind on the same page.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["wan", "wan_brief", "wan_plain", "wan_yuan", "yuan", "yuan_wan"]


def _checked(amount: Decimal | int) -> Decimal | int:
    if type(amount) is int or isinstance(amount, Decimal):
        return amount
    raise TypeError(f"金额应为 Decimal 或 int，而不是 {type(amount).__name__}")


def yuan(amount: Decimal | int) -> str:
    """12000000 → "12,000,000 元"; keeps the fen when there are any (the bases of a sum): "1,234.50 元"."""
    if type(amount) is int:
        return f"{amount:,} 元"
    _checked(amount)
    if amount == amount.to_integral_value():
        return f"{int(amount):,} 元"
    return f"{amount:,.2f} 元"


def _wan_number(amount: Decimal | int) -> str:
    text = f"{Decimal(amount).scaleb(-4):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def wan(amount: Decimal | int) -> str:
    """3600000 → "360 万元"; 3703703 → "370.3703 万元": exact, never rounded, trailing zeros dropped."""
    return f"{_wan_number(_checked(amount))} 万元"


def wan_plain(amount: Decimal | int) -> str:
    """12005000 → "1200.5": the exact 万元 number without separators or unit (what a 万元 box shows)."""
    return _wan_number(_checked(amount)).replace(",", "")


def wan_brief(amount: Decimal | int) -> str:
    """194305196 → "19,430.52 万元"; 543790015 → "54,379 万元": 万元 to at most 2 decimals (half up),
    trailing zeros dropped — the overview figure of tables and totals."""
    rounded = Decimal(_checked(amount)).scaleb(-4).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{'0' if text in ('-0', '') else text} 万元"


def yuan_wan(amount: Decimal | int) -> str:
    """12000000 → "12,000,000 元（1,200 万元）": the 万元 only for whole yuan from 10,000 up (as the policy
    writes its caps; the 万元 of a sum with fen would only add noise)."""
    text = yuan(amount)
    if amount >= 10000 and amount == int(amount):
        text += f"（{_wan_number(amount)} 万元）"
    return text


def wan_yuan(amount: Decimal | int) -> str:
    """3600000 → "360 万元（3,600,000 元）": 万元 first, as the pages show an amount."""
    return f"{wan(amount)}（{yuan(amount)}）"
