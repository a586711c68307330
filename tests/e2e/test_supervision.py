"""Supervision in a real Chromium (四（三）): the province opens a ticket to 洛阳市 by hand, the city's
department replies, the province closes it with a conclusion; the city's workbench tile counts it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.supervision.models import Ticket, TicketStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "技术改造投资增速低于序时进度"


def _as(browser: Browser, base: str, user, errors: list[str]) -> Page:
    """A browser context signed in with a session cookie (as tests/e2e/test_monitoring_loop.py does: the
    province's second factor is not what this journey tests)."""
    page = _new_page(browser, errors)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return page


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def _new_page(browser: Browser, errors: list[str]) -> Page:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    return pg


def test_province_opens_city_replies_province_closes(browser: Browser, live_server):
    base = live_server.url
    province = make_user("province", username="sheng_dubian")
    city = make_user("city", "410300", username="luoyang_dubian")
    errors: list[str] = []

    # 1. the province opens a ticket to 洛阳市 from the list page
    page = _as(browser, base, province, errors)
    page.goto(f"{base}/supervision/")
    page.get_by_test_id("open-ticket").click()
    page.get_by_label("承办单位").select_option(label="洛阳市")
    page.get_by_label("督办事项").fill(SUBJECT)
    page.get_by_label("存在问题或差距").fill(
        "本年技术改造投资累计增速低于全省目标的序时进度，请报送整改措施。"
    )
    page.get_by_label("办理时限").fill((dt.date.today() + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="发出督办").click()
    expect(page.get_by_role("heading", name=SUBJECT)).to_be_visible()
    expect(page.get_by_test_id("ticket-status")).to_contain_text("待答复")

    # 2. the city sees it on its workbench tile and in its list, and replies
    city_page = _new_page(browser, errors)
    _sign_in(city_page, base, city.username)  # the city's department signs in with its password
    city_page.goto(f"{base}/dashboard/")
    expect(city_page.get_by_role("link", name="待办督办")).to_be_visible()
    city_page.goto(f"{base}/supervision/?status=live")
    city_page.get_by_role("link", name=SUBJECT).click()
    reply = city_page.get_by_test_id("reply-form")
    reply.get_by_label("答复内容").fill("已召开专题会，制定了 12 个重点项目的推进计划，11 月底前投产。")
    reply.get_by_role("button", name="提交答复").click()
    expect(city_page.get_by_test_id("ticket-status")).to_contain_text("已答复")
    expect(city_page.get_by_role("article").get_by_text("已召开专题会")).to_be_visible()

    # 3. the province closes it: without a conclusion the browser asks for one; with it, closed
    page.reload()
    close = page.get_by_test_id("move-close")
    close.get_by_label("办结意见").fill("整改措施具体可行，予以办结。")
    close.get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("ticket-status")).to_contain_text("已办结")
    expect(page.get_by_test_id("conclusion")).to_contain_text("予以办结")

    # 4. the city sees the conclusion
    city_page.reload()
    expect(city_page.get_by_test_id("conclusion")).to_contain_text("予以办结")
    ticket = Ticket.objects.get(subject=SUBJECT)
    assert ticket.status == TicketStatus.CLOSED and ticket.region_id == "410300"
    assert [e.action for e in ticket.events.all()] == ["open", "reply", "close"]
    assert not errors, errors
