"""三（二）1、2 "单个企业年度…最高不超过500万元" across applications: `annual_cap_used` is what the
enterprise's other awards of the year already take of the cap; the case gets at most what is left."""

from __future__ import annotations

import pytest

from jigai.policy import (
    REASON_LABELS,
    annual_cap_group,
    evaluate_case,
    evaluate_request,
    is_fixed_amount,
    item_catalog,
)
from jigai.policy.errors import CaseError
from jigai.policy.tests.helpers import case, run, run_all, uscc


def product(name: str, recognitions: list[str], amount: str) -> dict:
    return {"name": name, "recognitions": recognitions, "sales_invoice_amount": amount}


NATIONAL_3M = {"products": [product("甲", ["national"], "60000000")]}  # 5% → 3,000,000
SOFTWARE_1_5M = {  # 20% × 7,500,000 → 1,500,000
    "products": [
        {
            "name": "软件",
            "recognized_on": "2022-01-10",
            "invoices": [{"date": "2022-03-01", "amount": "7500000"}],
        }
    ]
}


def test_the_rest_of_the_cap_is_the_ceiling_and_the_explanation_gives_the_figures():
    result = run(case("3.2.1-award", NATIONAL_3M, annual_cap_used="4000000"))
    assert (result["eligible"], result["amount"]) == (True, "1000000")
    assert result["limits_applied"] == ["enterprise_annual_cap"]
    assert result["schedule"] == [{"stage": "on_approval", "amount": "1000000"}]
    assert any(
        "三（二）1：" in line
        and "本企业本年度其他首台（套）奖励已占用 4,000,000 元，单个企业年度上限 5,000,000 元，"
        "剩余 1,000,000 元 → 本次不超过 1,000,000 元"
        in line
        for line in result["explanation"]
    )


def test_the_same_for_software_awards():
    result = run(case("3.2.2-award", SOFTWARE_1_5M, annual_cap_used="4500000"))
    assert (result["amount"], result["limits_applied"]) == ("500000", ["enterprise_annual_cap"])
    assert any(
        "本企业本年度其他首版次软件奖励已占用 4,500,000 元，单个企业年度上限 5,000,000 元，"
        "剩余 500,000 元 → 本次不超过 500,000 元" in line
        for line in result["explanation"]
    )


def test_room_enough_changes_nothing_but_is_said():
    result = run(case("3.2.1-award", NATIONAL_3M, annual_cap_used="1000000"))
    assert (result["amount"], result["limits_applied"]) == ("3000000", [])
    assert any(
        "已占用 1,000,000 元" in line and "剩余 4,000,000 元" in line for line in result["explanation"]
    )


def test_without_the_field_or_with_zero_the_case_is_as_before():
    plain = run(case("3.2.1-award", NATIONAL_3M))
    zero = run(case("3.2.1-award", NATIONAL_3M, annual_cap_used="0"))
    assert plain == zero
    assert plain["amount"] == "3000000"
    assert not any("已占用" in line for line in plain["explanation"])


def test_a_fen_short_of_a_yuan_is_truncated():
    result = run(case("3.2.1-award", NATIONAL_3M, annual_cap_used="4000000.50"))
    assert (result["amount"], result["limits_applied"]) == ("999999", ["enterprise_annual_cap"])
    assert any("剩余 999,999.50 元 → 本次不超过 999,999 元" in line for line in result["explanation"])


@pytest.mark.parametrize("used", ["5000000", "4999999.01", "7000000"])
def test_nothing_left_is_not_eligible(used):
    result = run(case("3.2.1-award", NATIONAL_3M, annual_cap_used=used))
    assert result["eligible"] is False
    assert (result["amount"], result["reasons"]) == ("0", ["ANNUAL_CAP_REACHED"])
    assert (result["components"], result["schedule"], result["limits_applied"]) == ([], [], [])
    assert "ANNUAL_CAP_REACHED" in REASON_LABELS
    text = "\n".join(result["explanation"])
    assert REASON_LABELS["ANNUAL_CAP_REACHED"] in text and "三（二）1" in text
    assert "ANNUAL_CAP_REACHED" not in text  # people read the label; the code stays in "reasons"
    assert result["explanation"][-1].endswith("补助为 0 元")


