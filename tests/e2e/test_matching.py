"""An enterprise sees on its workbench what the open guideline appears to offer it, opens 政策匹配 and
starts the application from a match with one click, in a real Chromium (issue 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jigai.accounts.tests.factories import PASSWORD
from jigai.funding.matching import services as matching
from jigai.funding.models import Application, AppStatus
from jigai.funding.tests import factories as f
from jigai.registry.models import LibraryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_starts_an_application_from_a_match(browser, live_server):
    f.guideline(items=["3.1.1", "3.1.2"])
    user = f.enterprise_user("410305", username="match_ent")
    f.project(
        user.enterprise,
        name="五轴加工中心智能化改造",
        equipment="20000000",
        library_status=LibraryStatus.IN_LIBRARY,
    )
    matching.refresh_enterprise(user.enterprise)

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    try:
        pg.goto(f"{live_server.url}/accounts/login/")
        pg.get_by_label("用户名").fill(user.username)
        pg.get_by_label("密码").fill(PASSWORD)
        pg.get_by_role("button", name="登录").click()
        tile = pg.get_by_role("link", name="看起来符合的事项")
        expect(tile).to_be_visible()
        tile.click()
        eligible = pg.get_by_test_id("eligible")
        expect(eligible).to_contain_text("五轴加工中心智能化改造")
        expect(eligible).to_contain_text("万元")
        row = eligible.locator("tr", has_text="五轴加工中心智能化改造").first
        row.get_by_role("button", name="一键申报").first.click()
        pg.wait_for_url("**/edit/")
        app = Application.objects.get(enterprise=user.enterprise)
        assert app.status == AppStatus.DRAFT and app.item in ("3.1.1", "3.1.2")
        assert app.target.name == "五轴加工中心智能化改造"  # the facts come from the matched project
    finally:
        context.close()
