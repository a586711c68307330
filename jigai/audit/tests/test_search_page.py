"""The audit administrator searches the trail by object, actor, time and action and exports it; the export
is recorded; nobody else opens the page (issue 12, 三权分立)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jigai.accounts.tests.factories import make_user
from jigai.audit.models import AuditEvent
from jigai.audit.services import audit_record
from jigai.regions.models import Region

pytestmark = pytest.mark.django_db


def _events(actor):
    region = Region.objects.get(code="410102")
    other = Region.objects.get(code="410305")
    audit_record(actor=actor, action="update", obj=region, comment="改了金水区")
    audit_record(actor=None, action="create", obj=other, comment='=HYPERLINK("http://x")')


def _login(client, user):
    client.force_login(user)
    return client


def test_search_by_object_actor_and_action(client):
    auditor = make_user(role="auditadmin")
    province = make_user(role="province")
    _events(province)
    _login(client, auditor)
    page = client.get(
        "/audit/", {"target_type": "regions.region", "target_id": Region.objects.get(code="410102").pk}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "改了金水区" in html and "HYPERLINK" not in html
    by_actor = client.get("/audit/", {"actor": province.username}).content.decode()
    assert "改了金水区" in by_actor and "HYPERLINK" not in by_actor
    by_action = client.get("/audit/", {"action": "create"}).content.decode()
    assert "HYPERLINK" in by_action and "改了金水区" not in by_action
    bad = client.get("/audit/", {"date_from": "2026-12-02", "date_to": "2026-12-01"}).content.decode()
    assert "截止日期不能早于起始日期" in bad


def test_export_is_a_workbook_without_formulas_and_is_itself_recorded(client):
    auditor = make_user(role="auditadmin")
    _events(None)
    before = AuditEvent.objects.count()
    response = _login(client, auditor).get("/audit/export/")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.values)
    assert rows[0][0] == "序号" and len(rows) == before + 1
    formula = next(r for r in rows if r[9] and "HYPERLINK" in r[9])
    assert formula[9].startswith("=")  # kept as text: the cell is a string, not a formula
    assert AuditEvent.objects.filter(action="audit.export", actor=auditor).exists()


@pytest.mark.parametrize("role", ["province", "admin", "secadmin", "county", "enterprise", "finance"])
def test_no_one_else_opens_the_audit_pages(client, role):
    user = make_user(role=role)
    _login(client, user)
    assert client.get("/audit/").status_code in (302, 403)
    assert client.get("/audit/export/").status_code in (302, 403)
