"""The registry's Excel imports and large exports as background jobs on the database queue, and exports that
never truncate: past a sheet's row limit they continue on further sheets, and the audit says what was written.
"""

from __future__ import annotations

import io
import os

import pytest
from python_calamine import CalamineWorkbook

from jigai.audit.models import AuditEvent
from jigai.core.excel.writing import sheet_name
from jigai.jobs.models import Job, JobStatus
from jigai.jobs.testing import DATABASE_TASKS, run_worker
from jigai.notifications.models import Notification
from jigai.registry.excel.jobs import import_job, start_import
from jigai.registry.models import Enterprise
from jigai.registry.tests.factories import EnterpriseFactory

from .test_excel_import import ENTERPRISE_HEADERS, enterprise_rows, login, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # job inputs and results


@pytest.fixture
def city():
    from jigai.accounts.roles import Role
    from jigai.accounts.tests.factories import make_user

    return make_user(Role.CITY, "410100")


def _sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_import_runs_on_the_queue_with_progress_and_a_message(
    settings, city, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    c = login(city)
    data = xlsx([ENTERPRISE_HEADERS, *enterprise_rows(3)])
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            "/registry/excel/import/enterprises/", {"file": io.BytesIO(data)}, format="multipart"
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.input_name and job.kind == "import.enterprises"
    stored = job.input_file.path
    assert Enterprise.objects.count() == 0  # nothing until the worker runs it
    assert "排队中" in c.get(response.url).content.decode()

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (3, 3)
    assert job.message == "已成功导入 3 条企业。"
    assert not job.input_file and job.input_name  # the upload is not kept once the job has ended
    assert not os.path.exists(stored)
    assert Enterprise.objects.count() == 3
    note = Notification.objects.get(recipient=city, kind="job.done")
    assert note.title == "导入企业已完成"
    assert "已成功导入 3 条企业" in c.get(response.url).content.decode()


def test_import_reports_each_step_before_it_starts(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # started, not run
        start_import(
            actor=city,
            kind="enterprises",
            data=xlsx([ENTERPRISE_HEADERS, *enterprise_rows(2)]),
            filename="a.xlsx",
        )
    seen: list[tuple] = []

    def spy(done, total=None, message=""):
        seen.append((done, total, message, Enterprise.objects.count()))

    outcome = import_job(Job.objects.get(), spy)
    assert [(s[0], s[1]) for s in seen] == [(0, 3), (1, 3), (2, 3)]
    assert seen[1][2] == "已读取 2 行，正在检查……" and seen[2][2] == "检查通过，正在写入 2 行……"
    assert all(s[3] == 0 for s in seen)  # told before the rows are written (outside the transaction)
    assert outcome.message == "已成功导入 2 条企业。" and Enterprise.objects.count() == 2


def test_a_refused_import_changes_nothing_and_gives_the_marked_workbook(
    city, django_capture_on_commit_callbacks
):
    rows = [*enterprise_rows(2), ["不是代码", "坏公司", "410102", "", "", ""]]
    c = login(city)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            "/registry/excel/import/enterprises/", {"file": io.BytesIO(xlsx([ENTERPRISE_HEADERS, *rows]))}
        )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "全部 3 行均未导入" in job.error and "第 4 行" in job.error
    assert (
        Enterprise.objects.count() == 0 and not AuditEvent.objects.filter(action="enterprise.import").exists()
    )
    assert job.result_name == "企业导入-错误标注.xlsx"
    page = c.get(response.url).content.decode()
    assert "下载企业导入-错误标注.xlsx" in page
    assert Notification.objects.get(recipient=city).kind == "job.failed"


def test_sheet_names_fit_excel():
    assert sheet_name("企业名录", 0) == "企业名录" and sheet_name("企业名录", 2) == "企业名录 续2"
    long = "甲" * 40
    assert len(sheet_name(long, 12)) == 31 and sheet_name(long, 12).endswith(" 续12")


def test_export_past_the_sheet_limit_continues_on_further_sheets(settings, city):
    settings.JIGAI_EXPORT_SHEET_ROWS = 3  # header + 2 rows a sheet
    for i in range(5):
        EnterpriseFactory(region_id="410102", name=f"续表测试{i}有限公司")
    response = login(city).get("/registry/excel/export/enterprises/")
    assert response.status_code == 200
    sheets = _sheets(b"".join(response.streaming_content))
    assert list(sheets) == ["企业", "企业 续1", "企业 续2"]
    assert all(rows[0][0] == "统一社会信用代码" for rows in sheets.values())  # each with the header
    assert [len(rows) - 1 for rows in sheets.values()] == [2, 2, 1]
    names = [r[1] for rows in sheets.values() for r in rows[1:]]
    assert sorted(names) == [f"续表测试{i}有限公司" for i in range(5)]
    event = AuditEvent.objects.get(action="enterprise.export")
    assert event.after["rows"] == 5


def test_large_export_runs_as_a_job_with_the_file_as_result(
    settings, city, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    settings.JIGAI_EXPORT_DIRECT_ROWS = 2
    settings.JIGAI_EXPORT_SHEET_ROWS = 4
    for i in range(7):
        EnterpriseFactory(region_id="410102", name=f"大导出{i}有限公司")
    EnterpriseFactory(region_id="410302", name="洛阳的企业")  # outside the city: never exported
    c = login(city)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.get("/registry/excel/export/enterprises/", {"q": "大导出"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.params == {"name": "enterprises", "filters": {"q": "大导出"}, "total": 7}
    assert not AuditEvent.objects.filter(action="enterprise.export").exists()
    run_worker()
    job.refresh_from_db()
    assert (
        job.status == JobStatus.DONE
        and job.message == "已导出 7 行企业名录。"
        and (job.done, job.total) == (7, 7)
    )
    download = c.get(f"/jobs/{job.pk}/download/")
    sheets = _sheets(b"".join(download.streaming_content))
    assert [len(rows) - 1 for rows in sheets.values()] == [3, 3, 1]
    event = AuditEvent.objects.get(action="enterprise.export")
    assert event.actor_id == city.pk and event.after == {"filters": {"q": "大导出"}, "rows": 7}
    # small exports stay direct
    settings.JIGAI_EXPORT_DIRECT_ROWS = 10
    assert c.get("/registry/excel/export/enterprises/", {"q": "大导出"}).status_code == 200
