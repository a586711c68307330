"""Land support in a real Chromium (四（二）): the county records a zero-new-land project's completion, the
city checks it 合格, and the amount waived appears in the city's sum for the year with the rate's date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.land import services
from jigai.land.models import CaseStatus, LandCase
from jigai.land.tests import factories as lf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "重型装备零增地厂房加层改造项目"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    return pg


def test_county_completes_city_checks_and_the_sum_shows_the_waiver(page: Page, browser: Browser, live_server):
    base = live_server.url
    county = make_user("county", "410305", username="jianxi_land")
    city = make_user("city", "410300", username="luoyang_land")
    lf.rates("410300", "321.45", "118.30", valid_from=dt.date(2024, 1, 1))
    project = lf.zero_project("410305", area="1000.00", name=PROJECT)
    case = services.land_case_register(
        actor=county, project=project, data={"started_on": dt.date.today() - dt.timedelta(days=90)}
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)

    # 1. the county finds the project in its list and records completion with the floor area as built
    _sign_in(page, base, county.username)
    page.goto(f"{base}/land/cases/")
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_test_id("case-status")).to_have_text("已开工")
    form = page.get_by_test_id("move-complete")
    form.get_by_label("日期").fill(dt.date.today().isoformat())
    form.get_by_label("新增建筑面积（平方米）").fill("1234.56")
    form.get_by_role("button", name="登记竣工（报请核验）").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已竣工（待核验）")

    # 2. the city checks it: without the checking unit the form says so; then 合格
    city_page = _new_page(browser)
    city_page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    _sign_in(city_page, base, city.username)
    city_page.goto(f"{base}/land/cases/?status=completed")
    city_page.get_by_role("link", name=PROJECT).click()
    check = city_page.get_by_test_id("move-pass")
    check.get_by_role("button", name="核验合格").click()
    expect(city_page.get_by_test_id("move-pass")).to_contain_text("请填写核验单位")
    check = city_page.get_by_test_id("move-pass")
    check.get_by_label("核验单位").fill("洛阳市自然资源和规划局")
    check.get_by_role("button", name="核验合格").click()
    expect(city_page.get_by_test_id("case-status")).to_have_text("核验合格")
    # 1234.56 × 321.45 = 396,849.312 → 396,849.31; 1234.56 × 118.30 = 146,048.448 → 146,048.45
    expect(city_page.get_by_test_id("waived-total")).to_contain_text("542,897.76 元")
    expect(city_page.get_by_test_id("waiver-frozen")).to_contain_text("2024-01-01")

    # 3. the amount appears in the city's sum for the year
    city_page.goto(f"{base}/land/waivers/")
    row = city_page.get_by_test_id("sum-410300")
    expect(row).to_contain_text("洛阳市")
    expect(row).to_contain_text("542,897.76 元")
    expect(row).to_contain_text("1234.56")

    case.refresh_from_db()
    assert case.status == CaseStatus.PASSED
    assert case.waived_total == Decimal("542897.76")
    assert LandCase.objects.count() == 1
    assert errors == []
