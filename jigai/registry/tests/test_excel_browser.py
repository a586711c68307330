"""The Excel import in a real Chromium: a city reviewer downloads the template, uploads a file with one bad
cell, reads the error, downloads the marked workbook, then uploads the corrected file."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
import xlsxwriter
from playwright.sync_api import Page, expect

from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_user
from jigai.core.excel.spec import ERROR_COLOR
from jigai.registry.models import Enterprise
from jigai.registry.tests.factories import valid_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["统一社会信用代码", "企业名称", "所在区划代码"]


def _xlsx(rows) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("企业")
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            ws.write_string(r, c, v)
    wb.close()
    return buf.getvalue()


def _upload(page: Page, data: bytes) -> None:
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page.get_by_label("Excel 文件").set_input_files(
        files=[{"name": "企业.xlsx", "mimeType": mime, "buffer": data}]
    )
    page.get_by_role("button", name="检查并导入").click()


def test_import_with_a_bad_cell_then_the_corrected_file(page: Page, live_server):
    ensure_region("410102")
    make_user("city", "410100", username="zz_city")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("zz_city")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()

    page.goto(f"{live_server.url}/registry/excel/import/")
    page.get_by_role("link", name="导入企业", exact=True).click()
    expect(page.get_by_role("heading", name="导入企业")).to_be_visible()
    with page.expect_download() as template:
        page.get_by_role("button", name="下载企业导入模板（.xlsx）").click()
    assert template.value.suggested_filename == "企业导入模板.xlsx"

    good = valid_uscc(7001)
    bad = valid_uscc(7002)[:-1] + ("0" if valid_uscc(7002)[-1] != "0" else "1")
    _upload(
        page, _xlsx([HEADERS, [good, "郑州甲机械有限公司", "410102"], [bad, "郑州乙机械有限公司", "410102"]])
    )
    # The import runs as a background job (here on commit: the tests' immediate task backend); the user
    # lands on its page, which says why it failed and offers the marked workbook.
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    result = page.locator("#job-error")
    expect(result).to_contain_text("全部 2 行均未导入")
    expect(result).to_contain_text("统一社会信用代码校验位不正确")
    with page.expect_download() as marked:
        page.get_by_role("button", name="下载企业导入-错误标注.xlsx").click()
    ws = openpyxl.load_workbook(io.BytesIO(marked.value.path().read_bytes())).worksheets[0]
    assert ws["A3"].fill.fgColor.rgb == ERROR_COLOR and "校验位" in ws["A3"].comment.text
    assert Enterprise.objects.count() == 0

    fixed = valid_uscc(7002)
    page.goto(f"{live_server.url}/registry/excel/import/enterprises/")
    _upload(
        page,
        _xlsx([HEADERS, [good, "郑州甲机械有限公司", "410102"], [fixed, "郑州乙机械有限公司", "410102"]]),
    )
    expect(page.locator("#job-result")).to_contain_text("已成功导入 2 条企业")
    assert Enterprise.objects.count() == 2
    assert errors == []
