"""POST /api/v1/policy/evaluate: the enterprise's annual cap across applications (annual_cap_used), and
a guideline's overrides — within the policy's bound, for the cases of their round only."""

from __future__ import annotations

import json

import pytest

from jigai.policy.tests.helpers import uscc

URL = "/api/v1/policy/evaluate"


def _post(client, body: object) -> tuple[int, dict]:
    response = client.post(URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json")
    return response.status_code, response.json()


def _case(id: str, as_of: str, serial: int = 1) -> dict:
    return {
        "id": id,
        "item": "3.1.1",
        "as_of": as_of,
        "applicant": {"uscc": uscc(serial), "in_henan": True},
        "other_provincial_support": False,
        "facts": {"project_type": "green", "equipment_investment": "15000000", "software_investment": "0"},
    }


AWARD = {
    "id": "P",
    "item": "3.2.1-award",
    "as_of": "2022-06-30",
    "applicant": {"in_henan": True},
    "other_provincial_support": False,
    "facts": {"products": [{"name": "甲", "recognitions": ["national"], "sales_invoice_amount": "60000000"}]},
}


def test_annual_cap_used_over_http(client):
    status, body = _post(client, {"cases": [{**AWARD, "annual_cap_used": "4000000"}]})
    assert status == 200
    result = body["results"][0]
    assert (result["amount"], result["limits_applied"]) == ("1000000", ["enterprise_annual_cap"])
    status, body = _post(client, {"cases": [{**AWARD, "annual_cap_used": "5000000"}]})
    assert body["results"][0]["reasons"] == ["ANNUAL_CAP_REACHED"]
    status, body = _post(client, {"cases": [{**AWARD, "annual_cap_used": "-1"}]})
    assert status == 200 and body["results"][0]["error"]["field"] == "annual_cap_used"


def test_overrides_apply_to_their_round_only(client):
    cases = [_case("A", "2023-03-01"), _case("B", "2024-03-01", serial=2)]
    status, body = _post(
        client, {"cases": cases, "overrides": {"3.1.1.threshold": "20000000"}, "round_year": 2023}
    )
    assert status == 200, body
    a, b = body["results"]
    assert a["reasons"] == ["BELOW_THRESHOLD"]
    assert (b["eligible"], b["amount"]) == (True, "4500000")
    assert not any("调整" in line for line in b["explanation"])
    assert body["policy"]["overrides"] == {"3.1.1.threshold": "20000000"}
    assert body["policy"]["round_year"] == 2023


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"overrides": {"3.1.1.threshold": "20000000"}}, "round_year"),
        ({"overrides": {"3.1.1.threshold": "20000000"}, "round_year": "2023"}, "round_year"),
        ({"overrides": {"3.1.1.cap": "20000000"}, "round_year": 2023}, "3.1.1.cap"),
        ({"overrides": ["3.1.1.cap"], "round_year": 2023}, "overrides"),
    ],
)
def test_overrides_without_round_or_beyond_the_policy_are_refused(client, extra, needle):
    status, body = _post(client, {"cases": [_case("A", "2023-03-01")], **extra})
    assert status == 400
    assert needle in body["detail"]


def test_openapi_documents_the_new_fields(client):
    spec = client.get("/api/v1/openapi.json").json()
    schema = spec["paths"][URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"overrides", "round_year"} <= set(schema["properties"])
    assert "annual_cap_used" in schema["properties"]["cases"]["items"]["properties"]


def test_items_tell_the_annual_cap_group_and_fixed_amounts(client):
    items = {i["code"]: i for i in client.get("/api/v1/policy/items").json()}
    assert items["3.2.1-award"]["annual_cap_group"] == "3.2.1-award.enterprise_annual_cap"
    assert items["3.1.1"]["annual_cap_group"] is None
    assert items["3.4.1"]["fixed_amount"] is True and items["3.1.1"]["fixed_amount"] is False
