"""Sign-in security (等保三级): login log, lockout, session timeouts, sessions ended by disable or
password change, the password policy on sign-in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jigai.accounts import sessions as session_clock
from jigai.accounts.models import LoginRecord
from jigai.accounts.roles import Role
from jigai.accounts.services import user_disable, user_set_password
from jigai.accounts.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
DASHBOARD = "/dashboard/"
NEW_PASSWORD = "Zhengzhou#2025new"


def login(client, username, password=PASSWORD, **extra):
    extra.setdefault("REMOTE_ADDR", "10.1.2.3")
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


@pytest.fixture
def county():
    return make_user(Role.COUNTY, "410102", username="zy_reviewer")


@pytest.fixture
def admin():
    return make_user(Role.ADMIN, username="sysadmin")


# ----------------------------------------------------------------------------- login and the login log


def test_login_page_is_chinese(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录技改通" in html and "用户名" in html and "密码" in html


def test_login_success_goes_to_workbench_and_is_logged(client, county):
    response = login(client, "zy_reviewer", HTTP_USER_AGENT="Chromium/130")
    assert response.status_code == 302 and response.url == DASHBOARD
    assert signed_in(client)
    record = LoginRecord.objects.get()
    assert (record.user, record.username, record.kind, record.success) == (
        county,
        "zy_reviewer",
        "login",
        True,
    )
    assert record.ip == "10.1.2.3"
    assert record.user_agent == "Chromium/130"


def test_login_failure_shows_chinese_message_and_is_logged(client, county):
    response = login(client, "zy_reviewer", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert not signed_in(client)
    record = LoginRecord.objects.get()
    assert (record.user, record.kind, record.success, record.reason) == (county, "failed", False, "密码错误")


def test_failure_for_unknown_user_is_logged_without_a_user(client):
    login(client, "nobody", "whatever-password")
    record = LoginRecord.objects.get()
    assert (record.user, record.username, record.reason) == (None, "nobody", "用户名不存在")


def test_logout_is_logged_and_needs_post(client, county):
    login(client, "zy_reviewer")
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not signed_in(client)
    assert list(LoginRecord.objects.order_by("id").values_list("kind", flat=True)) == ["login", "logout"]


def test_inactive_user_cannot_log_in(client, county):
    county.is_active = False
    county.save()
    response = login(client, "zy_reviewer")
    assert response.status_code == 200
    assert not signed_in(client)
    assert LoginRecord.objects.get().reason == "账号已停用"


# ----------------------------------------------------------------------------- lockout


def test_five_failures_lock_the_account_for_thirty_minutes(client, county):
    for _ in range(4):
        assert login(client, "zy_reviewer", "wrong-password").status_code == 200
    fifth = login(client, "zy_reviewer", "wrong-password")
    assert fifth.status_code == 429
    assert "账号已锁定" in fifth.content.decode()

    # The 6th attempt, with the right password, is refused.
    sixth = login(client, "zy_reviewer")
    assert sixth.status_code == 429
    assert "30 分钟" in sixth.content.decode()
    assert not signed_in(client)
    # Another browser does not help: the lock is on the account.
    other = Client()
    assert login(other, "zy_reviewer", REMOTE_ADDR="10.9.9.9").status_code == 429

    kinds = list(LoginRecord.objects.order_by("id").values_list("kind", "reason"))
    assert kinds[:4] == [("failed", "密码错误")] * 4
    assert kinds[4] == ("locked", "连续登录失败达到上限，账号锁定")
    assert kinds[5:] == [("locked", "锁定期间尝试登录")] * 2

    # 29 minutes later still locked…
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert login(client, "zy_reviewer").status_code == 429
    # …after 30 minutes the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    response = login(client, "zy_reviewer")
    assert response.status_code == 302
    assert signed_in(client)


def test_success_before_the_limit_resets_the_count(client, county):
    for _ in range(4):
        login(client, "zy_reviewer", "wrong-password")
    assert login(client, "zy_reviewer").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert login(client, "zy_reviewer", "wrong-password").status_code == 200
    assert login(client, "zy_reviewer").status_code == 302


def test_lockout_of_one_account_does_not_lock_another(client, county):
    make_user(Role.COUNTY, "410103", username="eq_reviewer")
    for _ in range(5):
        login(client, "zy_reviewer", "wrong-password")
    assert login(client, "eq_reviewer").status_code == 302


# ----------------------------------------------------------------------------- session timeouts


def move_clock(monkeypatch, delta):
    later = timezone.now() + delta
    monkeypatch.setattr(session_clock, "now", lambda: later)


def test_idle_timeout_after_thirty_minutes(client, county, monkeypatch):
    login(client, "zy_reviewer")
    move_clock(monkeypatch, timedelta(minutes=29))
    assert signed_in(client)
    move_clock(monkeypatch, timedelta(minutes=29 + 30))
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    follow = client.get(response.url)
    assert "超过30分钟未操作" in follow.content.decode()
    assert not signed_in(client)
    assert LoginRecord.objects.filter(kind="timeout", reason__contains="30分钟").count() == 1


def test_activity_keeps_the_session_alive_until_twelve_hours(client, county, monkeypatch):
    login(client, "zy_reviewer")
    for minutes in range(25, 12 * 60, 25):  # a request every 25 minutes
        move_clock(monkeypatch, timedelta(minutes=minutes))
        assert signed_in(client), minutes
    move_clock(monkeypatch, timedelta(hours=12))
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "登录已超过12小时" in client.get(response.url).content.decode()
    assert not signed_in(client)


def test_database_session_expires_when_idle(client, county):
    # The session store itself forgets an idle session (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
    login(client, "zy_reviewer")
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timedelta(minutes=30)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not signed_in(client)


def test_api_request_after_timeout_is_anonymous_not_redirected(client, county, monkeypatch):
    login(client, "zy_reviewer")
    move_clock(monkeypatch, timedelta(minutes=31))
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


# ----------------------------------------------------------------------------- sessions ended


def test_disabling_an_account_ends_its_sessions(client, county, admin):
    login(client, "zy_reviewer")
    second = Client()
    login(second, "zy_reviewer")
    assert signed_in(client) and signed_in(second)
    user_disable(actor=admin, user=county)
    assert not signed_in(client)
    assert not signed_in(second)


def test_password_change_keeps_this_session_and_ends_the_others(client, county):
    login(client, "zy_reviewer")
    other = Client()
    login(other, "zy_reviewer")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == DASHBOARD
    assert signed_in(client)
    assert not signed_in(other)
    county.refresh_from_db()
    assert county.check_password(NEW_PASSWORD)
    assert county.password_changed_at > timezone.now() - timedelta(minutes=1)


def test_admin_reset_ends_the_users_sessions(client, county, admin):
    login(client, "zy_reviewer")
    user_set_password(actor=admin, user=county, password=NEW_PASSWORD)
    assert not signed_in(client)


def test_password_change_page_refuses_weak_or_wrong_input(client, county):
    login(client, "zy_reviewer")
    url = reverse("accounts:password_change")
    wrong_old = client.post(
        url, {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "当前密码不正确" in wrong_old.content.decode()
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"}
    )
    assert "三种" in weak.content.decode()
    mismatch = client.post(
        url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "x" + NEW_PASSWORD}
    )
    assert "两次输入的新密码不一致" in mismatch.content.decode()
    same = client.post(url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "新密码不能与当前密码相同" in same.content.decode()
    county.refresh_from_db()
    assert county.check_password(PASSWORD)


# ----------------------------------------------------------------------------- password age


def test_password_set_by_admin_must_be_changed_first(client, county):
    county.must_change_password = True
    county.save()
    login(client, "zy_reviewer")
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    page = client.get(response.url).content.decode()
    assert "您的密码由管理员设置" in page
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    county.refresh_from_db()
    assert county.must_change_password is False
    assert client.get(DASHBOARD).status_code == 200


def test_password_older_than_ninety_days_must_be_changed(client, county):
    county.password_changed_at = timezone.now() - timedelta(days=91)
    county.save()
    login(client, "zy_reviewer")
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    assert "超过 90 天" in client.get(response.url).content.decode()


def test_password_of_eighty_nine_days_is_fine_with_a_reminder(client, county):
    county.password_changed_at = timezone.now() - timedelta(days=89)
    county.save()
    login(client, "zy_reviewer")
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "您的密码将在 0 天后过期" in response.content.decode() or "天后过期" in response.content.decode()


def test_logout_stays_reachable_when_password_must_change(client, county):
    county.must_change_password = True
    county.save()
    login(client, "zy_reviewer")
    client.post(reverse("accounts:logout"))
    assert SESSION_KEY not in client.session
