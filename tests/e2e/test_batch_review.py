"""批量初审 in a real Chromium (issue 9): the county reviewer ticks two applications on the queue, writes one
comment, confirms, and both are passed — each with its own review event — while the third stays waiting."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jigai.accounts.tests.factories import PASSWORD, make_enterprise, make_user
from jigai.funding.models import Application, AppStatus, ReviewEvent
from jigai.funding.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted_three() -> list[Application]:
    province = make_user("province", username="batch_prov")
    g = f.guideline(actor=province)
    apps = []
    for _ in range(3):
        ent = make_enterprise("410102", uscc=f.valid_uscc("410102"))
        user = f.enterprise_user("410102", ent=ent)
        apps.append(f.submitted(user, g))
    return apps


def test_county_reviewer_passes_two_applications_with_one_comment(browser, live_server):
    first, second, third = _submitted_three()
    county = make_user("county", "410102", username="batch_county")
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        pg.goto(f"{live_server.url}/accounts/login/")
        pg.get_by_label("用户名").fill(county.username)
        pg.get_by_label("密码").fill(PASSWORD)
        pg.get_by_role("button", name="登录").click()
        expect(pg.get_by_role("button", name="退出")).to_be_visible()

        pg.goto(f"{live_server.url}/funding/?status=submitted")
        pg.get_by_label(f"选择 {first.tracking_no}").check()
        pg.get_by_label(f"选择 {second.tracking_no}").check()
        expect(pg.locator("[data-batch-count]")).to_have_text("2")
        pg.locator("#batch-form select[name=action]").select_option("approve")
        pg.locator("#batch-form textarea[name=comment]").fill("材料齐全，同意上报市级。")
        pg.once("dialog", lambda dialog: dialog.accept())
        pg.get_by_role("button", name="批量办理所选").click()
        pg.wait_for_load_state()

        results = pg.locator("section.batch-results")
        expect(results).to_contain_text(first.tracking_no)
        expect(results).to_contain_text(second.tracking_no)
        expect(results.locator('tr[data-outcome="done"]')).to_have_count(2)
        expect(pg.locator("body")).to_contain_text("批量办理 2 件：已办理 2 件")
    finally:
        context.close()

    for app in (first, second):
        app.refresh_from_db()
        assert app.status == AppStatus.COUNTY_APPROVED
        event = ReviewEvent.objects.get(application=app, action="approve")
        assert event.comment == "材料齐全，同意上报市级。"
    third.refresh_from_db()
    assert third.status == AppStatus.SUBMITTED
    assert not errors, errors
