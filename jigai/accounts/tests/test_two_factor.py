"""The second factor (issue 12): province, finance and the three administrators sign in with a password,
then a TOTP code; the first sign-in enrols an authenticator and shows ten single-use recovery codes once;
wrong codes count towards the lockout; only the security administrator resets it; a session at the code step
reaches nothing else, the API included."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jigai.accounts import otp
from jigai.accounts.models import LoginRecord
from jigai.accounts.roles import SECOND_FACTOR_ROLES, Role
from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.accounts.tests.otp import code_for_secret, next_code
from jigai.audit.selectors import audit_history
from jigai.core.errors import AccessDenied

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
VERIFY = "/accounts/2fa/"
ENROL = "/accounts/2fa/enrol/"
CODES = "/accounts/2fa/codes/"
DASHBOARD = "/dashboard/"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp's own slow-down after a failure (1 s, 2 s, …) would make a right code after a wrong one
    # fail within a test; the lockout under test is axes'.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def password_step(client: Client, username: str, password: str = PASSWORD, **extra):
    extra.setdefault("REMOTE_ADDR", "10.1.2.3")
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="测试", confirmed=True)


@pytest.fixture
def province():
    return make_user(Role.PROVINCE, username="sheng_t")


def test_the_roles_that_need_a_second_factor():
    assert SECOND_FACTOR_ROLES == {
        Role.PROVINCE,
        Role.FINANCE,
        Role.ADMIN,
        Role.SECADMIN,
        Role.AUDITADMIN,
    }


@pytest.mark.parametrize(
    "role", [Role.COUNTY, Role.CITY, Role.ENTERPRISE, Role.EXPERT, Role.BANK, Role.LEADER]
)
def test_other_roles_sign_in_with_the_password_alone(client, role):
    user = make_user(role)
    response = password_step(client, user.username)
    assert response.status_code == 302 and response.url == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_first_sign_in_enrols_then_shows_ten_recovery_codes_once(client, province):
    response = password_step(client, "sheng_t")
    assert response.status_code == 302
    # Nothing but the code step: the workbench sends to the enrolment.
    page = client.get(DASHBOARD)
    assert page.status_code == 302 and page.url.startswith(ENROL)
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "绑定身份验证器" in html
    device = TOTPDevice.objects.get(user=province)
    assert not device.confirmed
    assert otp.secret_text(device) in html
    # Reloading keeps the same secret (what the user scanned stays valid).
    assert otp.secret_text(device) in client.get(ENROL).content.decode()
    assert TOTPDevice.objects.filter(user=province).count() == 1

    wrong = client.post(ENROL, {"token": "000000" if otp.current_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "动态口令错误" in wrong.content.decode()
    secret = page.context["secret"]
    done = client.post(ENROL, {"token": code_for_secret(secret)})
    assert done.status_code == 302 and done.url.startswith(CODES)
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(CODES)
    codes = shown.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    assert all(c in shown.content.decode() for c in codes)
    assert sorted(
        StaticToken.objects.filter(device__user=province).values_list("token", flat=True)
    ) == sorted(codes)
    again = client.get(CODES)  # shown once
    assert again.context["codes"] is None and codes[0] not in again.content.decode()
    assert client.get(DASHBOARD).status_code == 200
    [event] = [e for e in audit_history(obj=province) if e.action == "otp_enrol"]
    assert event.actor == province
    reasons = list(LoginRecord.objects.filter(user=province).values_list("reason", flat=True))
    assert "绑定身份验证器并验证通过" in reasons and "密码正确，待动态口令验证" in reasons


def test_an_enrolled_account_enters_the_code_after_the_password(client, province):
    device = enrolled(province)
    password_step(client, "sheng_t")
    assert client.get(DASHBOARD).url == f"{VERIFY}?next=%2Fdashboard%2F"
    page = client.get(VERIFY)
    assert page.status_code == 200 and "动态口令" in page.content.decode()
    response = client.post(VERIFY, {"token": next_code(device), "next": "/accounts/password/"})
    assert response.status_code == 302 and response.url == "/accounts/password/"
    assert client.get(DASHBOARD).status_code == 200
    assert LoginRecord.objects.filter(user=province, reason="动态口令验证通过").count() == 1


def test_a_code_is_not_accepted_twice(client, province):
    device = enrolled(province)
    code = otp.current_code(device)
    password_step(client, "sheng_t")
    assert client.post(VERIFY, {"token": code}).status_code == 302
    other = Client()
    password_step(other, "sheng_t")
    replay = other.post(VERIFY, {"token": code})
    assert replay.status_code == 200 and "动态口令错误或已使用过" in replay.content.decode()
    assert other.get(DASHBOARD).status_code == 302


def test_wrong_codes_are_logged_and_five_lock_the_account(client, province):
    device = enrolled(province)
    password_step(client, "sheng_t")
    for _ in range(4):
        response = client.post(VERIFY, {"token": "12345x"})
        assert response.status_code == 200 and "动态口令错误" in response.content.decode()
    failed = LoginRecord.objects.filter(username="sheng_t", kind=LoginRecord.Kind.FAILED)
    assert failed.count() == 4 and set(failed.values_list("reason", flat=True)) == {"动态口令错误"}
    # A right password again does not wipe the count of wrong codes.
    other = Client()
    password_step(other, "sheng_t")
    locked = other.post(VERIFY, {"token": "999999" if next_code(device) != "999999" else "888888"})
    assert locked.status_code == 429 and "账号已锁定" in locked.content.decode()
    assert other.get(DASHBOARD).status_code == 302  # signed out
    assert other.get(DASHBOARD).url.startswith(LOGIN)
    # Locked: neither the password nor a right code gets in now.
    third = Client()
    assert password_step(third, "sheng_t").status_code == 429
    assert client.post(VERIFY, {"token": next_code(device)}).status_code == 429
    assert client.get(DASHBOARD).status_code == 302


def test_a_right_code_resets_the_failures(client, province):
    device = enrolled(province)
    password_step(client, "sheng_t")
    for _ in range(3):
        client.post(VERIFY, {"token": "000000x"})
    assert AccessAttempt.objects.filter(username="sheng_t").exists()
    assert client.post(VERIFY, {"token": next_code(device)}).status_code == 302
    assert not AccessAttempt.objects.filter(username="sheng_t").exists()


def test_a_recovery_code_works_once(client, province):
    enrolled(province)
    static = StaticDevice.objects.create(user=province, name="恢复码", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    StaticToken.objects.create(device=static, token="efgh6789")
    password_step(client, "sheng_t")
    response = client.post(VERIFY, {"token": "ABCD 2345"}, follow=True)
    assert response.status_code == 200 and "您使用了一个恢复码" in response.content.decode()
    assert list(StaticToken.objects.filter(device=static).values_list("token", flat=True)) == ["efgh6789"]
    assert [e.after for e in audit_history(obj=province) if e.action == "otp_recovery_used"] == [
        {"remaining": 1}
    ]
    other = Client()
    password_step(other, "sheng_t")
    again = other.post(VERIFY, {"token": "abcd2345"})
    assert again.status_code == 200 and other.get(DASHBOARD).status_code == 302


def test_recovery_codes_can_be_renewed_and_the_old_ones_stop(client, province):
    enrolled(province)
    static = StaticDevice.objects.create(user=province, name="恢复码", confirmed=True)
    StaticToken.objects.create(device=static, token="oldcode22")
    client.force_login(province)
    response = client.post(reverse("accounts:otp_codes_renew"), follow=True)
    codes = response.context["codes"]
    assert len(codes) == 10 and "oldcode22" not in codes
    assert not StaticToken.objects.filter(token="oldcode22").exists()


def test_a_session_at_the_code_step_reaches_nothing_else(client, province):
    enrolled(province)
    client.force_login(province, verified=False)
    for url in [DASHBOARD, "/accounts/password/", "/funding/", "/registry/projects/", CODES, "/calculator"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(VERIFY), url
    api = client.get("/api/v1/registry/projects")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    posted = client.post("/api/v1/policy/evaluate", {}, content_type="application/json")
    assert posted.status_code == 403
    assert client.get(VERIFY).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302  # signing out stays possible


def test_the_api_refuses_an_unverified_session_without_the_middleware(rf, province):
    """The API's own auth holds even where the middleware is not in front (defence in depth)."""
    from django_otp.middleware import is_verified

    from jigai.api.auth import SecondFactorRequired, session_auth

    province.otp_device = None
    province.is_verified = lambda: is_verified(province)
    request = rf.get("/api/v1/registry/projects")
    request.user = province
    request._ninja_csrf_exempt = True
    with pytest.raises(SecondFactorRequired):
        session_auth(request)


