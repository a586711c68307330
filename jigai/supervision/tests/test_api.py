"""The ticket API: list, detail, open, reply, close (same services, same scope as the pages)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jigai.supervision import services
from jigai.supervision.models import Ticket

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_open_reply_close_over_the_api(people):
    province, city = _client(people.province), _client(people.city)
    deadline = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    r = province.post(
        f"{API}/tickets",
        {"region_code": "410300", "subject": "专项督办", "detail": "差距", "deadline": deadline},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["actions"] == ["close"]
    detail = city.get(f"{API}/tickets/{pk}").json()
    assert detail["status"] == "open" and detail["actions"] == ["reply"]
    r = city.post(f"{API}/tickets/{pk}/reply", {"text": "已办理"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "replied" and len(r.json()["replies"]) == 1
    r = city.post(f"{API}/tickets/{pk}/close", {"comment": "x"}, content_type="application/json")
    assert r.status_code == 403
    r = province.post(f"{API}/tickets/{pk}/return", {"comment": "不具体"}, content_type="application/json")
    assert r.json()["status"] == "open"
    r = province.post(f"{API}/tickets/{pk}/close", {"comment": "办结"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = province.post(f"{API}/tickets/{pk}/reopen", {"comment": "反弹"}, content_type="application/json")
    assert r.json()["status"] == "open"


def test_list_scope_and_errors(people):
    services.open_ticket(
        key="a",
        kind="monitoring",
        region_code="410100",
        subject="郑州市",
        detail="d",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    t = Ticket.objects.get()
    assert _client(people.province).get(f"{API}/tickets").json()["count"] == 1
    assert _client(people.city).get(f"{API}/tickets").json()["count"] == 0
    assert _client(people.city).get(f"{API}/tickets/{t.pk}").status_code == 404
    assert _client(people.bank).get(f"{API}/tickets").status_code == 403
    assert Client().get(f"{API}/tickets").status_code == 401
    r = _client(people.city).post(
        f"{API}/tickets",
        {"region_code": "410300", "subject": "s", "detail": "d", "deadline": "2030-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 403
    r = _client(people.province).post(
        f"{API}/tickets",
        {"region_code": "999999", "subject": "s", "detail": "d", "deadline": "2030-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    assert _client(people.ent_user).get(f"{API}/tickets?visits=true").json()["count"] == 0
