"""A 万元 box in a real Chromium: the yuan figure follows what the user types (jigai/web/static/jigai/wan.js),
bad input gets the Chinese hint at once, and the form stores exact yuan (issue 9)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.registry.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_yuan_figure_follows_the_wan_typed(page: Page, live_server):
    base = live_server.url
    user = make_user("enterprise", username="wan_ent")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{base}/registry/projects/new/")
    box = page.get_by_label("总投资（万元）")
    echo = page.locator(".wan-field", has=box).locator("output.wan-echo")
    box.fill("1,200.5")
    expect(echo).to_have_text("= 12,005,000 元")
    box.fill("0.000001")
    expect(echo).to_have_text("= 0.01 元")
    box.fill("1.1234567")
    expect(echo).to_have_text("请输入以万元为单位的金额，最多 6 位小数")
    box.fill("3000")
    expect(echo).to_have_text("= 30,000,000 元")
    page.get_by_label("项目名称").fill("万元录入项目")
    page.get_by_label("改造类型").select_option("intelligent")
    page.get_by_label("设备投资（万元）").fill("1800")
    page.get_by_label("软件投资（万元）").fill("400")
    page.get_by_label("整机购置投资（万元）").fill("0")
    page.get_by_label("计划开工").fill("2024-03-01")
    page.get_by_label("计划竣工").fill("2025-12-31")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="万元录入项目")).to_be_visible()
    assert Project.objects.get().total_investment == Decimal("30000000")
    assert errors == []
