"""The item catalog for forms, the label tables, and the credit-code check."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from jigai.policy import (
    LIMIT_LABELS,
    QUALIFICATION_LABELS,
    REASON_LABELS,
    STAGE_LABELS,
    CaseError,
    item_catalog,
)
from jigai.policy.values import USCC_ALPHABET, uscc_check_char, validate_uscc

CONTRACT_ORDER = [
    "3.1.1",
    "3.1.2",
    "3.1.3",
    "3.1.4",
    "3.2.1-insurance",
    "3.2.1-award",
    "3.2.2-insurance",
    "3.2.2-award",
    "3.3.1-cultivation",
    "3.3.1-provincial",
    "3.3.1-national-promotion",
    "3.3.2",
    "3.3.3",
    "3.4.1",
    "3.4.2",
    "3.4.3",
]
TYPES = {"money", "enum", "bool", "int", "date", "list", "text"}


def test_catalog_lists_the_items_in_contract_order():
    catalog = item_catalog()
    assert [i["code"] for i in catalog] == CONTRACT_ORDER
    groups = {i["code"]: i["group"] for i in catalog}
    assert groups["3.1.1"] == "技术改造项目"
    assert groups["3.2.2-award"] == "新产品推广"
    assert groups["3.3.2"] == "平台建设"
    assert groups["3.4.3"] == "试点示范"
    assert catalog[0]["title"] == "技术改造示范项目" and catalog[0]["clause"] == "三（一）1"
    assert "1000万元" in catalog[0]["clause_text"]


def _walk(facts: list[dict]):
    for fact in facts:
        yield fact
        yield from _walk(fact.get("fields", []))


def test_every_fact_field_can_be_rendered():
    for item in item_catalog():
        for fact in _walk(item["facts"]):
            assert fact["type"] in TYPES
            assert fact["label"] and any("\u4e00" <= ch <= "\u9fff" for ch in fact["label"])
            if fact["type"] == "enum":
                assert fact["choices"] and all(len(c) == 2 for c in fact["choices"])
            if fact["type"] == "list":
                assert fact.get("fields") or fact.get("choices")


def test_repeatable_rows():
    catalog = {i["code"]: i for i in item_catalog()}
    periods = next(f for f in catalog["3.2.1-insurance"]["facts"] if f["key"] == "periods")
    assert [f["key"] for f in periods["fields"]] == ["start", "months", "premium"]
    products = catalog["3.2.2-award"]["facts"][0]
    invoices = next(f for f in products["fields"] if f["key"] == "invoices")
    assert [f["key"] for f in invoices["fields"]] == ["date", "amount"]
    title = next(f for f in catalog["3.4.1"]["facts"] if f["key"] == "title")
    assert (
        title["open"] is True
        and "single_champion" in title["supported"]
        and "other" not in title["supported"]
    )
    json.dumps(catalog, ensure_ascii=False)  # plain JSON for the web page


def test_catalog_follows_the_version_of_the_date():
    assert item_catalog(date(2022, 6, 30)) == item_catalog()


def test_label_tables_cover_every_code():
    assert set(REASON_LABELS) == {
        "NOT_IN_HENAN",
        "PROJECT_TYPE_NOT_COVERED",
        "BELOW_THRESHOLD",
        "QUALIFICATION_MISSING",
        "NOT_RECOGNIZED",
        "NOT_COMPLETED",
        "NOT_LISTED",
        "NOT_RANKED",
        "TITLE_NOT_LISTED",
        "ALREADY_SUPPORTED",
        "ONE_PER_YEAR",
        "ANNUAL_CAP_REACHED",
    }
    assert set(LIMIT_LABELS) == {"item_cap", "enterprise_annual_cap", "term_limit"}
    assert set(STAGE_LABELS) == {"on_approval", "at_listing", "after_acceptance"}
    assert set(QUALIFICATION_LABELS) == {"leading_goose", "national_little_giant", "provincial_specialized"}
    assert STAGE_LABELS["on_approval"] == "批准后拨付"


EXAMPLE_CODES = sorted(
    {
        c["applicant"]["uscc"]
        for c in json.loads(
            (Path(__file__).parent / "fixtures" / "examples" / "request.json").read_text(encoding="utf-8")
        )["cases"]
    }
)


@pytest.mark.parametrize("code", EXAMPLE_CODES)
def test_example_codes_are_valid(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize("first", ["1", "5", "9", "A", "N", "Y"])
def test_first_character_may_be_a_letter(first):
    # python-stdnum refuses the letters; GB 32100-2015 allows them (A, N, Y registration authorities).
    body = first + "2410100MA9XKT3QP"
    code = body + uscc_check_char(body)
    assert validate_uscc(code) == code


def test_check_character_follows_the_standard():
    # Weights 3^i mod 31; check = (31 - sum % 31) % 31 over the 31-character alphabet.
    body = "91350100M000100Y4"
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, weights, strict=True))
    assert uscc_check_char(body) == USCC_ALPHABET[(31 - total % 31) % 31]
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "code",
    [
        "",
        "91350100M000100Y4",
        "91350100M000100Y44",
        "Z1350100M000100Y43",
        "91350100M0001O0Y43",
        "9135010OM000100Y43",
    ],
)
def test_invalid_codes(code):
    with pytest.raises(CaseError) as info:
        validate_uscc(code)
    assert info.value.field == "applicant.uscc"
