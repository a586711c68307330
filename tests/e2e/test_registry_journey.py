"""The project library in a real Chromium: an enterprise registers, the county confirms it, the enterprise
signs in and enters a project, county and city check it, and the enterprise reports a month of progress."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page, expect

from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_user
from jigai.registry.models import Enterprise, ProgressReport, Project
from jigai.registry.uscc import check_character

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USCC_BODY = "A1410100MA9KJG01T"  # a letter-first code (GB 32100-2015 allows A, N, Y first)
ENTERPRISE = "郑州精工智能装备有限公司"
PROJECT = "精密数控加工车间智能化改造"


def _watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    return errors


def _sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    return pg


def test_register_confirm_enter_check_and_report(page: Page, browser: Browser, live_server):
    base = live_server.url
    ensure_region("410102")
    county = make_user("county", "410102", username="zhongyuan_county")
    city = make_user("city", "410100", username="zhengzhou_city")
    uscc = USCC_BODY + check_character(USCC_BODY)
    errors = _watch_errors(page)

    # 1. the enterprise registers itself from the sign-in page
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="企业注册").click()
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.get_by_label("企业名称").fill(ENTERPRISE)
    page.get_by_label("所在县（市、区）").select_option("410102")
    page.get_by_label("行业门类").select_option("C")
    page.get_by_label("行业大类（制造业）").select_option("34")
    page.get_by_label("联系人").fill("赵敏")
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("登录用户名").fill("jinggong")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD + "typo")
    page.get_by_role("button", name="提交注册").click()
    expect(page.locator(".errorlist")).to_contain_text("两次输入的密码不一致")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="提交注册").click()
    expect(page.get_by_role("heading", name="注册已提交")).to_be_visible()
    assert Enterprise.objects.get(uscc=uscc).status == "pending"

    # before confirmation the account cannot sign in
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("jinggong")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_have_count(0)

    # 2. the county confirms it from its work queue
    county_page = _new_page(browser)
    _sign_in(county_page, base, county.username)
    county_page.goto(f"{base}/registry/enterprises/pending/")
    row = county_page.get_by_role("row").filter(has_text=ENTERPRISE)
    row.get_by_role("button", name="确认").click()
    expect(county_page.locator(".flash-success")).to_contain_text("已确认企业")
    expect(county_page.get_by_role("row").filter(has_text=ENTERPRISE)).to_have_count(0)

    # 3. the enterprise signs in and enters a project
    _sign_in(page, base, "jinggong")
    page.goto(f"{base}/registry/")
    expect(page.get_by_role("heading", name=ENTERPRISE)).to_be_visible()
    page.get_by_role("button", name="新建项目").click()
    page.get_by_label("项目名称").fill(PROJECT)
    page.get_by_label("改造类型").select_option("intelligent")
    page.get_by_label("总投资（万元）").fill("3,000")
    page.get_by_label("设备投资（万元）").fill("1800")
    page.get_by_label("软件投资（万元）").fill("400")
    page.get_by_label("计划开工").fill("2024-03-01")
    page.get_by_label("计划竣工").fill("2025-12-31")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=PROJECT)).to_be_visible()
    expect(page.locator("#library-status")).to_have_text("草稿")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#library-status")).to_have_text("已提交（待县级审核）")

    # 4. the county checks it
    county_page.goto(f"{base}/registry/projects/queue/")
    county_page.get_by_role("link", name=PROJECT).click()
    county_page.get_by_label("审核意见").fill("材料齐全，同意")
    county_page.get_by_role("button", name="县级审核通过").click()
    expect(county_page.locator(".flash-success")).to_contain_text(PROJECT)

    # 5. the city checks it: it is in the library
    city_page = _new_page(browser)
    _sign_in(city_page, base, city.username)
    city_page.goto(f"{base}/registry/projects/queue/")
    city_page.get_by_role("link", name=PROJECT).click()
    city_page.get_by_role("button", name="市级审核通过（入库）").click()
    project = Project.objects.get(name=PROJECT)
    assert project.library_status == "in_library"

    # the city's library list filters in place (htmx) as the reviewer types
    city_page.goto(f"{base}/registry/projects/")
    city_page.evaluate("window.__samePage = true")
    city_page.get_by_label("搜索").fill("不存在的项目")
    expect(city_page.get_by_role("cell", name="没有符合条件的项目。")).to_be_visible()
    city_page.get_by_label("搜索").fill("精密数控")
    expect(city_page.get_by_role("link", name=PROJECT)).to_be_visible()
    assert city_page.evaluate("window.__samePage") is True

    # 6. the enterprise reports last month's progress
    page.goto(f"{base}/registry/projects/{project.pk}/")
    expect(page.locator("#library-status")).to_have_text("已入库")
    page.get_by_role("button", name="填报月度进度").click()
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    page.get_by_label("月份").fill(last_month.strftime("%Y-%m"))
    page.get_by_label("本月完成投资（万元）").fill("250")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".flash-success")).to_contain_text("进度已填报")
    expect(page.get_by_role("row").filter(has_text=last_month.strftime("%Y年%m月"))).to_contain_text(
        "250 万元"
    )
    assert ProgressReport.objects.get(project=project).month == last_month
    assert errors == []
