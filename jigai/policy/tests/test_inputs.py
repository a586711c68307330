"""Bad input: a refused request, or an error in the case's slot naming the field, in Chinese."""

from __future__ import annotations

import copy
import re

import pytest

from jigai.policy import RequestError, evaluate_request
from jigai.policy.tests.helpers import case, qual, run, run_all, uscc

CJK = re.compile(r"[\u4e00-\u9fff]")
GOOD = case(
    "3.1.1", {"project_type": "green", "equipment_investment": "10000000", "software_investment": "0"}
)


@pytest.mark.parametrize(
    "body",
    [[], "cases", None, 3, {}, {"cases": {}}, {"cases": "x"}, {"cases": [], "explain": "no"}],
    ids=["list", "string", "null", "number", "no cases", "cases object", "cases string", "explain string"],
)
def test_request_refused_as_a_whole(body):
    with pytest.raises(RequestError) as info:
        evaluate_request(body)
    assert isinstance(info.value, ValueError)
    assert CJK.search(info.value.message)


def test_empty_case_list_is_fine():
    out = evaluate_request({"cases": []})
    assert out["results"] == [] and out["policy"]["id"] == "henan-2022-8"


def _with(path: str, value: object, base: dict | None = None) -> dict:
    """`base` with the value at a dotted path replaced (`_DELETE` removes it)."""
    one = copy.deepcopy(base or GOOD)
    target = one
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if value is _DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return one


_DELETE = object()
MONEY = "facts.equipment_investment"
INS = case(
    "3.2.1-insurance",
    {
        "recognitions": ["provincial"],
        "insured_amount": "1000000",
        "periods": [
            {"start": "2022-01-01", "months": 12, "premium": "1000"},
            {"start": "2023-01-01", "months": 12, "premium": "1000"},
        ],
    },
)
AWARD = case(
    "3.2.2-award",
    {
        "products": [
            {
                "name": "软件",
                "recognized_on": "2022-03-15",
                "invoices": [{"date": "2022-04-01", "amount": "1"}],
            }
        ]
    },
)
EQUIP = case(
    "3.2.1-award", {"products": [{"name": "装备", "recognitions": ["national"], "sales_invoice_amount": "1"}]}
)
PLATFORM = case("3.3.3", {"level": "provincial", "assessment_rank": 1})
CENTRE = case(
    "3.3.1-cultivation",
    {"on_cultivation_list": True, "completed": True, "rd_pilot_equipment_investment": "1"},
)

