"""The pages per role: who opens which page (200) and who is refused (403), the forms' round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ..models import Consent, EntryStatus, Outcome, OutcomeStatus, WhitelistEntry
from .factories import propose, published

pytestmark = pytest.mark.django_db

ROLES = ["province", "leader", "city", "county", "ent_user", "bank"]
# page → the roles that open it (everyone else: 403)
PAGES = {
    "financing:whitelist_list": {"province", "leader", "city", "county"},
    "financing:whitelist_export": {"province", "leader", "city", "county"},
    "financing:propose": {"city"},
    "financing:review": {"province"},
    "financing:bank_list": {"bank"},
    "financing:bank_export": {"bank"},
    "financing:consent": {"ent_user"},
    "financing:access_log": {"ent_user"},
    "financing:access_log_export": {"ent_user"},
    "financing:event_list": {"province", "city", "ent_user", "bank"},
    "financing:event_export": {"province", "city", "ent_user", "bank"},
    "financing:event_create": {"province", "city"},
    "financing:outcome_list": {"province", "leader", "city", "county", "bank"},
    "financing:outcome_export": {"province", "leader", "city", "county", "bank"},
    "financing:stats": {"province", "leader", "city", "county"},
    "financing:stats_export": {"province", "leader", "city", "county"},
}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(cast, role):
    published(cast)
    client = _client(getattr(cast, role))
    for name, allowed in PAGES.items():
        status = client.get(reverse(name)).status_code
        assert status == (200 if role in allowed else 403), (name, role, status)


def test_anonymous_is_sent_to_sign_in(client):
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 302


def test_detail_pages_by_scope(cast):
    entry = published(cast)
    url = reverse("financing:whitelist_detail", args=[entry.pk])
    assert _client(cast.city).get(url).status_code == 200
    assert _client(cast.other_city).get(url).status_code == 404
    assert _client(cast.bank).get(url).status_code == 403  # the bank reads through its portal only
    portal = reverse("financing:bank_detail", args=[entry.pk])
    assert _client(cast.bank).get(portal).status_code == 200
    assert _client(cast.city).get(portal).status_code == 403


def test_propose_review_publish_through_the_pages(cast):
    city = _client(cast.city)
    response = city.post(
        reverse("financing:propose"),
        {
            "project": cast.project.pk,
            "amount": "1,200",
            "term_months": "24",
            "kind": "lease",
            "purpose": "设备",
        },
    )
    assert response.status_code == 302
    entry = WhitelistEntry.objects.get()
    assert entry.amount == Decimal("12000000") and entry.kind == "lease"
    prov = _client(cast.province)
    prov.post(
        reverse("financing:whitelist_move", args=[entry.pk]),
        {"action": "approve", "next": "/financing/whitelist/review/"},
    )
    prov.post(reverse("financing:review"), {"published_on": "2026-05-01"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and str(entry.batch.published_on) == "2026-05-01"


def test_return_without_reason_changes_nothing(cast):
    entry = propose(cast)
    response = _client(cast.province).post(
        reverse("financing:whitelist_move", args=[entry.pk]), {"action": "return"}, follow=True
    )
    assert "退回修改必须填写意见" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PROPOSED


def test_consent_and_outcome_through_the_pages(cast):
    entry = published(cast)
    ent = _client(cast.ent_user)
    ent.post(reverse("financing:consent"), {"institution": "", "fields": ["overview", "progress"]})
    consent = Consent.objects.get()
    assert consent.institution is None and consent.fields == ["overview", "progress"]
    bank = _client(cast.bank)
    bank.post(
        reverse("financing:bank_detail", args=[entry.pk]),
        {
            "stage": "approved",
            "on_date": "2026-05-02",
            "amount": "300",
            "product": "",
            "rate": "",
            "note": "",
            "event": "",
        },
    )
    outcome = Outcome.objects.get()
    assert outcome.amount == Decimal("3000000") and outcome.entered_by == cast.bank
    _client(cast.city).post(reverse("financing:outcome_check", args=[outcome.pk]), {"decision": "confirm"})
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONFIRMED
    ent.post(reverse("financing:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_stats_page_shows_confirmed_figures(cast):
    entry = published(cast)
    from .. import services

    loan = services.outcome_record(
        actor=cast.bank,
        entry=entry,
        stage="disbursed",
        on_date=entry.batch.published_on,
        amount=Decimal("4000000"),
        product="技改贷",
        rate=Decimal("3.2"),
    )
    page = _client(cast.province).get(reverse("financing:stats")).content.decode()
    assert "financing-chart-data" in page and "financing/stats.js" in page
    services.outcome_check(actor=cast.city, outcome=loan, confirm=True)
    page = _client(cast.province).get(reverse("financing:stats") + "?group=institution").content.decode()
    assert "测试银行" in page and "400 万元" in page
