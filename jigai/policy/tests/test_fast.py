"""The JSON path of the command line, on one process and on two, gives the response of the function."""

from __future__ import annotations

import json

import pytest

from jigai.policy import RequestError, evaluate_request, fast
from jigai.policy.tests.helpers import case, uscc

OK = {"provincially_recognized": True}


def request() -> dict:
    cases = []
    for i in range(40):
        code = uscc(i % 7)  # the same enterprises in both halves: one project a year across them
        cases.append(case("3.4.3", OK, id=f"K{i:02d}", as_of=f"2022-{1 + i % 12:02d}-28", uscc_code=code))
    cases[3]["as_of"] = "2021-01-01"  # before every version: an error
    cases[30]["id"] = "K05"  # a duplicate of a case in the first half
    cases[31]["facts"] = {"provincially_recognized": "yes"}
    cases.append(
        case("3.1.4", {"machine_purchase_investment": "100"}, id="Z", as_of="2023-03-01", uscc_code=uscc(99))
    )
    return {"cases": cases}


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("explain", [True, False])
def test_same_response_as_the_function(monkeypatch, workers, explain):
    monkeypatch.setattr(fast, "PARALLEL_FROM", 0)
    body = {**request(), "explain": explain}
    expected = evaluate_request(body)
    got = json.loads(fast.evaluate_to_json(body, workers=workers))
    assert got == json.loads(json.dumps(expected, ensure_ascii=False))
    reasons = [r.get("reasons") for r in got["results"]]
    assert reasons.count(["ONE_PER_YEAR"]) > 10
    assert got["results"][30]["error"]["field"] == "id"


def test_refused_body():
    with pytest.raises(RequestError):
        fast.evaluate_to_json({"cases": 1})