def test_the_security_admin_alone_resets_a_second_factor(client, province):
    device = enrolled(province)
    StaticDevice.objects.create(user=province, name="恢复码", confirmed=True)
    victim = Client()
    victim.force_login(province)
    assert victim.get(DASHBOARD).status_code == 200
    url = reverse("accounts:user_otp_reset", args=[province.pk])
    for role in [r for r in Role if r != Role.SECADMIN]:
        actor = make_user(role)
        with pytest.raises(AccessDenied):
            otp.reset(actor=actor, user=province)
        client.force_login(actor)
        assert client.post(url).status_code == 403, role
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    security = make_user(Role.SECADMIN, username="anquan_t")
    client.force_login(security)
    page = client.get(reverse("accounts:security_accounts"), {"q": "sheng_t"})
    assert url in page.content.decode()
    done = client.post(url, follow=True)
    assert "已重置 sheng_t 的身份验证器" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=province).exists()
    assert not StaticDevice.objects.filter(user=province).exists()
    [event] = [e for e in audit_history(obj=province) if e.action == "otp_reset"]
    assert event.actor == security
    # The session verified by the old device is sent back to enrol.
    response = victim.get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(ENROL)


def test_the_security_overview_shows_the_policy(client):
    make_user(Role.FINANCE)
    enrolled(make_user(Role.PROVINCE))
    client.force_login(make_user(Role.SECADMIN))
    response = client.get(reverse("accounts:security_overview"))
    html = response.content.decode()
    assert response.status_code == 200 and "连续 5 次密码或动态口令错误" in html
    # the three made here are all second-factor accounts (the overview's own viewer included)
    assert response.context["policy"]["privileged_total"] == 3
    assert response.context["policy"]["privileged_enrolled"] == 2  # force_login gave the viewer a device


def test_otp_code_prints_the_code_of_demo_accounts_only(capsys, province):
    from io import StringIO

    demo_user = make_user(Role.FINANCE, username="caizheng_t")
    device = otp.enrol_demo(demo_user)
    out = StringIO()
    call_command("otp-code", "caizheng_t", stdout=out)
    assert out.getvalue().strip() == otp.current_code(device)
    assert otp.secret_text(device).replace(" ", "") == otp.DEMO_TOTP_SECRET
    enrolled(province)
    for username in ("sheng_t", "nobody"):
        with pytest.raises(CommandError, match="只能显示演示账号"):
            call_command("otp-code", username)
