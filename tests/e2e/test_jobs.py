"""A background import in a real Chromium: a county officer uploads a workbook of projects, lands on the
job's progress page (queued), the database queue's worker runs the job, the page — polled by htmx, no
reload — moves to done with the result, and the officer finds the in-app message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_user
from jigai.jobs.models import Job, JobStatus
from jigai.jobs.testing import DATABASE_TASKS, run_worker
from jigai.registry.models import Project
from jigai.registry.tests.factories import EnterpriseFactory
from jigai.registry.tests.test_excel_import import PROJECT_HEADERS, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rows(uscc: str) -> list[list]:
    return [
        [uscc, f"第{i}条产线智能化改造", "智能化", "否", 5800000, 3200000, 400000, None,
         dt.date(2025, 3, 1), dt.date(2026, 6, 30), "在建"]
        for i in range(1, 4)
    ]  # fmt: skip


def test_county_imports_projects_in_the_background(page: Page, live_server, settings, tmp_path):
    settings.TASKS = DATABASE_TASKS  # queued in the database, run by the worker (not on commit)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ensure_region("410102")
    county = make_user("county", "410102", username="zhongyuan_jobs")
    ent = EnterpriseFactory(region_id="410102", name="中原精密机械有限公司")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(county.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()

    workbook = tmp_path / "项目.xlsx"
    workbook.write_bytes(xlsx([PROJECT_HEADERS, *_rows(ent.uscc)]))
    page.goto(f"{base}/registry/excel/import/projects/")
    page.get_by_label("Excel 文件").set_input_files(str(workbook))
    page.get_by_role("button", name="检查并导入").click()

    # the progress page, while the job waits for the worker
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", name="导入技改项目")).to_be_visible()
    expect(page.locator("#job-status")).to_have_text("排队中")
    expect(page.locator("#job-progress")).to_have_attribute("hx-trigger", "every 1s")
    job = Job.objects.get(owner=county)
    assert job.status == JobStatus.QUEUED and not Project.objects.exists()

    run_worker()  # django-tasks-db's worker, in batch mode

    # htmx polls the page every second: it moves to done without a reload
    expect(page.locator("#job-status")).to_have_text("已完成", timeout=10_000)
    expect(page.locator("#job-result")).to_contain_text("已成功导入 3 条技改项目")
    expect(page.locator("#job-bar")).to_have_attribute("value", "100")
    expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", "every 1s")
    assert Project.objects.filter(enterprise=ent).count() == 3

    # the in-app message links back to the job
    page.goto(f"{base}/notifications/")
    expect(page.get_by_text("导入技改项目已完成")).to_be_visible()
    page.goto(f"{base}/jobs/")
    expect(page.locator("#job-list")).to_contain_text("导入技改项目")
    assert errors == []
