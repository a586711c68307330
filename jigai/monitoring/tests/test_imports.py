import io
from decimal import Decimal

import openpyxl
import pytest

from jigai.audit.models import AuditEvent
from jigai.monitoring.excel import StatisticsImporter, statistics_spec
from jigai.monitoring.models import MonthlyRollup, MonthlyValue, Source
from jigai.registry.excel.base import run_import
from jigai.registry.excel.importers import IMPORTERS

pytestmark = pytest.mark.django_db


def _book(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    spec = statistics_spec()
    ws.append([c.header for c in spec.columns])
    keys = [c.key for c in spec.columns]
    for r in rows:
        ws.append([r.get(k) for k in keys])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_importer_is_registered_with_the_registry_toolkit():
    assert isinstance(IMPORTERS["monthly_statistics"], StatisticsImporter)


def test_a_valid_workbook_imports_every_row_and_refreshes_the_rollups(people):
    data = _book(
        [
            {
                "region_code": "410102",
                "year": 2026,
                "month": 3,
                "ti_investment": 1200,
                "industrial_investment": 4000,
            },
            {
                "region_code": "410305",
                "year": 2026,
                "month": 3,
                "ti_investment": 800,
                "industrial_investment": 2000,
            },
            {"region_code": "419001", "year": 2026, "month": 3, "ti_investment": 100},
        ]
    )
    result = run_import(actor=people.province, importer=IMPORTERS["monthly_statistics"], data=data)
    assert result.ok, (result.message, result.errors)
    assert MonthlyValue.objects.filter(source=Source.IMPORTED).count() == 5
    prov = MonthlyRollup.objects.get(indicator__code="ti_investment", region_id="410000", year=2026, month=3)
    assert prov.actual == 2100
    share = MonthlyRollup.objects.get(
        indicator__code="ti_investment_share", region_id="410100", year=2026, month=3
    )
    assert share.actual == Decimal(30)  # 1200 / 4000 × 100
    assert AuditEvent.objects.filter(action="import").count() == 5


def test_one_bad_cell_imports_nothing_and_marks_the_workbook(people):
    MonthlyValue.objects.all().delete()
    data = _book(
        [
            {"region_code": "410102", "year": 2026, "month": 3, "ti_investment": 1200},
            {"region_code": "999999", "year": 2026, "month": 3, "ti_investment": 5},
            {
                "region_code": "410100",
                "year": 2026,
                "month": 3,
                "ti_investment": 5,
            },  # a city: county-reported
            {"region_code": "410305", "year": 2026, "month": 3, "ti_investment": -1},
        ]
    )
    result = run_import(actor=people.province, importer=IMPORTERS["monthly_statistics"], data=data)
    assert not result.ok
    assert {e.row for e in result.errors} == {3, 4, 5}
    assert not MonthlyValue.objects.exists()
    marked = openpyxl.load_workbook(io.BytesIO(result.error_file)).active
    assert any("区划代码不存在" in str(c.value) for row in marked.iter_rows() for c in row if c.value)


def test_only_the_province_imports(people):
    data = _book([{"region_code": "410102", "year": 2026, "month": 3, "ti_investment": 1}])
    from jigai.core.errors import AccessDenied

    with pytest.raises(AccessDenied):
        run_import(actor=people.zz, importer=IMPORTERS["monthly_statistics"], data=data)


def test_the_import_page_and_its_template_answer_the_province(client, people):
    client.force_login(people.province)
    assert client.get("/monitoring/import/").status_code == 302
    assert client.get("/registry/excel/import/monthly_statistics/").status_code == 200
    template = client.get("/registry/excel/import/monthly_statistics/template/")
    assert template.status_code == 200
    headers = [
        c.value
        for c in next(openpyxl.load_workbook(io.BytesIO(template.content)).active.iter_rows(max_row=1))
    ]
    assert "技术改造投资（万元）" in headers
