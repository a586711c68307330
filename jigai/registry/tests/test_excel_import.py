"""Registry imports from Excel: all rows or none, every cell checked, scope re-checked, audit per object;
and the exports of the filtered lists."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from django.test import Client, RequestFactory

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.audit.models import AuditEvent
from jigai.audit.services import audit_verify
from jigai.core.errors import AccessDenied
from jigai.core.excel import NOTE_HEADER, read_rows
from jigai.core.excel.spec import ERROR_COLOR
from jigai.registry import excel as registry_excel
from jigai.registry.excel.importers import EnterpriseImporter
from jigai.registry.models import Enterprise, LibraryStatus, ProgressReport, Project, Qualification
from jigai.registry.services.progress_totals import store_project_totals
from jigai.registry.tests.factories import EnterpriseFactory, ProjectFactory, valid_uscc

pytestmark = pytest.mark.django_db

ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所在区划代码",
    "行业大类",
    "企业规模",
    "规模以上工业企业",
]


def xlsx(rows) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("数据")
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, v, wb.add_format({"num_format": "yyyy-mm-dd"}))
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write(r, c, v)
    wb.close()
    return buf.getvalue()


def login(user) -> Client:
    c = Client()
    assert c.login(request=RequestFactory().get("/"), username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def city():
    return make_user(Role.CITY, "410100")  # 郑州市


@pytest.fixture
def county():
    return make_user(Role.COUNTY, "410102")  # 中原区


def enterprise_rows(n: int, region: str = "410102", start: int = 1000) -> list[list]:
    return [
        [valid_uscc(start + i), f"郑州测试{i}机械有限公司", region, "34 通用设备制造业", "中型", "是"]
        for i in range(n)
    ]


# --- templates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "first_headers"),
    [
        ("enterprises", ["统一社会信用代码", "企业名称", "所在区划代码"]),
        ("qualifications", ["统一社会信用代码", "企业名称", "资质类型"]),
        ("projects", ["统一社会信用代码", "企业名称", "项目名称", "改造类型"]),
        ("progress", ["统一社会信用代码", "企业名称", "项目编号", "项目名称", "年份", "月份"]),
    ],
)
def test_template_downloads_with_the_headers(city, kind, first_headers):
    response = login(city).get(f"/registry/excel/import/{kind}/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[: len(first_headers)] == first_headers
    assert "说明" in wb.sheetnames


def test_enterprise_template_lists_only_the_importers_regions(county):
    wb = openpyxl.load_workbook(io.BytesIO(registry_excel.template("enterprises", county)))
    codes = [row[0] for row in wb["区划代码表"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["410102"]


def test_import_needs_the_role(city):
    expert = make_user(Role.EXPERT)
    with pytest.raises(AccessDenied):
        registry_excel.import_file(actor=expert, kind="enterprises", file=xlsx([ENTERPRISE_HEADERS]))
    assert login(expert).get("/registry/excel/import/enterprises/").status_code == 403
    assert login(expert).get("/registry/excel/import/enterprises/template/").status_code == 403
    assert Client().get("/registry/excel/import/enterprises/").status_code == 302  # to the login page


# --- enterprises ------------------------------------------------------------------------------------------


def test_good_file_imports_every_row_with_an_audit_record_each(city):
    rows = [*enterprise_rows(3), [valid_uscc(2000), "中牟测试有限公司", "郑州市中牟县", "", "小型", "否"]]
    result = registry_excel.import_file(
        actor=city, kind="enterprises", file=xlsx([ENTERPRISE_HEADERS, *rows])
    )
    assert result.ok, result.errors
    assert result.created == 4
    imported = Enterprise.objects.filter(uscc__in=[r[0] for r in rows]).order_by("uscc")
    assert imported.count() == 4
    first = Enterprise.objects.get(uscc=rows[0][0])
    assert (first.region_id, first.industry_section, first.industry_division) == ("410102", "C", "34")
    assert first.size == "medium" and first.above_designated_size and first.status == "confirmed"
    assert Enterprise.objects.get(uscc=valid_uscc(2000)).region_id == "410122"  # 中牟县 by its name
    events = AuditEvent.objects.filter(action="enterprise.import")
    assert events.count() == 4
    assert {e.target_id for e in events} == {str(e.pk) for e in imported}
    event = events.get(target_id=str(first.pk))
    assert event.actor_id == city.pk and event.region_path == "410000/410100/410102"
    assert event.after["uscc"] == first.uscc
    assert audit_verify().ok  # the bulk-written records chain like any other


def test_one_bad_cell_imports_nothing_and_marks_that_cell(
    city, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    rows = enterprise_rows(3)
    rows[1][0] = rows[1][0][:-1] + ("0" if rows[1][0][-1] != "0" else "1")  # wrong check character
    data = xlsx([ENTERPRISE_HEADERS, *rows])
    c = login(city)
    # The import runs as a background job (run on commit by the tests' immediate task backend).
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            "/registry/excel/import/enterprises/", {"file": io.BytesIO(data)}, format="multipart"
        )
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    assert Enterprise.objects.filter(name__startswith="郑州测试").count() == 0
    assert not AuditEvent.objects.filter(action="enterprise.import").exists()
    page = c.get(response.url)
    html = page.content.decode()
    assert page.context["job"].status == "failed"
    assert "全部 3 行均未导入" in html
    assert "统一社会信用代码校验位不正确" in html
    # The marked workbook is the job's result: A3 (row 2 of data) red, with the message as comment.
    marked = c.get(response.url + "download/")
    assert marked.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).worksheets[0]
    assert ws["A3"].fill.fgColor.rgb == ERROR_COLOR
    assert "校验位不正确" in ws["A3"].comment.text
    note = ws.cell(row=1, column=len(ENTERPRISE_HEADERS) + 1)
    assert note.value == NOTE_HEADER
    assert ws.cell(row=3, column=note.column).value.startswith(
        "统一社会信用代码：统一社会信用代码校验位不正确"
    )
    assert ws.cell(row=2, column=note.column).value is None and ws["A2"].comment is None
    # Nobody else can fetch that file, nor see the job.
    other = login(make_user(Role.CITY, "410300"))
    assert other.get(response.url + "download/").status_code == 404
    assert other.get(response.url).status_code == 404


def test_enterprise_rows_are_checked_against_the_database_and_each_other(city):
    existing = EnterpriseFactory(region_id="410102")
    code = valid_uscc(3000)
    rows = [
        [existing.uscc, "重复登记公司", "410102", "", "", ""],
        [code, "甲公司", "410102", "", "", ""],
        [code, "乙公司", "410103", "", "", ""],
        [valid_uscc(3001), "丙公司", "419999", "", "", ""],
        [valid_uscc(3002), "丁公司", "410100", "", "", ""],
        [valid_uscc(3003), "戊公司", "410102", "99 不存在", "", ""],
        [valid_uscc(3004), "", "410102", "", "巨型", "也许"],
    ]
    result = registry_excel.import_file(
        actor=city, kind="enterprises", file=xlsx([ENTERPRISE_HEADERS, *rows])
    )
    assert not result.ok
    got = {(e.row, e.col): e.message for e in result.errors}
    assert got[(2, 1)].startswith("该统一社会信用代码已登记")
    assert got[(4, 1)] == "与第 3 行的统一社会信用代码重复。"
    assert "不存在" in got[(5, 3)]
    assert got[(6, 3)] == "“郑州市”不是县级区划，企业须登记到县（市、区）。"
    assert "不是可选项" in got[(7, 4)]
    assert got[(8, 2)] == "必填，不能为空。"
    assert "不是可选项" in got[(8, 5)] and got[(8, 6)] == "请填写“是”或“否”。"
    assert (3, 1) not in got  # the first of the duplicates is fine
    assert Enterprise.objects.count() == 1


def test_out_of_scope_region_imports_nothing(county):
    rows = [*enterprise_rows(2), *enterprise_rows(1, region="410305", start=5000)]  # 洛阳涧西区
    result = registry_excel.import_file(
        actor=county, kind="enterprises", file=xlsx([ENTERPRISE_HEADERS, *rows])
    )
    assert not result.ok
    assert [(e.row, e.col) for e in result.errors] == [(4, 3)]
    assert "不在您的管辖范围内" in result.errors[0].message
    assert Enterprise.objects.count() == 0


def test_scope_recheck_after_creating_rolls_everything_back(county, monkeypatch):
    """Even if the row checks let an out-of-scope row through, restrict() after the insert refuses it and
    the whole import rolls back (NetBox bulk import)."""
    monkeypatch.setattr(EnterpriseImporter, "_scope_codes", lambda self, actor: {"410102", "410305"})
    rows = [*enterprise_rows(2), *enterprise_rows(1, region="410305", start=5000)]
    result = registry_excel.import_file(
        actor=county, kind="enterprises", file=xlsx([ENTERPRISE_HEADERS, *rows])
    )
    assert not result.ok
    assert [(e.row, e.col) for e in result.errors] == [(4, 3)]
    assert "整个文件未导入" in result.errors[0].message
    assert Enterprise.objects.count() == 0
    assert not AuditEvent.objects.filter(action="enterprise.import").exists()


def test_not_xlsx_is_refused_with_a_message(city):
    response = login(city).post(
        "/registry/excel/import/enterprises/", {"file": io.BytesIO(b"a,b\n1,2\n")}, format="multipart"
    )
    assert response.status_code == 400
    assert "只能上传 Excel 2007 及以上版本的 .xlsx 文件" in response.content.decode()


def test_import_page_success(city, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    data = xlsx([ENTERPRISE_HEADERS, *enterprise_rows(2)])
    c = login(city)
    page = c.get("/registry/excel/import/enterprises/")
    assert page.status_code == 200 and "下载企业导入模板" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            "/registry/excel/import/enterprises/", {"file": io.BytesIO(data)}, format="multipart"
        )
    assert response.status_code == 302
    assert "已成功导入 2 条企业" in c.get(response.url).content.decode()
    assert Enterprise.objects.count() == 2


# --- qualifications ---------------------------------------------------------------------------------------

QUAL_HEADERS = ["统一社会信用代码", "企业名称", "资质类型", "级别", "证书编号/文号", "有效期起", "有效期止"]


def test_qualifications_import_and_checks(county):
    mine = EnterpriseFactory(region_id="410102", name="中原机械有限公司")
    other = EnterpriseFactory(region_id="410302")
    good = [
        mine.uscc,
        "中原机械有限公司",
        "省级专精特新中小企业",
        "省级",
        "豫工信〔2024〕1号",
        dt.date(2024, 1, 1),
        dt.date(2026, 12, 31),
    ]
    result = registry_excel.import_file(actor=county, kind="qualifications", file=xlsx([QUAL_HEADERS, good]))
    assert result.ok, result.errors
    q = Qualification.objects.get()
    assert (q.enterprise, q.kind, q.level, q.valid_to) == (
        mine,
        "provincial_specialized",
        "provincial",
        dt.date(2026, 12, 31),
    )
    assert AuditEvent.objects.filter(action="qualification.import", target_id=str(q.pk)).exists()

    bad = [
        good,  # already registered now
        [other.uscc, "", "头雁企业", "", "", dt.date(2024, 1, 1), dt.date(2025, 1, 1)],
        [mine.uscc, "别的名字", "头雁企业", "", "", dt.date(2024, 1, 1), dt.date(2023, 1, 1)],
        [valid_uscc(9999), "", "头雁企业", "", "", dt.date(2024, 1, 1), dt.date(2025, 1, 1)],
    ]
    result = registry_excel.import_file(actor=county, kind="qualifications", file=xlsx([QUAL_HEADERS, *bad]))
    got = {(e.row, e.col): e.message for e in result.errors}
    assert "已登记此资质" in got[(2, 3)]
    assert got[(3, 1)] == "该企业不在您的管辖范围内。"
    assert "企业名称与统一社会信用代码不符" in got[(4, 2)]
    assert got[(4, 7)] == "有效期止不能早于有效期起。"
    assert "系统中没有该统一社会信用代码的企业" in got[(5, 1)]
    assert Qualification.objects.count() == 1


# --- projects ---------------------------------------------------------------------------------------------

PROJECT_HEADERS = [
    "统一社会信用代码",
    "项目名称",
    "改造类型",
    "机器换人项目",
    "总投资（元）",
    "设备投资（元）",
    "软件投资（元）",
    "整机购置投资（元）",
    "计划开工",
    "计划竣工",
    "建设状态",
]


def test_enterprise_user_imports_its_own_projects():
    user = make_user(Role.ENTERPRISE)
    ent = user.enterprise
    other = EnterpriseFactory(region_id="410102")
    rows = [
        [
            ent.uscc,
            "数控机床智能化改造",
            "智能化",
            "否",
            58000000.5,
            32000000,
            4000000,
            None,
            dt.date(2025, 3, 1),
            dt.date(2026, 6, 30),
            "在建",
        ],
        [
            ent.uscc,
            "余热回收绿色化改造",
            "绿色化",
            "是",
            12000000,
            8000000,
            0,
            6000000,
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            None,
        ],
    ]
    result = registry_excel.import_file(actor=user, kind="projects", file=xlsx([PROJECT_HEADERS, *rows]))
    assert result.ok, result.errors
    p = Project.objects.get(name="数控机床智能化改造")
    assert p.total_investment == Decimal("58000000.50") and p.library_status == LibraryStatus.DRAFT
    assert p.construction_status == "under_construction"
    assert Project.objects.get(name="余热回收绿色化改造").construction_status == "planned"
    assert AuditEvent.objects.filter(action="project.import").count() == 2

    bad = [
        [
            other.uscc,
            "别人的项目",
            "智能化",
            "否",
            100,
            0,
            0,
            0,
            dt.date(2025, 1, 1),
            dt.date(2025, 2, 1),
            None,
        ],
        [
            ent.uscc,
            "数控机床智能化改造",
            "智能化",
            "否",
            100,
            0,
            0,
            0,
            dt.date(2025, 1, 1),
            dt.date(2025, 2, 1),
            None,
        ],
        [ent.uscc, "新项目", "智能化", "是", 100, 80, 30, 0, dt.date(2025, 3, 1), dt.date(2025, 2, 1), None],
    ]
    result = registry_excel.import_file(actor=user, kind="projects", file=xlsx([PROJECT_HEADERS, *bad]))
    got = {(e.row, e.col): e.message for e in result.errors}
    assert got[(2, 1)] == "该企业不在您的管辖范围内。"
    assert got[(3, 2)] == "该企业已有同名项目，不能重复导入。"
    assert got[(4, 5)] == "设备投资与软件投资之和不能超过总投资。"
    assert got[(4, 10)] == "计划竣工日期不能早于计划开工日期。"
    assert got[(4, 8)] == "机器换人项目请填写整机购置投资。"
    assert Project.objects.count() == 2


# --- progress ---------------------------------------------------------------------------------------------

PROGRESS_HEADERS = [
    "统一社会信用代码",
    "项目编号",
    "项目名称",
    "年份",
    "月份",
    "本月完成投资（元）",
    "累计超总投资说明",
]


@pytest.fixture
def in_library():
    return ProjectFactory(
        enterprise=EnterpriseFactory(region_id="410102"),
        name="智能工厂改造",
        total_investment=Decimal("1000000"),
        library_status=LibraryStatus.IN_LIBRARY,
    )


def test_progress_import_unique_per_month_and_cumulative_reason(county, in_library):
    p = in_library
    code = p.enterprise.uscc
    ProgressReport.objects.create(
        project=p, month=dt.date(2024, 1, 1), investment_completed=Decimal("600000")
    )
    draft = ProjectFactory(enterprise=p.enterprise, name="草稿项目")
    rows = [
        [code, None, "智能工厂改造", 2024, 2, 300000, None],  # cumulative 900,000: fine
        [code, p.pk, "", 2024, 3, 200000, None],  # cumulative 1,100,000: needs a reason
        [code, p.pk, "", 2024, 2, 1, None],  # same month as row 2
        [code, None, "智能工厂改造", 2024, 1, 1, None],  # already reported
        [code, None, "草稿项目", 2024, 1, 1, None],  # not in the library
        [code, None, "没有这个项目", 2024, 1, 1, None],
        [code, 999999, "", 2024, 1, 1, None],
        [code, p.pk, "", 2099, 1, 1, None],  # future month
    ]
    result = registry_excel.import_file(actor=county, kind="progress", file=xlsx([PROGRESS_HEADERS, *rows]))
    assert not result.ok
    got = {(e.row, e.col): e.message for e in result.errors}
    assert got[(3, 7)] == "累计完成投资 1,100,000.00 元超过项目总投资 1,000,000.00 元，请填写超出原因。"
    assert got[(4, 5)] == "与第 2 行是同一项目同一月份，重复。"
    assert got[(5, 5)].startswith("2024年01月的进度已填报")
    assert "项目尚未入库" in got[(6, 3)]
    assert got[(7, 3)] == "该企业没有名为“没有这个项目”的项目。"
    assert got[(8, 2)] == "该企业没有编号为 999999 的项目。"
    assert got[(9, 5)] == "不能填报未来月份的进度。"
    assert (2, 7) not in got and len(got) == 7
    assert ProgressReport.objects.count() == 1
    assert draft.progress_reports.count() == 0

    rows = [
        [code, None, "智能工厂改造", 2024, 2, 300000, None],
        [code, p.pk, "", 2024, 3, 200000, "追加设备"],
    ]
    result = registry_excel.import_file(actor=county, kind="progress", file=xlsx([PROGRESS_HEADERS, *rows]))
    assert result.ok, result.errors
    march = ProgressReport.objects.get(project=p, month=dt.date(2024, 3, 1))
    assert march.investment_completed == Decimal("200000.00") and march.over_total_reason == "追加设备"
    assert march.reported_by == county
    assert AuditEvent.objects.filter(action="progress.import").count() == 2
    # the project's stored totals follow the import (the January report was written outside the services)
    p.refresh_from_db()
    assert p.cumulative_investment == Decimal("1100000.00")
    assert p.last_reported_month == dt.date(2024, 3, 1)


def test_progress_import_refuses_months_that_push_an_existing_report_over(county, in_library):
    p = in_library
    ProgressReport.objects.create(
        project=p, month=dt.date(2024, 3, 1), investment_completed=Decimal("500000")
    )
    rows = [[p.enterprise.uscc, p.pk, "", 2024, 1, 600000, None]]
    result = registry_excel.import_file(actor=county, kind="progress", file=xlsx([PROGRESS_HEADERS, *rows]))
    assert not result.ok
    assert result.errors[0][:2] == (2, 6)
    assert "2024年03月 的累计完成投资 1,100,000.00 元将超过项目总投资" in result.errors[0].message


# --- exports ----------------------------------------------------------------------------------------------


def test_enterprise_export_is_scoped_and_filtered(county, city):
    for i in range(30):
        EnterpriseFactory(region_id="410102", name=f"中原{i}有限公司")
    EnterpriseFactory(region_id="410103", name="二七有限公司")
    response = login(county).get("/registry/excel/export/enterprises/")
    rows = list(read_rows(b"".join(response.streaming_content)))
    assert rows[0][1][:3] == ["统一社会信用代码", "企业名称", "所在区划代码"]
    assert len(rows) == 31  # header + 中原区's 30, not 二七区's
    assert {r[1][2] for r in rows[1:]} == {"410102"}
    filtered = login(city).get("/registry/excel/export/enterprises/?q=二七")
    rows = list(read_rows(b"".join(filtered.streaming_content)))
    assert [r[1][1] for r in rows[1:]] == ["二七有限公司"]
    assert AuditEvent.objects.filter(action="enterprise.export").count() == 2


def test_export_functions_return_files_for_projects_and_progress(county, in_library):
    p = in_library
    ProgressReport.objects.create(
        project=p, month=dt.date(2024, 1, 1), investment_completed=Decimal("100000.10")
    )
    ProgressReport.objects.create(
        project=p, month=dt.date(2024, 2, 1), investment_completed=Decimal("200000")
    )
    store_project_totals([p.pk])  # rows written outside the services
    ProjectFactory(enterprise=EnterpriseFactory(region_id="410302"))  # 洛阳: not the county's
    data = b"".join(registry_excel.export_projects(county, {}).streaming_content)
    rows = list(read_rows(data))
    assert len(rows) == 2 and rows[1][1][0] == p.pk and rows[1][1][3] == "智能工厂改造"
    header = rows[0][1]
    assert rows[1][1][header.index("累计完成投资（元）")] == 300000.1
    # progress of 2024-02 only, its cumulative still counts January
    data = b"".join(
        registry_excel.export_progress(county, {"year": "2024", "q": "智能工厂"}).streaming_content
    )
    rows = list(read_rows(data))
    header = rows[0][1]
    assert [r[1][header.index("月份")] for r in rows[1:]] == [1, 2]
    assert rows[2][1][header.index("累计完成投资（元）")] == 300000.1


def test_exported_progress_reads_back_exactly(county, in_library):
    """Money survives the round trip through Excel's floats."""
    ProgressReport.objects.create(
        project=in_library, month=dt.date(2024, 1, 1), investment_completed=Decimal("9999999999.99")
    )
    data = b"".join(registry_excel.export_progress(county, {}).streaming_content)
    from jigai.core.excel import validate
    from jigai.registry.excel.specs import progress_export_spec

    rows, errors = validate(read_rows(data), progress_export_spec())
    assert errors == [] and rows[0]["investment_completed"] == Decimal("9999999999.99")


def test_import_index_lists_what_the_role_may_import(city):
    html = login(city).get("/registry/excel/import/").content.decode()
    for label in ("导入企业", "导入企业资质", "导入技改项目", "导入月度进度"):
        assert label in html
    enterprise_user = make_user(Role.ENTERPRISE)
    html = login(enterprise_user).get("/registry/excel/import/").content.decode()
    assert "导入技改项目" in html and "导入企业</a>" not in html
    html = login(make_user(Role.EXPERT)).get("/registry/excel/import/").content.decode()
    assert "没有可用的批量导入" in html


def test_unknown_kind_is_not_found(city):
    c = login(city)
    assert c.get("/registry/excel/import/nothing/").status_code == 404
    assert c.get("/registry/excel/export/nothing/").status_code == 404
    assert c.get("/registry/excel/import/enterprises/errors/not-a-token/").status_code == 404


def test_export_ignores_malformed_filters(city):
    EnterpriseFactory(region_id="410102")
    response = login(city).get("/registry/excel/export/projects/?enterprise=abc&year=x&project=1%3B")
    assert response.status_code == 200
    response = login(city).get("/registry/excel/export/progress/?enterprise=abc&year=20x4")
    assert response.status_code == 200
