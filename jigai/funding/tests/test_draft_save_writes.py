"""Saving a draft writes what changed and nothing else (the deadline rush, bench/bench_rush.py): a save that
changes nothing writes no row and no audit record; a change writes its columns and one audit record with both
states, chained like every other; the edit page's save stays within a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigai.audit.models import AuditEvent
from jigai.audit.services import audit_verify
from jigai.funding import services
from jigai.funding.models import Application
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


def _updates(target: str) -> int:
    return AuditEvent.objects.filter(
        target_type="funding.application", action="update", target_id=target
    ).count()


def test_a_save_that_changes_nothing_writes_nothing(guideline, ent_user):
    app = f.draft(ent_user, guideline, contact_phone="13912345678", summary="年度技改")
    stamp = Application.objects.get(pk=app.pk).updated_at
    data = {
        "contact_person": app.contact_person,
        "contact_phone": "139 1234 5678",  # the same number, written differently
        "summary": " 年度技改 ",
        "requested_amount": str(app.requested_amount),
        "declared_other_provincial_support": False,
    }
    with CaptureQueriesContext(connection) as q:
        services.application_update_draft(actor=ent_user, application=app, data=data)
    assert not [x["sql"] for x in q if x["sql"].startswith(("UPDATE", "INSERT"))]
    assert _updates(str(app.pk)) == 0
    assert Application.objects.get(pk=app.pk).updated_at == stamp


def test_a_change_writes_its_columns_and_one_audit_record(guideline, ent_user):
    app = f.draft(ent_user, guideline, summary="年度技改")
    services.application_update_draft(
        actor=ent_user, application=app, data={"summary": "已补充合同", "requested_amount": "1000000"}
    )
    row = Application.objects.get(pk=app.pk)
    assert row.summary == "已补充合同" and row.requested_amount == Decimal("1000000")
    event = AuditEvent.objects.get(target_type="funding.application", action="update", target_id=str(app.pk))
    assert event.before["summary"] == "年度技改" and event.after["summary"] == "已补充合同"
    assert event.after["updated_at"] != event.before["updated_at"]
    assert audit_verify(check_anchors=False).ok
    # the same values again: nothing more
    services.application_update_draft(
        actor=ent_user, application=app, data={"summary": "已补充合同", "requested_amount": "1000000.00"}
    )
    assert _updates(str(app.pk)) == 1


def test_the_edit_page_save_runs_a_fixed_number_of_queries(client, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    client.force_login(ent_user)
    url = f"/funding/applications/{app.pk}/edit/"
    counts = []
    for n in range(3):
        form = {
            "contact_person": "张三",
            "contact_phone": "13800138000",
            "summary": f"第{n}次",
            "requested_amount": "",
        }
        with CaptureQueriesContext(connection) as q:
            response = client.post(url, form)
        assert response.status_code == 302
        counts.append(len(q))
    assert counts[1] == counts[2]  # no query grows with the saves
    assert counts[2] <= 14, [x["sql"][:120] for x in q]
    assert _updates(str(app.pk)) == 3
