"""Background jobs on the real database queue (django-tasks-db, its worker run in-process): progress,
result file, in-app message at the end, a Chinese reason on failure, nothing half-done, owner-only pages."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import make_user
from jigai.core.errors import AccessDenied, NotFound
from jigai.jobs.models import Job, JobStatus
from jigai.jobs.selectors import job_get, job_list
from jigai.jobs.services import UNEXPECTED, job_run, job_start
from jigai.jobs.testing import DATABASE_TASKS, run_worker
from jigai.notifications.models import Notification

pytestmark = pytest.mark.django_db

H = "jigai.jobs.tests.handlers."


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def county():
    return make_user(Role.COUNTY, "410102")


def _start(actor, handler: str, capture, **params) -> Job:
    with capture(execute=True):
        return job_start(
            actor=actor,
            permission=None,
            kind="test.count",
            label="测试任务",
            handler=H + handler,
            params=params,
        )


def test_job_is_queued_on_commit_and_run_by_the_worker(db_queue, county, django_capture_on_commit_callbacks):
    job = _start(county, "count", django_capture_on_commit_callbacks, total=5)
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.task_path == "jigai.jobs.tasks.run_job"
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id == str(task.id)

    run_worker()

    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert job.status == JobStatus.DONE and (job.done, job.total) == (5, 5) and job.percent == 100
    assert job.message == "数到了 5。" and job.started_at and job.finished_at
    with job.result_file.open("rb") as fh:
        assert fh.read() == b"5"
    note = Notification.objects.get(recipient=county)
    assert note.kind == "job.done" and note.title == "测试任务已完成" and note.url == f"/jobs/{job.pk}/"


def test_rolled_back_request_starts_nothing(db_queue, county):
    with pytest.raises(RuntimeError), transaction.atomic():
        job_start(actor=county, permission=None, kind="t", label="不会开始", handler=H + "count")
        raise RuntimeError
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_start_needs_the_permission_and_a_real_handler(county):
    with pytest.raises(AccessDenied):
        job_start(actor=county, permission="policy.manage", kind="t", label="x", handler=H + "count")
    with pytest.raises(ImportError):
        job_start(actor=county, permission=None, kind="t", label="x", handler=H + "no_such_handler")
    assert not Job.objects.exists()


def test_refused_job_says_why_and_keeps_the_marked_file(db_queue, county, django_capture_on_commit_callbacks):
    job = _start(county, "refuse", django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "第 2 行金额不是数字，全部行均未导入。"
    assert job.result_name == "错误标注.xlsx" and job.result_file.read() == b"marked"
    note = Notification.objects.get(recipient=county)
    assert note.kind == "job.failed" and "金额不是数字" in note.body


def test_crash_leaves_nothing_half_done(db_queue, county, django_capture_on_commit_callbacks):
    job = _start(county, "crash_half_way", django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == UNEXPECTED
    assert not Notification.objects.filter(kind="half.done").exists()
    assert not job.result_file


def test_a_job_runs_once(county, django_capture_on_commit_callbacks):
    job = _start(county, "count", django_capture_on_commit_callbacks, total=2)  # immediate backend
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job_run(job.pk) == JobStatus.DONE
    assert Notification.objects.filter(recipient=county).count() == 1


def test_only_the_owner_sees_a_job(county, client, django_capture_on_commit_callbacks):
    job = _start(county, "count", django_capture_on_commit_callbacks)
    province = make_user(Role.PROVINCE, "410000")
    assert list(job_list(county)) == [job] and list(job_list(province)) == []
    with pytest.raises(NotFound):
        job_get(province, job.pk)
    client.force_login(province)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/", "/jobs/999999/"):
        assert client.get(url).status_code == 404
    assert "测试任务" not in client.get("/jobs/").content.decode()
    client.force_login(county)
    assert "测试任务" in client.get("/jobs/").content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"3"
    assert (
        "结果.txt" in download["Content-Disposition"]
        or "%E7%BB%93%E6%9E%9C" in download["Content-Disposition"]
    )


def test_progress_page_polls_until_done(db_queue, county, client, django_capture_on_commit_callbacks):
    job = _start(county, "count", django_capture_on_commit_callbacks, total=4)
    client.force_login(county)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page
    assert '<meta http-equiv="refresh" content="2">' in page  # without JavaScript: the page refreshes
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=1, total=4)
    part = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and 'value="25"' in part and "every 1s" in part
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, done=0)
    run_worker()
    part = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in part and 'value="100"' in part
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "refresh" not in page
