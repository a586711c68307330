"""The province's steering loop in a real Chromium (issue 10): the province sets a target and issues it,
the city signs its target responsibility letter, a county enters a month, the dashboard shows the city
amber against its path, and a city red two months running has a supervision ticket (四（三）).

The data month is November of last year (its entry window open today), so the path is target × 11 / 12
whatever the date the test runs. The months before it are data: 涧西区 at 90 % of the path (洛阳 amber),
中原区 at 10 % (郑州 red every month, so red two months running)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.monitoring.models import EntryWindow, Indicator, MonthlyValue, TargetLetter
from jigai.monitoring.models.warnings import WarningStatus
from jigai.supervision.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "sme_cloud"  # 中小企业上云（家）: county-reported, a sum, an annual target
MONTH = 11


def _as(browser: Browser, base: str, user, errors: list[str], *, via_form: bool = False) -> Page:
    """A browser context signed in as `user` (as tests/e2e/test_funding_journey.py does): through the
    sign-in form, or with a session cookie (the province's second factor is not what this journey tests)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # irreversible steps ask first (data-confirm)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    if via_form:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出")).to_be_visible()
        return page
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return page


def _settle(page: Page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(400)  # the sum's trigger waits 300 ms after the last keystroke


def _data(year: int) -> None:
    today = timezone.localdate()
    EntryWindow.objects.create(
        year=year, month=MONTH, opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=10)
    )
    indicator = Indicator.objects.get(code=CODE)
    rows = []
    for m in range(1, MONTH + 1):
        if m < MONTH:  # 涧西区 enters November in the browser
            rows.append(
                MonthlyValue(indicator=indicator, region_id="410305", year=year, month=m, value=90 * m)
            )
        rows.append(MonthlyValue(indicator=indicator, region_id="410102", year=year, month=m, value=10 * m))
    MonthlyValue.objects.bulk_create(rows)


def test_target_letter_entry_dashboard_and_ticket(browser: Browser, live_server):
    base = live_server.url
    year = timezone.localdate().year - 1
    province = make_user("province", username="sheng_e2e")
    city_user = make_user("city", "410300", username="luoyang_e2e")
    county_user = make_user("county", "410305", username="jianxi_e2e")
    _data(year)
    errors: list[str] = []

    # 1. the province sets the year's target of 中小企业上云 for the province, 洛阳 and 郑州, and issues it
    page = _as(browser, base, province, errors)
    page.goto(f"{base}/monitoring/targets/?year={year}&indicator={CODE}")
    page.locator("#parent_value").fill("2400")
    page.locator("#value_410300").fill("1200")
    page.locator("#value_410100").fill("1200")
    _settle(page)  # the live sum (htmx) answers before the form is sent
    page.locator("#save-targets").click()
    expect(page.locator(".flash-success")).to_contain_text("目标已保存")
    page.locator("#publish-targets").click()
    expect(page.locator(".flash-success")).to_contain_text("目标责任书")
    letter = TargetLetter.objects.get(year=year, region_id="410300")
    # issuing refreshed the rollups: 郑州 is red two months running and has its ticket already
    ticket = Ticket.objects.get(region_id="410100")
    assert "连续" in ticket.subject and ticket.key == f"warning:{year}:{CODE}:410100"

    # 2. the city signs its letter
    city = _as(browser, base, city_user, errors)
    city.goto(f"{base}/monitoring/letters/{letter.pk}/")
    city.get_by_label("签订日期").fill(f"{timezone.localdate():%Y-%m-%d}")
    city.get_by_label("签订人").fill("洛阳市工信局 王局长；省工信厅 李处长")
    city.locator("#letter-confirm input[type=file]").set_input_files(
        {
            "name": "目标责任书.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4\n% signed letter\n%%EOF\n",
        }
    )
    city.locator("#confirm-letter").click()
    expect(city.locator("#letter-status")).to_have_text("已签订")

    # 3. the county enters November (year-to-date 990 against a path of 1,100: 90 %)
    county = _as(browser, base, county_user, errors, via_form=True)
    county.goto(f"{base}/monitoring/entry/?year={year}&month={MONTH}")
    county.locator(f"#value_{CODE}").fill("990")
    county.locator(f"#note_{CODE}").fill("按计划推进")
    county.locator("#save-entry").click()
    expect(county.locator(".flash-success")).to_contain_text("已保存")
    assert MonthlyValue.objects.get(region_id="410305", year=year, month=MONTH).value == Decimal("990")

    # 4. the province's dashboard shows 洛阳 amber (and 郑州 red), the chart and the map drawn
    page.goto(f"{base}/monitoring/dash/?year={year}&month={MONTH}&indicator={CODE}")
    luoyang = page.locator('#table-ranking tr[data-region="410300"]')
    expect(luoyang.locator("[data-level]")).to_have_attribute("data-level", "amber")
    expect(luoyang).to_contain_text("82.5")  # 990 of 1,200
    expect(page.locator('#table-ranking tr[data-region="410100"] [data-level]')).to_have_attribute(
        "data-level", "red"
    )
    expect(page.locator('[data-chart="ranking"]')).to_have_attribute("data-drawn", "ranking")
    expect(page.locator('[data-chart="map"]')).to_have_attribute("data-drawn", re.compile("geo|tiles"))
    # without the boundary package the same map is drawn as a tile grid of the 18 cities
    page.route("**/monitoring/dash/map/henan.json", lambda route: route.fulfill(status=404, body="{}"))
    page.reload()
    expect(page.locator('[data-chart="map"]')).to_have_attribute("data-drawn", "tiles")
    page.unroute("**/monitoring/dash/map/henan.json")
    luoyang = page.locator('#table-ranking tr[data-region="410300"]')
    # drill down: 洛阳 → its counties → 涧西区's projects
    luoyang.get_by_role("link", name="洛阳市").click()
    expect(page.locator("#dash-title")).to_contain_text("洛阳市")
    page.locator('#table-ranking tr[data-region="410305"]').get_by_role("link").click()
    expect(page.locator("#dash-title")).to_contain_text("涧西区")
    expect(page.locator("#dash-projects")).to_have_attribute("href", "/registry/projects/?region=410305")
    assert WarningStatus.objects.get(region_id="410300", year=year, month=MONTH).level == "amber"

    # 5. the warning list has 郑州 red with its ticket, which opens
    page.goto(f"{base}/monitoring/warnings/?year={year}&month={MONTH}")
    row = page.locator(f'#table-behind tr[data-region="410100"][data-indicator="{CODE}"]')
    expect(row.locator("[data-level]")).to_have_attribute("data-level", "red")
    row.get_by_role("link", name="已督办").click()
    expect(page.locator("body")).to_contain_text(ticket.subject)
    assert Ticket.objects.filter(region_id="410100").count() == 1  # the county's entry opened no second one
    assert errors == []
