"""The calculator API's request size (issue 8): its own limit, above the site-wide one, so 100,000 cases fit,
and past it a 413 that names the limit and says what to do instead."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

from jigai.api.policy import body_limit

URL = "/api/v1/policy/evaluate"
MB = 1024 * 1024
# Measured with bench/bench_policy.py's generator (seed 20220124): 100,000 cases as indented JSON.
HUNDRED_THOUSAND_CASES_INDENTED = 52_965_120

CASE = {
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


def test_the_endpoint_limit_holds_a_hundred_thousand_cases_and_passes_the_site_limit():
    assert body_limit() >= HUNDRED_THOUSAND_CASES_INDENTED
    assert body_limit() > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.django_db
def test_a_body_over_the_site_wide_limit_is_evaluated():
    # 25 MB of JSON whitespace around one case: more than DATA_UPLOAD_MAX_MEMORY_SIZE (20 MB), under 64 MB.
    body = json.dumps({"cases": [CASE]}) + " " * (25 * MB)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = Client().post(URL, data=body, content_type="application/json")
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["id"] == "A-001" and "error" not in result


@pytest.mark.django_db
@override_settings(JIGAI_POLICY_API_MAX_BYTES=2 * MB)
def test_a_body_over_the_endpoint_limit_gets_a_clear_chinese_413():
    body = json.dumps({"cases": [CASE] * 10}) + " " * (3 * MB)
    response = Client().post(URL, data=body, content_type="application/json")
    assert response.status_code == 413
    answer = response.json()
    assert answer["code"] == "request_too_large"
    assert "超过计算器接口单次请求上限 2 MB" in answer["detail"]
    assert "分批提交" in answer["detail"] and "jigai policy evaluate" in answer["detail"]
    assert f"{len(body) / MB:.1f} MB" in answer["detail"]
