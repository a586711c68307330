"""Money written as the policy writes it (豫政办〔2022〕8号: "最高不超过500万元"): 元 with thousands
separators, and 万元 — the one formatter of the project. Decimal (or int) only, never float: a float
is refused rather than rounded. Plain Python: the engine (no Django) writes its explanations with it,
the pages through the template filters of `jigai.web.templatetags.money`.

    yuan(Decimal("12000000"))     → "12,000,000 元"        (fen only when there are any: "1,234.50 元")
    wan(Decimal("3703703"))       → "370.3703 万元"         (exact, trailing zeros dropped)
    yuan_wan(Decimal("12000000")) → "12,000,000 元（1,200 万元）"  (the engine's explanation lines)
    wan_yuan(Decimal("3600000"))  → "360 万元（3,600,000 元）"      (the pages)
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["wan", "wan_yuan", "yuan", "yuan_wan"]


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
