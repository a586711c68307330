"""Sign-in in a real Chromium: an account opened by the administrator signs in, is made to change the
initial password, reaches the workbench, and an account is locked after five wrong passwords."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Zhengzhou#2025new"


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_first_sign_in_changes_the_initial_password(page: Page, live_server):
    make_user(Role.COUNTY, "410102", username="zy_reviewer", full_name="王审核", must_change_password=True)
    sign_in(page, live_server.url, "zy_reviewer", PASSWORD)

    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_text("您的密码由管理员设置")).to_be_visible()
    # Anything else brings the user back here until the password is changed.
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()

    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label(re.compile("^新密码")).fill("abcdefghijkl")
    page.get_by_label("再次输入新密码").fill("abcdefghijkl")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator(".field-error")).to_contain_text(
        "密码须至少包含大写字母、小写字母、数字、符号中的三种。"
    )

    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label(re.compile("^新密码")).fill(NEW)
    page.get_by_label("再次输入新密码").fill(NEW)
    page.get_by_role("button", name="修改密码").click()

    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    expect(page.get_by_text("密码已修改")).to_be_visible()
    expect(page.get_by_text("王审核 · 县级工信部门").first).to_be_visible()

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录技改通")).to_be_visible()
    sign_in(page, live_server.url, "zy_reviewer", NEW)
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()


def test_five_wrong_passwords_lock_the_account(page: Page, live_server):
    make_user(Role.EXPERT, username="expert01")
    for _ in range(4):
        sign_in(page, live_server.url, "expert01", "wrong-password")
        expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    sign_in(page, live_server.url, "expert01", "wrong-password")
    expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()
    sign_in(page, live_server.url, "expert01", PASSWORD)
    expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()
    expect(page.get_by_text("30 分钟")).to_be_visible()


def test_administrator_opens_an_account(page: Page, live_server):
    make_user(Role.ADMIN, username="sysadmin")
    make_user(Role.CITY, "410300")  # makes sure 洛阳市 is in the region list
    sign_in(page, live_server.url, "sysadmin", PASSWORD)
    page.get_by_role("complementary", name="功能菜单").get_by_role("link", name="用户管理").click()
    page.get_by_role("button", name="新建用户").click()
    page.get_by_label("用户名").fill("ly_city")
    page.get_by_label("姓名").fill("刘洛阳")
    page.get_by_label("角色").select_option("city")
    page.get_by_label("所属区划").select_option("410302")  # a district: wrong for a city user
    page.get_by_label("初始密码").fill(NEW)
    page.get_by_label("再次输入密码").fill(NEW)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("市级工信部门用户的所属区划必须是省辖市（或济源示范区）。")).to_be_visible()

    page.get_by_label("所属区划").select_option("410300")
    page.get_by_label("初始密码").fill(NEW)
    page.get_by_label("再次输入密码").fill(NEW)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已创建用户 刘洛阳（ly_city）")).to_be_visible()
    expect(page.get_by_role("cell", name="ly_city")).to_be_visible()
