"""三（末段）within one request (no double funding, one project a year) and `item: auto`."""

from __future__ import annotations

from jigai.policy.tests.helpers import case, qual, run, run_all, uscc

A = uscc(1)
B = uscc(2)
OK = {"provincially_recognized": True}
MACHINE = {"machine_purchase_investment": "1000000"}


def by_id(results: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in results}


def test_first_by_as_of_keeps_its_result_whatever_the_order_in_the_request():
    results = by_id(
        run_all(
            case("3.4.3", OK, id="late", as_of="2022-09-01", uscc_code=A),
            case("3.1.4", MACHINE, id="early", as_of="2022-04-01", uscc_code=A),
        )
    )
    assert results["early"]["eligible"] is True
    assert results["late"]["eligible"] is False
    assert results["late"]["reasons"] == ["ONE_PER_YEAR"]
    assert results["late"]["amount"] == "0"
    assert results["late"]["schedule"] == [] and results["late"]["components"] == []
    assert "三（末段）" in results["late"]["citations"]
    assert "early" in results["late"]["explanation"][-1]


def test_same_date_lower_id_first():
    results = by_id(
        run_all(
            case("3.4.3", OK, id="B-2", uscc_code=A),
            case("3.4.3", OK, id="B-10", uscc_code=A),
        )
    )
    assert results["B-10"]["eligible"] is True  # "B-10" < "B-2" as text
    assert results["B-2"]["reasons"] == ["ONE_PER_YEAR"]


def test_three_in_a_year_only_the_first_keeps():
    results = run_all(
        *(case("3.4.3", OK, id=f"C{i}", as_of=f"2022-0{i + 3}-01", uscc_code=A) for i in range(3))
    )
    assert [r["eligible"] for r in results] == [True, False, False]


def test_other_year_other_enterprise_not_affected():
    results = by_id(
        run_all(
            case("3.4.3", OK, id="a22", as_of="2022-12-31", uscc_code=A),
            case("3.4.3", OK, id="a23", as_of="2023-01-01", uscc_code=A),
            case("3.4.3", OK, id="b22", as_of="2022-12-31", uscc_code=B),
        )
    )
    assert all(r["eligible"] for r in results.values())


def test_ineligible_or_already_supported_case_does_not_use_the_year():
    results = by_id(
        run_all(
            case("3.4.3", {"provincially_recognized": False}, id="x1", as_of="2022-03-01", uscc_code=A),
            case("3.4.3", OK, id="x2", as_of="2022-04-01", uscc_code=A, other=True),
            case("3.4.3", OK, id="x3", as_of="2022-05-01", uscc_code=A),
        )
    )
    assert results["x1"]["reasons"] == ["NOT_RECOGNIZED"]
    assert results["x2"]["reasons"] == ["ALREADY_SUPPORTED"]
    assert results["x3"]["eligible"] is True


def test_input_error_does_not_use_the_year():
    results = by_id(
        run_all(
            case("3.1.4", {"machine_purchase_investment": 5}, id="bad", as_of="2022-03-01", uscc_code=A),
            case("3.4.3", OK, id="good", as_of="2022-05-01", uscc_code=A),
        )
    )
    assert results["bad"]["error"]["field"] == "facts.machine_purchase_investment"
    assert results["good"]["eligible"] is True


def test_already_supported_cites_the_paragraph():
    result = run(case("3.1.4", MACHINE, other=True))
    assert result["reasons"] == ["ALREADY_SUPPORTED"]
    assert result["citations"] == ["三（一）4", "三（末段）"]


# --- auto ----------------------------------------------------------------------------------------------

BOTH = [
    qual("leading_goose", "2022-03-01", "2025-12-31"),
    qual("national_little_giant", "2022-03-01", "2025-12-31"),
]


def test_auto_ties_go_to_the_lower_clause():
    facts = {"project_type": "green", "equipment_investment": "10000000", "software_investment": "0"}
    result = run(case("auto", facts, qualifications=BOTH))
    assert result["item"] == "3.1.1"
    assert [(o["item"], o["amount"]) for o in result["options"]] == [
        ("3.1.1", "3000000"),
        ("3.1.2", "3000000"),
        ("3.1.3", "3000000"),
    ]
    assert result["explanation"][0].startswith("三（自动选择）")


def test_auto_evaluates_every_item_whose_facts_are_present():
    facts = {
        "equipment_investment": "1000000",
        "software_investment": "0",
        "machine_purchase_investment": "2000000",
        "provincially_recognized": True,
        "status": "none",
    }
    result = run(case("auto", facts))
    items = [o["item"] for o in result["options"]]
    assert sorted(items) == ["3.1.2", "3.1.3", "3.1.4", "3.3.2", "3.4.3"]
    assert result["item"] == "3.1.4" and result["amount"] == "600000"
    # Best first; the ineligible ones after, in clause order.
    assert items == ["3.1.4", "3.4.3", "3.1.2", "3.1.3", "3.3.2"]


def test_auto_none_eligible_collects_each_options_reasons():
    facts = {"project_type": "service", "equipment_investment": "1", "software_investment": "0"}
    result = run(case("auto", facts))
    assert result["item"] == "auto"
    assert result["eligible"] is False and result["amount"] == "0"
    assert result["reasons"] == ["PROJECT_TYPE_NOT_COVERED", "BELOW_THRESHOLD", "QUALIFICATION_MISSING"]
    assert len(result["options"]) == 3


def test_auto_without_any_item_facts_is_an_input_error():
    result = run(case("auto", {"unrelated": "1"}))
    assert result["error"]["field"] == "facts"


def test_auto_takes_part_in_one_per_year():
    facts = {"machine_purchase_investment": "1000000"}
    results = by_id(
        run_all(
            case("auto", facts, id="auto", as_of="2022-03-01", uscc_code=A),
            case("3.4.3", OK, id="later", as_of="2022-04-01", uscc_code=A),
        )
    )
    assert results["auto"]["item"] == "3.1.4" and results["auto"]["eligible"]
    assert results["later"]["reasons"] == ["ONE_PER_YEAR"]


def test_auto_already_supported_applies_to_every_option():
    result = run(case("auto", MACHINE, other=True))
    assert result["eligible"] is False
    assert result["reasons"] == ["ALREADY_SUPPORTED"]
    assert all(o["reasons"] == ["ALREADY_SUPPORTED"] for o in result["options"])
