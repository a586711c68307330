"""Explanation wording: a rounded intermediate figure is written with "约" (exact ones never are); a case
cut by one-application-a-year ends on that reason and 0, not on a ceiling line."""

from __future__ import annotations

from fractions import Fraction

from jigai.policy.amounts import fmt_exact
from jigai.policy.fast import evaluate_to_json
from jigai.policy.labels import REASON_LABELS
from jigai.policy.tests.helpers import case, run, run_all, uscc


def test_rounded_figures_carry_yue_exact_ones_do_not():
    assert fmt_exact(Fraction("1234.5678")) == "约 1,234.57 元"
    assert fmt_exact(Fraction("1234.565")) == "约 1,234.57 元"  # half up
    assert fmt_exact(Fraction(2, 3) * 1000000) == "约 666,666.67 元"
    assert fmt_exact(Fraction("1234.5")) == "1,234.5 元"
    assert fmt_exact(Fraction(500)) == "500 元"


def test_a_pro_rata_premium_is_written_rounded_with_yue():
    facts = {
        "recognitions": ["provincial"],
        "insured_amount": "100000000",
        "periods": [{"start": "2022-01-01", "months": 24, "premium": "2469.13"}],  # 12 of 24 months count
    }
    result = run(case("3.2.2-insurance", facts))
    line = next(x for x in result["explanation"] if x.startswith("三（二）2：第 1 期"))
    assert "min(约 1,234.57 元, 3,000,000 元)" in line  # 2,469.13 × 12/24 = 1,234.565
    assert line.endswith("= 约 987.65 元")  # 80% × 1,234.565 = 987.652
    assert "约 987.65 元，舍去不足 1 元的部分 → 987 元" in result["explanation"][-2]
    assert result["amount"] == "987"


def test_exact_figures_never_get_yue():
    facts = {
        "recognitions": ["provincial"],
        "insured_amount": "100000000",
        "periods": [{"start": "2022-01-01", "months": 24, "premium": "2000"}],
    }
    text = "\n".join(run(case("3.2.2-insurance", facts))["explanation"])
    assert "约" not in text and "min(1,000 元, 3,000,000 元)" in text
    text = "\n".join(run(case("3.1.4", {"machine_purchase_investment": "12345678.91"}))["explanation"])
    assert "约" not in text and "3,703,703.673 元" in text


FACTS = {
    "3.1.1": {"project_type": "green", "equipment_investment": "12000000", "software_investment": "0"},
    "3.3.2": {"status": "cultivation"},
    "3.2.1-award": {
        "products": [{"name": "甲", "recognitions": ["national"], "sales_invoice_amount": "1000"}]
    },
}


def _later(item: str) -> dict:
    _first, later = run_all(
        case("3.4.3", {"provincially_recognized": True}, id="A", uscc_code=uscc(1)),
        case(item, FACTS[item], id="B", as_of="2022-07-01", uscc_code=uscc(1)),
    )
    return later


def test_one_per_year_ends_with_its_reason_and_zero():
    for item in FACTS:
        later = _later(item)
        assert later["reasons"] == ["ONE_PER_YEAR"] and later["amount"] == "0"
        lines = later["explanation"]
        last = lines[-1]
        assert last.startswith("三（末段）：") and REASON_LABELS["ONE_PER_YEAR"] in last
        assert "ONE_PER_YEAR" not in last and last.endswith("补助为 0 元")
        assert "A（2022-06-30）" in last
        assert not any("补助上限" in line for line in lines), item
        assert not any("拨" in line for line in lines), item  # no payment stages of a case that gets 0


def test_one_per_year_wording_is_the_same_on_the_json_path():
    import json

    body = {
        "cases": [
            case("3.4.3", {"provincially_recognized": True}, id="A", uscc_code=uscc(1)),
            case("3.3.2", FACTS["3.3.2"], id="B", as_of="2022-07-01", uscc_code=uscc(1)),
        ]
    }
    later = json.loads(evaluate_to_json(body))["results"][1]
    assert later["explanation"] == _later("3.3.2")["explanation"]


def test_auto_cut_by_one_per_year_ends_the_same_way():
    _first, later = run_all(
        case("3.4.3", {"provincially_recognized": True}, id="A", uscc_code=uscc(1)),
        case(
            "auto", {"machine_purchase_investment": "1000000"}, id="B", as_of="2022-07-01", uscc_code=uscc(1)
        ),
    )
    assert later["reasons"] == ["ONE_PER_YEAR"]
    assert later["explanation"][0].startswith("三（自动选择）")
    assert REASON_LABELS["ONE_PER_YEAR"] in later["explanation"][-1]
    assert not any("补助上限" in line for line in later["explanation"])
