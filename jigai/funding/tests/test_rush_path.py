"""The enterprise's draft path under the deadline rush (issue 12, bench/bench_rush.py): what one read, one
edit page and one save cost in queries, the application page's audit trail read only when it is opened (every
save adds a row; a page of the newest at a time), and the lighter fetch of the edit and submit views still
behind the scope gate."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jigai.audit.models import AuditEvent
from jigai.funding.models import Application, AppStatus
from jigai.funding.tests import factories as f
from jigai.funding.views.applications import HISTORY_SHOWN

pytestmark = pytest.mark.django_db

FORM = {"contact_person": "张三", "contact_phone": "13800138000", "summary": "技改", "requested_amount": ""}


def _queries(client, method: str, url: str, data=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as q:
        r = client.post(url, data) if method == "post" else client.get(url)
    return r.status_code, len(q)


def _history_rows(html: str) -> int:
    table = html.split('class="audit-history"', 1)[1].split("</table>", 1)[0]
    return table.count("<time datetime=")


def test_read_edit_save_query_budget(client, guideline, ent_user):
    """Measured 10 / 4 / 8 (session and user included; the session itself is written at most once a
    minute); a query per saved event or per row shows here. A save that changes nothing writes nothing. The
    read was 11 while it read the audit trail and joined the four kinds of object in one query."""
    app = f.draft(ent_user, guideline)
    client.force_login(ent_user)
    detail = reverse("funding:application_detail", args=[app.pk])
    edit = reverse("funding:application_edit", args=[app.pk])
    for n in range(3):  # the same after several saves: nothing grows with the history
        assert _queries(client, "post", edit, {**FORM, "summary": f"技改{n}"}) == (302, 10)
        assert _queries(client, "get", edit) == (200, 4)
        assert _queries(client, "get", detail) == (200, 8)
    assert _queries(client, "post", edit, {**FORM, "summary": "技改2"}) == (302, 6)  # unchanged
    app.refresh_from_db()
    assert app.summary == "技改2" and app.contact_person == "张三"


def _history_url(app) -> str:
    return reverse("funding:application_history", args=[app.pk])


def test_page_reads_no_audit_rows_and_loads_them_when_opened(client, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    client.force_login(ent_user)
    edit = reverse("funding:application_edit", args=[app.pk])
    for n in range(HISTORY_SHOWN + 5):
        assert client.post(edit, {**FORM, "summary": f"第{n}次"}).status_code == 302
    total = AuditEvent.objects.filter(target_type="funding.application", target_id=str(app.pk)).count()
    assert total == HISTORY_SHOWN + 6  # created + every save
    html = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    assert 'class="audit-history"' not in html  # nothing read until opened
    opened = re.search(r'<details data-testid="history" hx-get="([^"]+)" hx-trigger="toggle once"', html)
    assert opened and opened.group(1) == _history_url(app)
    assert f'<a href="{_history_url(app)}">打开审计记录</a>' in html  # without scripts: the page of its own

    fragment = client.get(_history_url(app), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and _history_rows(fragment) == HISTORY_SHOWN
    assert f"第{HISTORY_SHOWN + 4}次" in fragment and "第0次" not in fragment  # the newest first
    assert 'data-testid="history-more"' in fragment and f"共 {total} 条" in fragment

    page2 = client.get(_history_url(app) + "?page=2").content.decode()
    assert "<html" in page2 and _history_rows(page2) == total - HISTORY_SHOWN
    assert "第0次" in page2 and str(app) in page2  # the oldest, under the application's name
    body = client.get(f"/api/v1/funding/applications/{app.pk}").json()
    assert len(body["history"]) == total  # the API keeps the whole trail


def test_short_history_has_no_note(client, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    client.force_login(ent_user)
    html = client.get(_history_url(app), HTTP_HX_REQUEST="true").content.decode()
    assert _history_rows(html) == 1 and 'data-testid="history-more"' not in html


def test_history_is_behind_the_application_gate(client, cast, guideline, ent_user):
    """The enterprise's own, and the reviewers who reach it; another enterprise and a missing id 404; the
    expert, who sees the application but not its trail, 404 too (and finds no link on the page)."""
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.REVIEWED, cast)
    url = _history_url(app)
    for reviewer in (cast.county, cast.city, cast.province, ent_user):
        client.force_login(reviewer)
        assert client.get(url).status_code == 200
    client.force_login(f.enterprise_user("410102"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("funding:application_history", args=[999999])).status_code == 404
    client.force_login(cast.experts[0])  # scored it: reads the application, not its trail
    detail = client.get(reverse("funding:application_detail", args=[app.pk]))
    assert detail.status_code == 200 and url not in detail.content.decode()
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_edit_and_submit_of_another_enterprise_answer_404(client, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    other = f.enterprise_user("410102")
    client.force_login(other)
    edit = reverse("funding:application_edit", args=[app.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {**FORM, "summary": "篡改"}).status_code == 404
    assert client.post(reverse("funding:application_submit", args=[app.pk])).status_code == 404
    app.refresh_from_db()
    assert app.summary != "篡改" and app.status == AppStatus.DRAFT
    assert client.get(reverse("funding:application_edit", args=[999999])).status_code == 404


def test_submit_through_the_light_fetch(client, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    client.force_login(ent_user)
    r = client.post(reverse("funding:application_submit", args=[app.pk]))
    assert r.status_code == 302
    assert Application.objects.get(pk=app.pk).status == AppStatus.SUBMITTED
