"""The province replays two drafts of next year's guideline over this year's submitted applications in a
real Chromium and compares them side by side (issue 13)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.funding.models import ItemGroup, ScenarioRun
from jigai.funding.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.on("dialog", lambda dialog: dialog.accept())
    pg.goto(f"{base}/accounts/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    return context, pg


def test_the_province_runs_two_drafts_and_compares_them(browser, live_server):
    from decimal import Decimal

    province = make_user("province", username="sim_prov")
    this_year = timezone.localdate().year
    current = f.guideline(actor=province)
    for region, equipment in (("410102", "9000000"), ("410305", "29000000"), ("410305", "13000000")):
        user = f.enterprise_user(region)
        f.submitted(
            user,
            current,
            item="3.1.1",
            target=f.project(user.enterprise, equipment=equipment, software="1000000"),
        )
    budgets = {ItemGroup.TRANSFORMATION: Decimal("8000000")}
    from jigai.funding.models import Guideline

    for title, overrides in (("草案甲", {"3.1.1.threshold": "20000000"}), ("草案乙", {"3.1.1.rate": "0.20"})):
        g = f.guideline(
            actor=province,
            year=this_year + 1,
            publish=False,
            items=["3.1.1"],
            overrides=overrides,
            budgets=budgets,
        )
        g.title = title
        g.save(update_fields=["title"])
        assert Guideline.objects.get(pk=g.pk).title == title

    context, pg = _signed_in_page(browser, live_server.url, province.username)
    try:
        for name, draft in (("门槛提高到2000万", "草案甲"), ("比例降到20%", "草案乙")):
            pg.goto(f"{live_server.url}/funding/simulator/")
            pg.get_by_label("方案名称").fill(name)
            pg.get_by_label("指南（草案）").select_option(label=draft)
            pg.get_by_label("上一年度申报的年度").fill(str(this_year))
            pg.get_by_role("button", name="保存方案").click()
            expect(pg.locator("h1")).to_contain_text(name)
            pg.get_by_role("button", name="运行测算").click()
            expect(pg.locator("body")).to_contain_text("测算完成")
            pg.goto(f"{live_server.url}/funding/simulator/")
        assert ScenarioRun.objects.filter(status="done").count() == 2
        pg.goto(f"{live_server.url}/funding/simulator/")
        for box in pg.locator("input[name=runs]").all()[:2]:
            box.check()
        pg.get_by_role("button", name="并排比较").click()
        table = pg.get_by_test_id("compare-table")
        expect(table).to_contain_text("门槛提高到2000万")
        expect(table).to_contain_text("比例降到20%")
        expect(table).to_contain_text("万元")
        # Open the first scenario's result: the case that drops out is listed with its explanation.
        run = ScenarioRun.objects.filter(scenario__name="门槛提高到2000万").get()
        pg.goto(f"{live_server.url}/funding/simulator/{run.scenario_id}/")
        changes = pg.get_by_test_id("changes")
        expect(changes).to_contain_text("不再符合")
        changes.get_by_role("link", name="测算说明").first.click()
        expect(pg.locator("body")).to_contain_text("20,000,000")
    finally:
        context.close()
