"""What is dated after the application date (`as_of`): 3.2.2-award invoices never count; 3.2.x-insurance
periods that start after it count or not by the parameter `<item>.periods_after_as_of` (the contract's
example E07 counts them, so the shipped value is `count`; a guideline may set `exclude`)."""

from __future__ import annotations

import pytest

from jigai.policy import evaluate_request, parameter_table
from jigai.policy.tests.helpers import case, run


def software(*invoices: tuple[str, str], recognized_on: str = "2022-03-15") -> dict:
    return {
        "products": [
            {
                "name": "软件",
                "recognized_on": recognized_on,
                "invoices": [{"date": d, "amount": a} for d, a in invoices],
            }
        ]
    }


def test_invoices_dated_after_as_of_are_not_counted_and_the_explanation_says_so():
    facts = software(
        ("2022-03-15", "1000"), ("2022-06-30", "500"), ("2022-07-01", "700"), ("2023-01-01", "9")
    )
    result = run(case("3.2.2-award", facts, as_of="2022-06-30"))
    assert result["amount"] == "300"  # 20% × (1,000 + 500); the invoice of the application date counts
    assert result["components"][0]["base"] == "1500"
    line = next(x for x in result["explanation"] if "计入 [" in x)
    assert "发票 2 张（共 4 张；其中 2 张开票日期晚于申报日期 2022-06-30，不计）" in line
    # Once the application date is past the window, every invoice of the window counts as before.
    later = run(case("3.2.2-award", facts, as_of="2023-06-30"))
    assert later["amount"] == str(int((1000 + 500 + 700 + 9) * 0.2))
    assert not any("晚于申报日期" in x for x in later["explanation"])


def test_invoices_after_as_of_do_not_count_in_the_quiet_path_either():
    facts = software(("2022-03-15", "1000"), ("2022-07-01", "700"))
    body = {"cases": [case("3.2.2-award", facts, as_of="2022-06-30")], "explain": False}
    assert evaluate_request(body)["results"][0]["amount"] == "200"


INSURANCE = {
    "recognitions": ["provincial"],
    "insured_amount": "20000000",
    "periods": [
        {"start": "2022-01-01", "months": 12, "premium": "700000"},
        {"start": "2023-01-01", "months": 12, "premium": "500000"},
        {"start": "2024-01-01", "months": 24, "premium": "900000"},
    ],
}


@pytest.mark.parametrize("item", ["3.2.1-insurance", "3.2.2-insurance"])
def test_insurance_periods_after_as_of_are_a_documented_parameter(item):
    rows = {row["path"]: row for row in parameter_table()}
    row = rows[f"{item}.periods_after_as_of"]
    assert row["value"] == "count" and row["choices"] == ["count", "exclude"]
    assert "E07" in row["note"] and row["clause"].startswith("三（二）")


SOFTWARE_INSURANCE = {  # 三（二）2: a 12-month term
    "recognitions": ["provincial"],
    "insured_amount": "5000000",
    "periods": [
        {"start": "2022-07-01", "months": 6, "premium": "50000"},
        {"start": "2023-01-01", "months": 6, "premium": "60000"},
    ],
}


@pytest.mark.parametrize(
    ("item", "facts", "counted_amount", "kept"),
    [
        ("3.2.1-insurance", INSURANCE, "1240000", "480000"),  # 80% × min(700,000, 600,000)
        ("3.2.2-insurance", SOFTWARE_INSURANCE, "88000", "40000"),  # 80% × 50,000 (+ 80% × 60,000)
    ],
)
def test_insurance_periods_after_as_of_excluded_by_the_round(item, facts, counted_amount, kept):
    clause = "三（二）1" if item.startswith("3.2.1") else "三（二）2"
    exclude = {f"{item}.periods_after_as_of": "exclude"}
    counted = run(case(item, facts, as_of="2022-10-01"))
    assert counted["amount"] == counted_amount
    assert any("起始日期晚于申报日期 2022-10-01，按本版参数仍计入" in x for x in counted["explanation"])
    result = run(case(item, facts, as_of="2022-10-01"), overrides=exclude, round_year=2022)
    assert (result["amount"], result["limits_applied"]) == (kept, [])
    lines = [x for x in result["explanation"] if "晚于申报日期" in x]
    assert lines and all("不计" in x for x in lines)
    assert lines[0].startswith(f"{clause}：第 2 期（2023-01-01")
    quiet = evaluate_request(
        {"cases": [case(item, facts, as_of="2022-10-01")], "explain": False},
        overrides=exclude,
        round_year=2022,
    )
    assert quiet["results"][0]["amount"] == kept


def test_excluded_later_periods_leave_the_term_to_nothing_else():
    # as_of inside the second period: the first two periods count, the third (after as_of) not.
    exclude = {"3.2.1-insurance.periods_after_as_of": "exclude"}
    result = run(case("3.2.1-insurance", INSURANCE, as_of="2023-01-01"), overrides=exclude, round_year=2023)
    assert result["amount"] == "880000"  # 480,000 + 400,000
    assert result["limits_applied"] == []
