"""POST /api/v1/policy/evaluate and GET /api/v1/policy/items: the contract's worked examples over HTTP,
whole-request refusals (400 with a Chinese reason) and per-case errors that leave the other cases alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

EXAMPLES = Path(__file__).resolve().parents[2] / "policy" / "tests" / "fixtures" / "examples"
URL = "/api/v1/policy/evaluate"


def _load(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def _post(client: Client, body: object, **extra) -> tuple[int, dict]:
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    response = client.post(URL, data=data, content_type="application/json", **extra)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def _case(**overrides) -> dict:
    case = {
        "id": "A-001",
        "item": "3.1.1",
        "as_of": "2022-06-30",
        "applicant": {"in_henan": True, "qualifications": []},
        "other_provincial_support": False,
        "facts": {
            "project_type": "intelligent",
            "equipment_investment": "9000000",
            "software_investment": "3000000",
        },
    }
    case.update(overrides)
    return case


@pytest.fixture(scope="module")
def examples() -> tuple[dict, dict]:
    return _load("request.json"), _load("expected.json")


@pytest.fixture(scope="module")
def example_response(examples, django_test_environment) -> dict:
    request, _ = examples
    status, body = _post(Client(), request)
    assert status == 200
    return body


def _expected_ids() -> list[str]:
    return [r["id"] for r in _load("expected.json")["results"]]


@pytest.mark.parametrize("case_id", _expected_ids())
def test_worked_example_over_http(examples, example_response, case_id):
    _, expected = examples
    want = next(r for r in expected["results"] if r["id"] == case_id)
    got = {r["id"]: r for r in example_response["results"]}[case_id]
    assert "error" not in got, got
    for key, value in want.items():
        if key == "options":
            # auto: the options' items and amounts, best first
            assert [{k: o[k] for k in ("item", "eligible", "amount")} for o in got["options"]] == value
        elif key == "limits_applied":
            assert sorted(got[key]) == sorted(value), key
        else:
            assert got[key] == value, key


def test_response_has_policy_and_every_case_in_order(examples, example_response):
    request, _ = examples
    assert example_response["policy"]["id"] == "henan-2022-8"
    assert [r["id"] for r in example_response["results"]] == [c["id"] for c in request["cases"]]
    first = example_response["results"][0]
    assert first["citations"] == ["三（一）1"]
    assert first["explanation"] and all(isinstance(line, str) for line in first["explanation"])


def test_explain_false_leaves_out_the_explanation(client):
    status, body = _post(client, {"cases": [_case()], "explain": False})
    assert status == 200
    assert body["results"][0]["amount"] == "3600000"
    assert "explanation" not in body["results"][0]


def test_same_body_as_the_python_entry_point(client, examples):
    from jigai.policy import evaluate_request

    request, _ = examples
    _, body = _post(client, request)
    assert body == json.loads(json.dumps(evaluate_request(request)))


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("{not json", "JSON"),
        (b"\xff\xfe\x00garbage", "JSON"),
        ("", "JSON"),
        ('{"cases": NaN}', "JSON"),
        ("[]", "对象"),
        ('"cases"', "对象"),
        ("{}", "cases"),
        ('{"cases": {"id": "x"}}', "cases"),
        ('{"cases": [], "explain": "yes"}', "explain"),
    ],
)
def test_body_refused_as_a_whole_with_a_chinese_reason(client, body, needle):
    status, answer = _post(client, body)
    assert status == 400
    assert set(answer) == {"detail", "code"}
    assert needle in answer["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer["detail"])  # the reason is written in Chinese


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (
            {"facts": {"project_type": "green", "equipment_investment": 9000000, "software_investment": "0"}},
            "facts.equipment_investment",
        ),
        (
            {"facts": {"project_type": "green", "equipment_investment": "-1", "software_investment": "0"}},
            "facts.equipment_investment",
        ),
        ({"facts": {"project_type": "green", "software_investment": "0"}}, "facts.equipment_investment"),
        ({"item": "9.9.9"}, "item"),
        ({"as_of": "2022/06/30"}, "as_of"),
        ({"applicant": {"uscc": "91410100MAEUHUXQ72", "in_henan": True}}, "applicant.uscc"),
    ],
)
def test_a_bad_case_gets_its_error_and_the_others_are_evaluated(client, bad, field):
    good_before = _case(id="G1", applicant={"uscc": "91410100MAEUHUXQ71", "in_henan": True})
    broken = _case(id="B1", applicant={"uscc": "91410200MAEEGUJ64J", "in_henan": True})
    broken.update(bad)
    good_after = _case(
        id="G2",
        as_of="2023-06-30",
        applicant={"uscc": "91410300MA5RGFLK6L", "in_henan": True},
        facts={"machine_purchase_investment": "1000000"},
        item="3.1.4",
    )
    status, body = _post(client, {"cases": [good_before, broken, good_after]})
    assert status == 200
    first, error, last = body["results"]
    assert first["id"] == "G1" and first["amount"] == "3600000"
    assert error["id"] == "B1"
    assert error["error"]["field"] == field
    assert error["error"]["message"]
    assert last["id"] == "G2" and last["eligible"] is True and last["amount"] == "300000"


def test_case_that_is_not_an_object_is_a_case_error(client):
    good = _case(applicant={"uscc": "91410100MAEUHUXQ71", "in_henan": True})
    status, body = _post(client, {"cases": [42, good]})
    assert status == 200
    assert "error" in body["results"][0]
    assert body["results"][1]["amount"] == "3600000"


def test_public_without_login_and_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    status, body = _post(client, {"cases": [_case()]})
    assert status == 200
    assert body["results"][0]["eligible"] is True


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_items_lists_the_catalog(client):
    response = client.get("/api/v1/policy/items")
    assert response.status_code == 200
    items = response.json()
    codes = [i["code"] for i in items]
    assert codes[0] == "3.1.1" and "3.2.1-insurance" in codes and "3.4.3" in codes
    first = items[0]
    assert first["clause"] == "三（一）1"
    assert {f["key"] for f in first["facts"]} == {
        "project_type",
        "equipment_investment",
        "software_investment",
    }
    periods = next(
        f for f in next(i for i in items if i["code"] == "3.2.1-insurance")["facts"] if f["key"] == "periods"
    )
    assert [f["key"] for f in periods["fields"]] == ["start", "months", "premium"]


def test_items_refuses_a_malformed_date(client):
    response = client.get("/api/v1/policy/items", {"as_of": "2022-13-01"})
    assert response.status_code == 400
    assert "as_of" in response.json()["detail"]
    assert client.get("/api/v1/policy/items", {"as_of": "2022-06-30"}).status_code == 200


def test_openapi_documents_the_request_body_and_money_as_strings(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/policy/evaluate"]["post"]
    assert operation["tags"] == ["政策计算器"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    case = body["properties"]["cases"]["items"]
    assert {"id", "item", "as_of", "applicant", "facts"} <= set(case["properties"])
    money = case["properties"]["facts"]["properties"]["equipment_investment"]
    assert money["type"] == "string" and money["pattern"]
    periods = case["properties"]["facts"]["properties"]["periods"]
    assert periods["items"]["properties"]["premium"]["type"] == "string"
    assert set(operation["responses"]) >= {"200", "400"}


def test_docs_page_uses_bundled_assets_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert '"validatorUrl": null' in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
