"""The second factor in a real Chromium (issue 12): a provincial officer's first sign-in — password, then
the authenticator's enrolment (QR code and secret), the first code, the ten recovery codes shown once — lands
on the workbench; the next sign-in asks for the code after the password, refuses a wrong one, and takes
the right one. The codes are computed as the phone would, from the secret the page shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.accounts.tests.otp import code_for_secret, device_for, next_code

pytestmark = [pytest.mark.browser, pytest.mark.manual_otp, pytest.mark.django_db(transaction=True)]


def password_step(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_province_enrols_enters_the_code_and_lands_on_the_workbench(page: Page, live_server):
    base = live_server.url
    user = make_user(Role.PROVINCE, username="sheng_e2e", full_name="刘测试")
    password_step(page, base, "sheng_e2e")

    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    expect(page.locator("figure.otp-qr svg")).to_be_visible()  # the QR code, inline SVG
    # Anything else brings the account back to the enrolment.
    page.goto(f"{base}/funding/")
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()

    secret = page.locator("[data-otp-secret]").get_attribute("data-otp-secret")
    page.get_by_label("验证码").fill("000000" if code_for_secret(secret) != "000000" else "111111")
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("动态口令错误或已使用过")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp lets the next try come 1 s after a failure (then 2 s, 4 s …)
    page.get_by_label("验证码").fill(code_for_secret(secret))
    page.get_by_role("button", name="完成绑定").click()

    expect(page.get_by_role("heading", name="恢复码")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("button", name="我已保存，继续").click()
    # It had asked for /funding/ before enrolling: that is where it lands.
    expect(page).to_have_url(f"{base}/funding/")
    page.goto(f"{base}/dashboard/")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()

    # Sign out; the next sign-in asks for the code after the password.
    page.get_by_role("button", name="退出").click()
    password_step(page, base, "sheng_e2e")
    expect(page.get_by_role("heading", name="动态口令验证")).to_be_visible()
    page.get_by_label("动态口令").fill("12345x")
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("动态口令错误或已使用过")).to_be_visible()
    page.wait_for_timeout(1100)
    page.get_by_label("动态口令").fill(next_code(device_for(user)))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(f"{base}/dashboard/")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
