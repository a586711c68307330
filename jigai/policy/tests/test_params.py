"""Parameters: dated versions with clause and original sentence, successors, a guideline's overrides."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jigai.policy import RequestError, evaluate_request, parameter_table, validate_overrides
from jigai.policy.params import PARAMETER_DIR, ParameterBook, default_book
from jigai.policy.tests.helpers import case, run

HERE = Path(__file__).parent
POLICY_TEXT = Path(__file__).resolve().parents[3].parent / "shared" / "policy" / "000_c140f018357f6957.txt"
SHIPPED = json.loads((PARAMETER_DIR / "henan-2022-8.json").read_text(encoding="utf-8"))


def successor_book() -> ParameterBook:
    return ParameterBook.from_dir(PARAMETER_DIR, HERE / "fixtures" / "parameters")


MACHINE = {"machine_purchase_investment": "15000000"}


def test_every_value_has_its_clause_and_sentence():
    for path, spec in SHIPPED["parameters"].items():
        clause, text = spec["clause"], spec["text"]
        assert re.fullmatch(r"三（[一二三四]）[1-4]", clause), path
        assert text in SHIPPED["clauses"][clause], path  # the sentence is part of its clause
        assert path.rsplit(".", 1)[0] in {it["code"] for it in parameter_items()}, path


def parameter_items() -> list[dict]:
    from jigai.policy import item_catalog

    return item_catalog()


def test_sentences_are_verbatim_from_the_policy():
    # Only where the shared folder sits beside the repository; the copies above are checked anyway.
    if POLICY_TEXT.exists():
        policy = POLICY_TEXT.read_text(encoding="utf-8")
        for clause, paragraph in SHIPPED["clauses"].items():
            assert paragraph in policy, clause
        for path, spec in SHIPPED["parameters"].items():
            assert spec["text"] in policy, path
    assert SHIPPED["clauses"]


def test_each_money_value_is_written_in_its_sentence():
    # 10000000 元 appears as "1000万元" in the sentence, 0.30 as "30%", 36 months as "3年".
    for path, spec in SHIPPED["parameters"].items():
        value, text = spec["value"], spec["text"]
        if spec["type"] == "money":
            assert f"{(Decimal(value) / 10000).normalize():f}万元" in text, path
        elif spec["type"] == "rate":
            assert f"{(Decimal(value) * 100).normalize():f}%" in text, path
        elif spec["type"] == "months":
            assert (f"{value}个月" in text) or (f"{value // 12}年" in text), path


def test_no_policy_number_in_the_formulas():
    numbers = set()
    for spec in SHIPPED["parameters"].values():
        if spec["type"] in ("money", "rate"):
            numbers.add(spec["value"])
    policy = PARAMETER_DIR.parent
    files = [policy / name for name in ("facts.py", "rules.py", "amounts.py", "engine.py", "values.py")]
    files += sorted((policy / "items").glob("*.py"))
    assert len(files) == 11
    source = "\n".join(path.read_text(encoding="utf-8") for path in files)
    for number in numbers:
        assert not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", source), number
    assert "36" not in re.findall(r"\b\d+\b", source)


def test_version_in_force_is_the_latest_on_or_before_the_date():
    book = successor_book()
    assert [v.version for v in book.versions] == ["2022-01-24", "2024-01-01-test"]
    assert book.version_on(date(2022, 1, 23)) is None
    assert book.version_on(date(2022, 1, 24)).version == "2022-01-24"
    assert book.version_on(date(2023, 12, 31)).version == "2022-01-24"
    assert book.version_on(date(2024, 1, 1)).version == "2024-01-01-test"


def test_a_later_version_changes_results_from_its_date_on_only():
    book = successor_book()
    before = run(case("3.1.4", MACHINE, as_of="2023-12-31"), parameters=book)
    after = run(case("3.1.4", MACHINE, as_of="2024-01-01"), parameters=book)
    assert (before["amount"], before["limits_applied"], before["policy_version"]) == (
        "4500000",
        [],
        "2022-01-24",
    )
    assert (after["amount"], after["limits_applied"], after["policy_version"]) == (
        "4000000",
        ["item_cap"],
        "2024-01-01-test",
    )
    assert any("4,000,000 元" in line for line in after["explanation"])
    # The shipped book alone is unchanged.
    assert run(case("3.1.4", MACHINE, as_of="2024-01-01"))["amount"] == "4500000"
    # The header names the version of the latest application date of the request.
    out = evaluate_request({"cases": [case("3.1.4", MACHINE, as_of="2024-01-01")]}, parameters=book)
    assert out["policy"]["version"] == "2024-01-01-test"


def test_override_changes_the_round_and_says_so():
    facts = {"project_type": "green", "equipment_investment": "12000000", "software_investment": "0"}
    ours = run(case("3.1.1", facts), overrides={"3.1.1.threshold": "20000000"}, round_year=2022)
    assert ours["reasons"] == ["BELOW_THRESHOLD"]
    assert any("（本轮申报指南调整：原 10,000,000 元）" in line for line in ours["explanation"])
    plain = run(case("3.1.1", facts))
    assert plain["eligible"] and not any("调整" in line for line in plain["explanation"])


def test_override_with_the_same_value_is_not_noted():
    facts = {"project_type": "green", "equipment_investment": "12000000", "software_investment": "0"}
    result = run(case("3.1.1", facts), overrides={"3.1.1.threshold": "10000000"}, round_year=2022)
    assert not any("调整" in line for line in result["explanation"])


def test_override_of_rate_list_and_months():
    facts = {"project_type": "intelligent", "equipment_investment": "40000000", "software_investment": "0"}
    narrowed = {"3.1.1.rate": "0.25", "3.1.1.project_types": ["high_end", "intelligent"]}
    result = run(case("3.1.1", facts), overrides=narrowed, round_year=2022)
    assert (result["amount"], result["limits_applied"]) == ("10000000", [])  # cap reached exactly
    assert any("原 30%" in line for line in result["explanation"])
    assert any("原 高端化改造、智能化改造、绿色化改造" in line for line in result["explanation"])
    green = run(case("3.1.1", {**facts, "project_type": "green"}), overrides=narrowed, round_year=2022)
    assert green["reasons"] == ["PROJECT_TYPE_NOT_COVERED"]
    ins = {
        "recognitions": ["provincial"],
        "insured_amount": "10000000",
        "periods": [{"start": "2022-01-01", "months": 24, "premium": "200000"}],
    }
    cut = run(case("3.2.2-insurance", ins), overrides={"3.2.2-insurance.term_months": 6}, round_year=2022)
    assert (cut["amount"], cut["limits_applied"]) == ("40000", ["term_limit"])
    assert any("原 12 个月" in line for line in cut["explanation"])


def test_overrides_are_echoed_in_the_header():
    out = evaluate_request({"cases": []}, overrides={"3.4.3.amount": "400000"}, round_year=2023)
    assert out["policy"]["overrides"] == {"3.4.3.amount": "400000"}
    assert out["policy"]["round_year"] == 2023


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"3.1.1.threshhold": "1"}, "3.1.1.threshhold"),
        ({"3.1.1.threshold": 20000000}, "3.1.1.threshold"),
        ({"3.1.1.threshold": "-1"}, "3.1.1.threshold"),
        ({"3.1.1.rate": "1.5"}, "3.1.1.rate"),
        ({"3.1.1.rate": "30%"}, "3.1.1.rate"),
        ({"3.2.1-insurance.term_months": 0}, "3.2.1-insurance.term_months"),
        ({"3.2.1-insurance.term_months": "36"}, "3.2.1-insurance.term_months"),
        ({"3.4.1.titles": []}, "3.4.1.titles"),
        ({"3.4.1.titles": "green_factory"}, "3.4.1.titles"),
        ({"3.2.2-award.window_no_corresponding_day": "nearest"}, "3.2.2-award.window_no_corresponding_day"),
        ({"3.3.2.listing_share": "0.3"}, "overrides"),
    ],
)
def test_bad_override_refuses_the_whole_request(overrides, key):
    with pytest.raises(RequestError) as info:
        validate_overrides(overrides)
    assert info.value.field == key
    assert re.search(r"[\u4e00-\u9fff]", info.value.message)
    if key != "overrides":
        assert key in info.value.message
    with pytest.raises(RequestError):
        evaluate_request({"cases": []}, overrides=overrides, round_year=2022)


def test_overrides_must_be_an_object():
    with pytest.raises(RequestError):
        validate_overrides(["3.1.1.threshold"])


def test_shares_may_move_together():
    result = run(
        case("3.3.2", {"status": "cultivation"}),
        overrides={"3.3.2.listing_share": "0.3", "3.3.2.acceptance_share": "0.7"},
        round_year=2022,
    )
    assert [s["amount"] for s in result["schedule"]] == ["1500000", "3500000"]


def test_parameter_table_lists_every_path_once():
    table = parameter_table()
    paths = [row["path"] for row in table]
    assert len(paths) == len(set(paths)) == len(SHIPPED["parameters"])
    assert all(row["clause"] and row["text"] for row in table)
    assert default_book().versions[-1].version == "2022-01-24"


def test_broken_parameter_file_is_reported(tmp_path):
    (tmp_path / "bad.json").write_text(
        json.dumps(
            {
                "version": "x",
                "effective_from": "2022-01-01",
                "parameters": {"a.b": {"type": "money", "value": "1"}},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="clause"):
        ParameterBook.from_dir(tmp_path)