# (label, case, field of the error)
ERRORS = [
    ("money as JSON number", _with(MONEY, 10000000), MONEY),
    ("money as float", _with(MONEY, 10000000.5), MONEY),
    ("money as bool", _with(MONEY, True), MONEY),
    ("money null", _with(MONEY, None), MONEY),
    ("money negative", _with(MONEY, "-1"), MONEY),
    ("money three decimals", _with(MONEY, "1.005"), MONEY),
    ("money exponent", _with(MONEY, "1e7"), MONEY),
    ("money leading zero", _with(MONEY, "010"), MONEY),
    ("money spaces", _with(MONEY, " 10"), MONEY),
    ("money comma", _with(MONEY, "10,000"), MONEY),
    ("money empty", _with(MONEY, ""), MONEY),
    ("money missing", _with(MONEY, _DELETE), MONEY),
    ("enum unknown", _with("facts.project_type", "digital"), "facts.project_type"),
    ("enum number", _with("facts.project_type", 1), "facts.project_type"),
    ("facts missing", _with("facts", _DELETE), "facts"),
    ("facts list", _with("facts", []), "facts"),
    ("case not object", ["x"], "case"),
    ("id missing", _with("id", _DELETE), "id"),
    ("id number", _with("id", 7), "id"),
    ("id empty", _with("id", ""), "id"),
    ("item unknown", _with("item", "3.9.9"), "item"),
    ("item missing", _with("item", _DELETE), "item"),
    ("as_of missing", _with("as_of", _DELETE), "as_of"),
    ("as_of slashes", _with("as_of", "2022/06/30"), "as_of"),
    ("as_of compact ISO", _with("as_of", "20220630"), "as_of"),
    ("as_of no such day", _with("as_of", "2022-02-30"), "as_of"),
    ("as_of before every version", _with("as_of", "2022-01-23"), "as_of"),
    ("applicant missing", _with("applicant", _DELETE), "applicant"),
    ("uscc too short", _with("applicant.uscc", "91410100MA"), "applicant.uscc"),
    (
        "uscc check character",
        _with("applicant.uscc", uscc(5)[:-1] + ("0" if uscc(5)[-1] != "0" else "1")),
        "applicant.uscc",
    ),
    ("uscc letter I", _with("applicant.uscc", "91410100MA9XXXXXI1"), "applicant.uscc"),
    ("uscc lower case", _with("applicant.uscc", uscc(5).lower()), "applicant.uscc"),
    ("uscc number", _with("applicant.uscc", 914101), "applicant.uscc"),
    ("in_henan missing", _with("applicant.in_henan", _DELETE), "applicant.in_henan"),
    ("in_henan string", _with("applicant.in_henan", "true"), "applicant.in_henan"),
    ("qualifications object", _with("applicant.qualifications", {}), "applicant.qualifications"),
    (
        "qualification kind",
        _with("applicant.qualifications", [qual("goose", "2022-01-01", "2022-12-31")]),
        "applicant.qualifications[0].kind",
    ),
    (
        "qualification date",
        _with("applicant.qualifications", [qual("leading_goose", "2022-1-1", "2022-12-31")]),
        "applicant.qualifications[0].valid_from",
    ),
    (
        "qualification reversed",
        _with("applicant.qualifications", [qual("leading_goose", "2022-12-31", "2022-01-01")]),
        "applicant.qualifications[0].valid_to",
    ),
    (
        "qualification not object",
        _with("applicant.qualifications", ["leading_goose"]),
        "applicant.qualifications[0]",
    ),
    ("other support missing", _with("other_provincial_support", _DELETE), "other_provincial_support"),
    ("other support null", _with("other_provincial_support", None), "other_provincial_support"),
    ("periods out of order", _with("facts.periods.1.start", "2021-12-31", INS), "facts.periods[1].start"),
    ("period months zero", _with("facts.periods.0.months", 0, INS), "facts.periods[0].months"),
    ("period months text", _with("facts.periods.0.months", "12", INS), "facts.periods[0].months"),
    ("period premium number", _with("facts.periods.1.premium", 1000, INS), "facts.periods[1].premium"),
    ("periods empty", _with("facts.periods", [], INS), "facts.periods"),
    ("period not object", _with("facts.periods.0", 12, INS), "facts.periods[0]"),
    ("insured missing", _with("facts.insured_amount", _DELETE, INS), "facts.insured_amount"),
    ("recognitions unknown", _with("facts.recognitions", ["city"], INS), "facts.recognitions[0]"),
    ("recognitions string", _with("facts.recognitions", "provincial", INS), "facts.recognitions"),
    (
        "invoice amount number",
        _with("facts.products.0.invoices.0.amount", 1, AWARD),
        "facts.products[0].invoices[0].amount",
    ),
    (
        "invoice date",
        _with("facts.products.0.invoices.0.date", "2022-13-01", AWARD),
        "facts.products[0].invoices[0].date",
    ),
    (
        "recognized_on missing",
        _with("facts.products.0.recognized_on", _DELETE, AWARD),
        "facts.products[0].recognized_on",
    ),
    ("products empty", _with("facts.products", [], AWARD), "facts.products"),
    ("product name empty", _with("facts.products.0.name", " ", EQUIP), "facts.products[0].name"),
    (
        "product recognitions",
        _with("facts.products.0.recognitions", ["national", "x"], EQUIP),
        "facts.products[0].recognitions[1]",
    ),
    (
        "sales number",
        _with("facts.products.0.sales_invoice_amount", 1.5, EQUIP),
        "facts.products[0].sales_invoice_amount",
    ),
    ("rank four", _with("facts.assessment_rank", 4, PLATFORM), "facts.assessment_rank"),
    ("rank text", _with("facts.assessment_rank", "1", PLATFORM), "facts.assessment_rank"),
    ("rank bool", _with("facts.assessment_rank", True, PLATFORM), "facts.assessment_rank"),
    ("rank missing", _with("facts.assessment_rank", _DELETE, PLATFORM), "facts.assessment_rank"),
    ("bool fact as text", _with("facts.completed", "yes", CENTRE), "facts.completed"),
    (
        "awarded_by unknown",
        case("3.4.1", {"title": "green_factory", "awarded_by": "province"}),
        "facts.awarded_by",
    ),
    ("title empty", case("3.4.1", {"title": "", "awarded_by": "miit"}), "facts.title"),
]


@pytest.mark.parametrize(("one", "field"), [row[1:] for row in ERRORS], ids=[row[0] for row in ERRORS])
def test_case_error_names_the_field(one, field):
    other = _with("id", "other", _with("applicant.uscc", uscc(2)))
    if isinstance(one, list):  # not an object at all
        results = evaluate_request({"cases": [*one, other]})["results"]
    else:
        if "uscc" not in one.get("applicant", {"uscc": None}):
            one = _with("applicant.uscc", uscc(1), one)
        results = run_all(one, other)
    error = results[0]
    assert set(error) == {"id", "error"}
    assert error["error"]["field"] == field
    assert CJK.search(error["error"]["message"])
    # The other case of the request is still evaluated.
    assert results[1]["eligible"] is True


def test_negative_money_message_says_negative():
    error = run(_with(MONEY, "-5"))["error"]
    assert "负数" in error["message"]


def test_json_number_message_says_string():
    error = run(_with(MONEY, 5))["error"]
    assert "字符串" in error["message"] and "数字" in error["message"]


def test_error_keeps_the_id():
    assert run(_with(MONEY, 5))["id"] == "T1"
    assert evaluate_request({"cases": [7]})["results"][0]["id"] is None


def test_duplicate_id_is_an_error_for_the_later_case_only():
    a = _with("applicant.uscc", uscc(1))
    b = _with("applicant.uscc", uscc(2))
    results = run_all(a, b)
    assert results[0]["eligible"] is True
    assert results[1]["error"]["field"] == "id"


def test_uscc_required_when_several_cases():
    results = run_all(GOOD, _with("id", "second"))
    assert results[0]["error"]["field"] == "applicant.uscc"
    assert results[1]["error"]["field"] == "applicant.uscc"
    assert run(GOOD)["eligible"] is True  # optional for a single case


def test_optional_facts_and_qualifications_may_be_left_out():
    one = case("3.3.2", {"status": "cultivation"})
    del one["applicant"]["qualifications"]
    result = run(one)
    assert result["eligible"] is True and result["amount"] == "5000000"
