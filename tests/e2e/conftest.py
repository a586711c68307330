"""Sign-in for the browser tests. Every page already answers the second factor's code step by itself (root
conftest.py, jigai/accounts/tests/otp.py); `sign_in` does the whole sign-in explicitly — password, then the
TOTP code computed from the account's device key (django_otp.oath) — for a test that wants to see each
step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from jigai.accounts.otp import requires_second_factor
from jigai.accounts.tests.otp import device_for, next_code


def sign_in_with_code(page: Page, base: str, username: str, password: str) -> None:
    from jigai.accounts.models import User

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    user = User.objects.get(username=username)
    if requires_second_factor(user):
        page.wait_for_url("**/accounts/2fa/**")
        if page.locator("form[data-otp-step]").count():  # the page may have answered by itself
            page.get_by_label("动态口令").fill(next_code(device_for(user)))
            page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


@pytest.fixture
def sign_in() -> Callable[[Page, str, str, str], None]:
    return sign_in_with_code
