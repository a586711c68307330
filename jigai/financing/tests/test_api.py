"""The financing API: the same services and scope as the pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ..models import EntryStatus, WhitelistEntry
from .factories import published

pytestmark = pytest.mark.django_db
API = "/api/v1/financing"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post(client: Client, url: str, body: dict):
    return client.post(url, data=body, content_type="application/json")


def test_propose_review_publish(cast):
    city, prov = _client(cast.city), _client(cast.province)
    r = _post(
        city,
        f"{API}/whitelist",
        {"project": cast.project.pk, "amount": "5000000", "term_months": 12, "kind": "loan"},
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert _post(city, f"{API}/whitelist/{pk}/moves", {"action": "approve"}).status_code == 409
    assert _post(prov, f"{API}/whitelist/{pk}/moves", {"action": "approve"}).status_code == 200
    r = _post(prov, f"{API}/whitelist/publish", {"published_on": str(timezone.localdate())})
    assert r.status_code == 201 and r.json()["number"] == 1
    assert WhitelistEntry.objects.get(pk=pk).status == EntryStatus.PUBLISHED
    assert _client(cast.other_city).get(f"{API}/whitelist/{pk}").status_code == 404
    assert _client(cast.bank).get(f"{API}/whitelist/{pk}").status_code == 403


def test_consent_portal_outcome_check(cast):
    entry = published(cast)
    ent, bank, city = _client(cast.ent_user), _client(cast.bank), _client(cast.city)
    r = _post(
        ent, f"{API}/consents", {"institution": cast.bank_inst.pk, "fields": ["investment", "contacts"]}
    )
    assert r.status_code == 201
    consent = r.json()["id"]
    assert [e["id"] for e in bank.get(f"{API}/portal").json()] == [entry.pk]
    assert bank.get(f"{API}/portal/{entry.pk}").json()["fields"] == ["investment", "contacts"]
    assert _post(ent, f"{API}/consents/{consent}/withdraw", {}).status_code == 200
    assert bank.get(f"{API}/portal/{entry.pk}").json()["fields"] == []
    body = {
        "stage": "disbursed",
        "on_date": str(timezone.localdate()),
        "amount": "1000000",
        "product": "贷",
        "rate": "3.1",
    }
    r = _post(bank, f"{API}/portal/{entry.pk}/outcomes", body)
    assert r.status_code == 201, r.content
    outcome = r.json()["id"]
    assert _post(city, f"{API}/outcomes/{outcome}/check", {"confirm": True}).json()["status"] == "confirmed"
    figures = (
        _client(cast.province)
        .get(f"{API}/figures", {"year": timezone.localdate().year, "group_by": "city"})
        .json()
    )
    assert figures[0]["disbursed"] == "1000000.00" or figures[0]["disbursed"].startswith("1000000")
    assert bank.get(f"{API}/figures", {"year": 2026}).status_code == 403
    assert _client(cast.ent_user).get(f"{API}/portal").status_code == 403
