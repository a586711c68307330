"""The session is written at most once a minute (the idle stamp throttled, no SESSION_SAVE_EVERY_REQUEST), and
the 等保 limits still hold to the minute: idle 30 minutes, absolute 12 hours; the cookie and the database row
are renewed with each stamp so that an active user's session never expires under them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jigai.accounts import sessions as session_clock
from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
DASHBOARD = "/dashboard/"


@pytest.fixture
def county():
    return make_user(Role.COUNTY, "410102", username="zy_touch")


class Clock:
    """Moves the session clock (sessions.now) to `start + delta`."""

    def __init__(self, monkeypatch) -> None:
        self.monkeypatch, self.start = monkeypatch, timezone.now()

    def at(self, delta: timedelta) -> None:
        later = self.start + delta
        self.monkeypatch.setattr(session_clock, "now", lambda: later)


@pytest.fixture
def clock(monkeypatch):
    c = Clock(monkeypatch)
    c.at(timedelta(0))
    return c


def sign_in(client) -> None:
    response = client.post(LOGIN, {"username": "zy_touch", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response.url == DASHBOARD


def visit(client):
    return client.get(DASHBOARD)


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]


def test_the_settings_save_only_a_changed_session():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert session_clock.touch_interval() == timedelta(seconds=60)
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_requests_within_a_minute_do_not_write_the_session_nor_set_its_cookie(client, county, clock):
    sign_in(client)
    row = Session.objects.get()
    for seconds in (1, 20, 59):
        clock.at(timedelta(seconds=seconds))
        with CaptureQueriesContext(connection) as q:
            response = visit(client)
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies, seconds
        assert session_writes(q) == [], seconds
    assert Session.objects.get().session_data == row.session_data
    assert Session.objects.get().expire_date == row.expire_date


def test_a_minute_later_the_stamp_is_written_and_the_cookie_and_row_renewed(client, county, clock):
    sign_in(client)
    before = Session.objects.get().expire_date
    clock.at(timedelta(seconds=61))
    with CaptureQueriesContext(connection) as q:
        response = visit(client)
    assert response.status_code == 200
    assert len(session_writes(q)) == 1
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE  # the cookie lives 30 minutes from now
    row = Session.objects.get()
    assert row.expire_date >= before
    assert row.expire_date >= timezone.now() + timedelta(minutes=29)
    assert client.session[session_clock.LAST_SEEN] == pytest.approx(
        (clock.start + timedelta(seconds=61)).timestamp()
    )


def test_idle_ends_within_the_minute_before_thirty_minutes_never_after(client, county, clock):
    sign_in(client)  # stamp at 0
    clock.at(timedelta(seconds=59))
    assert visit(client).status_code == 200  # not stamped: the stamp is 59 s old
    clock.at(timedelta(minutes=30))  # 29 min 1 s after the last request, 30 min after the stamp
    response = visit(client)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert "超过30分钟未操作" in client.get(response.url).content.decode()


def test_a_request_a_minute_after_the_stamp_moves_the_idle_limit(client, county, clock):
    sign_in(client)
    clock.at(timedelta(seconds=60))
    assert visit(client).status_code == 200  # stamped at 60 s
    clock.at(timedelta(minutes=30, seconds=59))
    assert visit(client).status_code == 200  # 29 min 59 s after the stamp: still signed in (stamped again)
    clock.at(timedelta(minutes=60, seconds=59))  # 30 minutes after that last request and stamp
    response = visit(client)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_activity_every_fifty_seconds_keeps_the_session_and_the_cookie_alive(client, county, clock):
    sign_in(client)
    cookie_set_at = timedelta(0)
    writes = 0
    for step in range(1, 60):  # 49 minutes of a request every 50 s
        at = timedelta(seconds=50 * step)
        clock.at(at)
        response = visit(client)
        assert response.status_code == 200, at
        if settings.SESSION_COOKIE_NAME in response.cookies:
            cookie_set_at = at
            writes += 1
        # The cookie (max-age 30 min from when it was last set) is never older than two touch intervals.
        assert at - cookie_set_at <= 2 * session_clock.touch_interval(), at
    assert 25 <= writes <= 30  # about once every 100 s, against 59 requests


def test_the_absolute_limit_still_holds_to_the_minute(client, county, clock):
    sign_in(client)
    for minutes in range(20, 12 * 60, 20):
        clock.at(timedelta(minutes=minutes))
        assert visit(client).status_code == 200, minutes
    clock.at(timedelta(hours=12) - timedelta(seconds=30))
    assert visit(client).status_code == 200  # 30 s before the 12 hours: still signed in
    clock.at(timedelta(hours=12))
    response = visit(client)
    assert response.status_code == 302
    assert "登录已超过12小时" in client.get(response.url).content.decode()
