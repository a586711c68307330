"""jigai.core.forms.WanYuanField: amounts typed in 万元, kept as exact yuan; a Chinese message per field."""

from decimal import Decimal

import pytest
from django import forms

from jigai.core.forms import WAN_MESSAGE, WanYuanField, yuan_from_wan


class _Form(forms.Form):
    amount = WanYuanField(label="金额（万元）")
    optional = WanYuanField(label="可空（万元）", required=False)


def _clean(value: str, field: str = "amount") -> forms.Form:
    form = _Form({"amount": "1", "optional": "", field: value})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("360", Decimal("3600000")),
        ("1,200.5", Decimal("12005000")),
        ("54,379.0015", Decimal("543790015")),
        (" 0.000001 ", Decimal("0.01")),  # 6 decimals of 万元: the fen
        ("12.345678", Decimal("123456.78")),
        ("0", Decimal("0")),
    ],
)
def test_valid_wan_is_stored_as_exact_yuan(typed, yuan):
    form = _clean(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == yuan
    assert str(form.cleaned_data["amount"]) == str(yuan)  # no exponent, no spurious decimals


@pytest.mark.parametrize("typed", ["1.2345678", "-5", "三百万", "abc", "1.2.3", "1e3", "NaN", ".", "１２"])
def test_bad_input_gets_the_chinese_message_on_the_field(typed):
    form = _clean(typed)
    assert not form.is_valid()
    assert form.errors["amount"] == [WAN_MESSAGE]
    assert WAN_MESSAGE == "请输入以万元为单位的金额，最多 6 位小数"


def test_required_and_optional_and_too_large():
    assert _clean("")["amount"].errors == ["这个字段是必填项。"]
    form = _clean("", "optional")
    assert form.is_valid() and form.cleaned_data["optional"] is None
    form = _clean("10000000000")  # 10¹⁰ 万元 = 10¹⁴ 元: beyond what the models keep
    assert form.errors["amount"] == ["金额过大，请核对单位（万元）。"]


def test_initial_yuan_is_shown_in_wan_with_the_yuan_beside_it():
    html = str(_Form(initial={"amount": Decimal("12005000.00")})["amount"])
    assert 'value="1200.5"' in html and 'inputmode="decimal"' in html and "data-wan-yuan" in html
    assert "= 12,005,000 元" in html and "万元" in html
    bound = str(_Form({"amount": "1,2x"})["amount"])
    assert 'value="1,2x"' in bound  # what the user typed comes back as typed


def test_yuan_from_wan():
    assert yuan_from_wan("1，000") == Decimal("10000000")
    assert yuan_from_wan("-1") is None and yuan_from_wan("") is None
