"""jigai.core.money: 元 and 万元 as the policy writes them, from Decimal only."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from jigai.core.money import wan, wan_brief, wan_plain, wan_yuan, yuan, yuan_wan


def test_yuan_with_thousands_separators_and_fen_only_when_there_are_any():
    assert yuan(Decimal("12000000")) == "12,000,000 元"
    assert yuan(Decimal("12000000.00")) == "12,000,000 元"
    assert yuan(Decimal("1234.5")) == "1,234.50 元"
    assert yuan(Decimal("0.07")) == "0.07 元"
    assert yuan(0) == "0 元"
    assert yuan(3_600_000) == "3,600,000 元"


def test_wan_is_exact_with_trailing_zeros_dropped():
    assert wan(Decimal("3600000")) == "360 万元"
    assert wan(Decimal("3703703")) == "370.3703 万元"
    assert wan(Decimal("10500000")) == "1,050 万元"
    assert wan(Decimal("1500")) == "0.15 万元"
    assert wan(Decimal("1234567.89")) == "123.456789 万元"  # never rounded
    assert wan(Decimal("0")) == wan(Decimal("0.00")) == wan(0) == "0 万元"


def test_yuan_wan_adds_the_wan_only_for_whole_yuan_from_ten_thousand():
    assert yuan_wan(Decimal("12000000")) == "12,000,000 元（1,200 万元）"
    assert yuan_wan(5_000_000) == "5,000,000 元（500 万元）"
    assert yuan_wan(Decimal("9999")) == "9,999 元"
    assert yuan_wan(Decimal("12000.50")) == "12,000.50 元"


def test_wan_yuan_for_the_pages():
    assert wan_yuan(Decimal("3600000")) == "360 万元（3,600,000 元）"
    assert wan_yuan(Decimal("1234.5")) == "0.12345 万元（1,234.50 元）"


def test_wan_brief_is_the_overview_figure_to_two_decimals():
    assert wan_brief(Decimal("543790015")) == "54,379 万元"  # not "54,379.0015 万元"
    assert wan_brief(Decimal("194305196")) == "19,430.52 万元"  # not "19,430.5196 万元"
    assert wan_brief(Decimal("3600000")) == "360 万元"
    assert wan_brief(Decimal("3705000")) == "370.5 万元"
    assert wan_brief(Decimal("50")) == "0.01 万元" and wan_brief(Decimal("49")) == "0 万元"
    assert wan_brief(0) == "0 万元"


def test_wan_plain_is_what_a_wan_box_shows():
    assert wan_plain(Decimal("12005000")) == "1200.5"
    assert wan_plain(Decimal("12345678901.23")) == "1234567.890123"
    assert wan_plain(Decimal("3600000.00")) == "360" and wan_plain(0) == "0"


@pytest.mark.parametrize("fn", [yuan, wan, wan_brief, wan_plain, yuan_wan, wan_yuan])
@pytest.mark.parametrize("value", [1.5, "100", None])
def test_only_decimal_or_int_is_money(fn, value):
    with pytest.raises(TypeError):
        fn(value)


def test_money_is_formatted_in_one_place():
    """No other module of the project writes 万元 or defines its own money filter."""
    root = Path(__file__).resolve().parents[2]
    own = {root / "core" / "money.py", root / "web" / "templatetags" / "money.py"}
    for path in root.rglob("*.py"):
        if path in own or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^def (yuan|wan|fmt_yuan\w*)\(", text, re.M), path
        assert not re.search(r"scaleb\(-4\)", text), path  # 元 → 万元
