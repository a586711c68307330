"""Batch evaluation of the policy calculator as a job: the same engine answer as the API, as a JSON file."""

from __future__ import annotations

import json

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import make_user
from jigai.jobs.models import Job, JobStatus
from jigai.jobs.testing import DATABASE_TASKS, run_worker
from jigai.policy import evaluate_request
from jigai.registry.tests.factories import valid_uscc

pytestmark = pytest.mark.django_db


def _case(i: int, **extra) -> dict:
    case = {
        "id": f"A-{i:05d}",
        "item": "3.1.1",
        "as_of": "2022-06-30",
        "applicant": {"in_henan": True, "qualifications": [], "uscc": valid_uscc(5000 + i)},
        "other_provincial_support": False,
        "facts": {
            "project_type": "intelligent",
            "equipment_investment": f"{9000000 + i}",
            "software_investment": "0",
        },
    }
    case.update(extra)
    return case


def _upload(client, body: bytes):
    return client.post(
        "/jobs/calculator/", {"file": SimpleUploadedFile("批量.json", body, "application/json")}
    )


def test_batch_runs_as_a_job_and_gives_the_api_answer(settings, client, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS
    user = make_user(Role.ENTERPRISE)
    client.force_login(user)
    assert client.get("/jobs/calculator/").status_code == 200
    body = {"cases": [*(_case(i) for i in range(300)), _case(300, as_of="不是日期")], "explain": False}
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, orjson.dumps(body))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (301, 301)
    assert job.message == "已计算 301 个案例，其中 1 个输入有误（见结果文件中的 error）。"
    download = client.get(f"/jobs/{job.pk}/download/")
    result = json.loads(b"".join(download.streaming_content))
    assert result == json.loads(orjson.dumps(evaluate_request(body)))


@pytest.mark.parametrize(
    ("body", "reason"),
    [(b"{not json", "不是有效的 JSON"), (b"[1, 2]", "JSON 对象"), (b'{"cases": {}}', "cases")],
)
def test_a_refused_batch_says_why(client, django_capture_on_commit_callbacks, body, reason):
    client.force_login(make_user(Role.COUNTY, "410102"))
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, body)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and reason in job.error and not job.result_file


def test_batch_needs_a_file_within_the_limit(settings, client):
    client.force_login(make_user(Role.COUNTY, "410102"))
    assert client.post("/jobs/calculator/").status_code == 400
    settings.JIGAI_CALCULATOR_BATCH_MAX_BYTES = 10
    response = _upload(client, b'{"cases": [], "x": 1}')
    assert response.status_code == 400 and "超过批量计算上限" in response.content.decode()
    assert not Job.objects.exists()
    client.logout()
    assert client.get("/jobs/calculator/").status_code == 302  # sign in first