def test_reached_cap_is_listed_with_the_other_reasons():
    result = run(case("3.2.1-award", NATIONAL_3M, in_henan=False, annual_cap_used="5000000"))
    assert result["reasons"] == ["NOT_IN_HENAN", "ANNUAL_CAP_REACHED"]


@pytest.mark.parametrize("item", ["3.1.4", "3.2.1-insurance", "3.4.3"])
def test_items_without_an_annual_cap_ignore_the_field(item):
    facts = {
        "3.1.4": {"machine_purchase_investment": "1000000"},
        "3.2.1-insurance": {
            "recognitions": ["provincial"],
            "insured_amount": "1000000",
            "periods": [{"start": "2022-01-01", "months": 12, "premium": "10000"}],
        },
        "3.4.3": {"provincially_recognized": True},
    }[item]
    assert run(case(item, facts, annual_cap_used="9000000")) == run(case(item, facts))


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "负数"), ("12.345", "金额格式"), (4000000, "JSON 数字"), (None, "不能为空"), ("abc", "金额格式")],
)
def test_bad_value_is_an_input_error_on_the_field(value, message):
    one = case("3.2.1-award", NATIONAL_3M)
    one["annual_cap_used"] = value
    result = run(one)
    assert result["error"]["field"] == "annual_cap_used"
    assert message in result["error"]["message"]
    with pytest.raises(CaseError):
        evaluate_case(one)


def test_quiet_path_gives_the_same_numbers():
    cases = [
        case("3.2.1-award", NATIONAL_3M, id=f"C{i}", uscc_code=uscc(i), annual_cap_used=used)
        for i, used in enumerate(["0", "1000000", "4000000", "4000000.50", "5000000", "6000000"])
    ]
    cases += [
        case("3.2.2-award", SOFTWARE_1_5M, id=f"S{i}", uscc_code=uscc(50 + i), annual_cap_used=used)
        for i, used in enumerate(["0", "4500000", "5000000"])
    ]
    explained = evaluate_request({"cases": cases})["results"]
    quiet = evaluate_request({"cases": cases, "explain": False})["results"]
    assert [{k: v for k, v in r.items() if k != "explanation"} for r in explained] == quiet


def test_the_two_clauses_have_separate_caps():
    assert annual_cap_group("3.2.1-award") == "3.2.1-award.enterprise_annual_cap"
    assert annual_cap_group("3.2.2-award") == "3.2.2-award.enterprise_annual_cap"
    assert annual_cap_group("3.2.1-insurance") is None
    assert annual_cap_group("3.1.1") is None
    groups = {i["code"]: i["annual_cap_group"] for i in item_catalog()}
    assert {k for k, v in groups.items() if v} == {"3.2.1-award", "3.2.2-award"}
    with pytest.raises(ValueError, match="未知的支持项目"):
        annual_cap_group("3.9.9")


def test_fixed_amount_items_come_from_the_declarations():
    fixed = {i["code"] for i in item_catalog() if i["fixed_amount"]}
    assert fixed == {"3.3.1-national-promotion", "3.3.2", "3.3.3", "3.4.1", "3.4.2", "3.4.3"}
    assert all(is_fixed_amount(code) for code in fixed)
    assert not is_fixed_amount("3.2.1-award") and not is_fixed_amount("3.1.2")
    with pytest.raises(ValueError):
        is_fixed_amount("auto")


def test_one_per_year_still_applies_on_top():
    first, later = run_all(
        case("3.4.3", {"provincially_recognized": True}, id="A", uscc_code=uscc(7)),
        case("3.2.1-award", NATIONAL_3M, id="B", uscc_code=uscc(7), annual_cap_used="4000000"),
    )
    assert first["eligible"] and later["reasons"] == ["ONE_PER_YEAR"]
