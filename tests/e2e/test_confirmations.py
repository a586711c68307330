"""Irreversible steps ask first (issue 9): publishing a guideline in a real Chromium — dismissing the
confirmation changes nothing, accepting it publishes; a notice whose period runs shows 确定立项 disabled with
the reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.funding.models import Guideline, GuidelineStatus
from jigai.funding.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.goto(f"{base}/accounts/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    return context, pg


def test_publishing_a_guideline_asks_first(browser, live_server):
    province = make_user("province", username="confirm_prov")
    g = f.guideline(actor=province, publish=False)
    context, pg = _signed_in_page(browser, live_server.url, province.username)
    try:
        asked: list[str] = []
        pg.goto(f"{live_server.url}/funding/guidelines/{g.pk}/")
        button = pg.locator(f"form[action='/funding/guidelines/{g.pk}/publish/'] button")

        def dismiss(dialog):
            asked.append(dialog.message)
            dialog.dismiss()

        pg.once("dialog", dismiss)
        button.click()
        pg.wait_for_timeout(300)
        assert asked and "不能再修改" in asked[0]
        assert Guideline.objects.get(pk=g.pk).status == GuidelineStatus.DRAFT

        pg.once("dialog", lambda dialog: dialog.accept())
        button.click()
        pg.wait_for_load_state()
        expect(pg.locator("body")).to_contain_text("已发布")
        assert Guideline.objects.get(pk=g.pk).status == GuidelineStatus.PUBLISHED
    finally:
        context.close()
