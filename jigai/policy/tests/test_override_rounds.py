"""A guideline's override: within the policy's bound ("不超过" → at most, "不低于" → at least, lists →
only narrower), and for the cases of its own round (application year) only, through every door."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jigai.policy import RequestError, evaluate_case, evaluate_request, parameter_table, validate_overrides
from jigai.policy.fast import evaluate_to_json
from jigai.policy.params import BOUNDS_BY_TYPE, PARAMETER_DIR
from jigai.policy.tests.helpers import case, run, run_all, uscc
from jigai.policy.tests.test_cli import call, write

SHIPPED = json.loads((PARAMETER_DIR / "henan-2022-8.json").read_text(encoding="utf-8"))
HERE = Path(__file__).parent
FACTS_15M = {"project_type": "green", "equipment_investment": "15000000", "software_investment": "0"}


# --- bounds -------------------------------------------------------------------------------------------


def test_every_parameter_has_a_bound_that_fits_its_type_and_sentence():
    for path, spec in SHIPPED["parameters"].items():
        bound = spec["bound"]
        assert bound in BOUNDS_BY_TYPE[spec["type"]], path
        if bound == "at_least":
            # a threshold ("不低于") or the part of an award held back until acceptance
            assert "不低于" in spec["text"] or path == "3.3.2.acceptance_share", path
    assert SHIPPED["parameters"]["3.1.1.threshold"]["bound"] == "at_least"
    caps = [p for p in SHIPPED["parameters"] if p.endswith(("cap", "amount", "prize", "rate"))]
    assert caps and all(SHIPPED["parameters"][p]["bound"] == "at_most" for p in caps)
    assert {row["path"]: row["bound"] for row in parameter_table()}["3.1.1.cap"] == "at_most"


def test_raising_a_cap_is_refused_naming_key_value_and_clause():
    with pytest.raises(RequestError) as info:
        validate_overrides({"3.1.1.cap": "20000000"})
    assert info.value.field == "3.1.1.cap"
    message = info.value.message
    assert "3.1.1.cap" in message and "10,000,000 元" in message and "三（一）1" in message
    assert "20,000,000 元" in message


def test_lowering_a_cap_is_accepted():
    assert validate_overrides({"3.1.1.cap": "8000000"}) == {"3.1.1.cap": "8000000"}
    result = run(
        case("3.1.1", {**FACTS_15M, "equipment_investment": "40000000"}),
        overrides={"3.1.1.cap": "8000000"},
        round_year=2022,
    )
    assert (result["amount"], result["limits_applied"]) == ("8000000", ["item_cap"])


def test_raising_the_threshold_is_accepted_lowering_it_refused():
    # the 2023 guideline raised 三（一）1's threshold to 20,000,000 元
    assert validate_overrides({"3.1.1.threshold": "20000000"}) == {"3.1.1.threshold": "20000000"}
    with pytest.raises(RequestError) as info:
        validate_overrides({"3.1.1.threshold": "5000000"})
    assert info.value.field == "3.1.1.threshold"
    assert "不低于 10,000,000 元" in info.value.message and "三（一）1" in info.value.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("3.1.1.rate", "0.35"),
        ("3.2.1-insurance.term_months", 48),
        ("3.2.1-insurance.subsidy_rate", "0.9"),
        ("3.2.1-award.enterprise_annual_cap", "6000000"),
        ("3.3.1-national-promotion.amount", "30000000.01"),
        ("3.3.3.first_prize", "600000"),
        ("3.3.2.listing_share", "0.5"),
        ("3.1.1.project_types", ["high_end", "intelligent", "green", "service"]),
        ("3.4.1.awarding_bodies", ["state_council", "miit", "other"]),
    ],
)
def test_beyond_the_bound_is_refused(key, value):
    with pytest.raises(RequestError) as info:
        validate_overrides({key: value})
    assert info.value.field == key and key in info.value.message
    with pytest.raises(RequestError):
        evaluate_request({"cases": []}, overrides={key: value}, round_year=2022)


def test_a_narrower_list_and_an_equal_value_are_accepted():
    ok = {
        "3.1.1.project_types": ["green"],
        "3.1.1.rate": "0.30",
        "3.3.2.listing_share": "0.2",
        "3.3.2.acceptance_share": "0.8",
        "3.2.2-award.window_no_corresponding_day": "month_end_exclusive",
    }
    assert validate_overrides(ok) == ok


def test_bound_is_checked_against_the_versions_of_the_round():
    from jigai.policy.params import ParameterBook

    book = ParameterBook.from_dir(
        PARAMETER_DIR, HERE / "fixtures" / "parameters"
    )  # 2024: 3.1.4 cap 4,000,000
    assert validate_overrides({"3.1.4.cap": "4500000"}, round_year=2023, book=book)
    with pytest.raises(RequestError, match="4,000,000 元"):
        validate_overrides({"3.1.4.cap": "4500000"}, round_year=2024, book=book)
    with pytest.raises(RequestError):
        validate_overrides({"3.1.4.cap": "4500000"}, book=book)  # no round: every version


# --- rounds -------------------------------------------------------------------------------------------


def test_overrides_need_their_round():
    with pytest.raises(RequestError) as info:
        evaluate_request({"cases": [case("3.1.1", FACTS_15M)]}, overrides={"3.1.1.threshold": "20000000"})
    assert info.value.field == "round_year" and "申报年度" in info.value.message
    with pytest.raises(RequestError):
        evaluate_case(case("3.1.1", FACTS_15M), overrides={"3.1.1.threshold": "20000000"})


@pytest.mark.parametrize("year", ["2023", 2023.0, True, 99])
def test_round_must_be_a_year(year):
    with pytest.raises(RequestError) as info:
        evaluate_request({"cases": []}, overrides={"3.1.1.threshold": "20000000"}, round_year=year)
    assert info.value.field == "round_year"


def test_override_applies_to_its_round_only():
    threshold = {"3.1.1.threshold": "20000000"}
    mine, other = run_all(
        case("3.1.1", FACTS_15M, id="2023", as_of="2023-05-01", uscc_code=uscc(1)),
        case("3.1.1", FACTS_15M, id="2024", as_of="2024-05-01", uscc_code=uscc(1)),
        overrides=threshold,
        round_year=2023,
    )
    assert mine["reasons"] == ["BELOW_THRESHOLD"]
    assert any("本轮申报指南调整" in line for line in mine["explanation"])
    assert (other["eligible"], other["amount"]) == (True, "4500000")
    assert not any("调整" in line or "指南" in line for line in other["explanation"])
    # the same for one case alone, and without explanation
    alone = evaluate_case(
        case("3.1.1", FACTS_15M, as_of="2022-12-31"), overrides=threshold, round_year=2023, explain=False
    )
    assert alone["eligible"] is True


def test_fast_json_path_follows_the_round():
    body = {
        "cases": [
            case(
                "3.1.4",
                {"machine_purchase_investment": "1000000"},
                id="A",
                as_of="2023-02-01",
                uscc_code=uscc(3),
            ),
            case(
                "3.1.4",
                {"machine_purchase_investment": "1000000"},
                id="B",
                as_of="2022-02-01",
                uscc_code=uscc(4),
            ),
        ]
    }
    out = json.loads(evaluate_to_json(body, overrides={"3.1.4.rate": "0.1"}, round_year=2023))
    assert [r["amount"] for r in out["results"]] == ["100000", "300000"]
    assert out["policy"]["round_year"] == 2023
    with pytest.raises(RequestError):
        evaluate_to_json(body, overrides={"3.1.4.rate": "0.1"})


def test_command_line_requires_the_round(tmp_path, monkeypatch):
    request = write(
        tmp_path,
        {
            "cases": [
                case("3.1.1", FACTS_15M, id="A", as_of="2023-03-01", uscc_code=uscc(1)),
                case("3.1.1", FACTS_15M, id="B", as_of="2024-03-01", uscc_code=uscc(2)),
            ]
        },
    )
    code, out, err = call(["evaluate", request, "--override", "3.1.1.threshold=20000000"], monkeypatch)
    assert code == 2 and out == b"" and "--round" in err
    overrides = tmp_path / "round.json"
    overrides.write_text(json.dumps({"3.1.1.threshold": "20000000"}), encoding="utf-8")
    code, out, err = call(["evaluate", request, "--overrides", str(overrides)], monkeypatch)
    assert code == 2 and "--round" in err
    code, out, err = call(
        ["evaluate", request, "--override", "3.1.1.threshold=20000000", "--round", "2023"], monkeypatch
    )
    assert code == 0, err
    a, b = json.loads(out)["results"]
    assert a["reasons"] == ["BELOW_THRESHOLD"] and b["amount"] == "4500000"


def test_command_line_refuses_a_cap_above_the_policy(tmp_path, monkeypatch):
    request = write(tmp_path, {"cases": [case("3.1.1", FACTS_15M)]})
    code, out, err = call(
        ["evaluate", request, "--round", "2022", "--override", "3.1.1.cap=20000000"], monkeypatch
    )
    assert code == 2 and out == b"" and "3.1.1.cap" in err and "不能调高" in err


@pytest.mark.parametrize("year", ["23", "year", "20233"])
def test_command_line_round_must_be_a_year(tmp_path, monkeypatch, year):
    request = write(tmp_path, {"cases": [case("3.1.1", FACTS_15M)]})
    with pytest.raises(SystemExit) as info:
        call(["evaluate", request, "--round", year, "--override", "3.1.1.cap=1"], monkeypatch)
    assert info.value.code == 2
