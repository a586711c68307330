"""The public calculator page in a real Chromium: filling two items (one with repeatable insurance rows),
reading the answer updated in place by htmx, and the same journey with JavaScript turned off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _watch_errors(page: Page) -> list[str]:
    """Script errors, console errors (a CSP refusal is one) and failed requests of our own pages."""
    errors: list[str] = []

    def on_console(msg):
        # a failed load is reported below with its address; the browser's own favicon probe is not ours
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", on_response)
    return errors


def _field(page: Page, name: str):
    return page.locator(f'[name="{name}"]')


def test_two_items_in_place_with_htmx(page: Page, live_server):
    errors = _watch_errors(page)
    page.goto(f"{live_server.url}/calculator")
    expect(page.get_by_role("heading", name="政策计算器")).to_be_visible()
    page.evaluate("window.__samePage = true")  # survives only if htmx swaps in place

    # 三（一）1, the facts of worked example E01
    expect(page.get_by_label("申报事项")).to_have_value("3.1.1")  # the default item
    _field(page, "as_of").fill("2022-06-30")
    page.get_by_label("项目类型").select_option("intelligent")
    page.get_by_label("设备实际投资（万元）").fill("900")  # the calculator takes 万元
    page.get_by_label("软件实际投资（万元）").fill("300")
    page.get_by_role("button", name="计算补助上限").click()

    result = page.locator("#calc-result")
    expect(result).to_contain_text("符合支持条件")
    expect(result.locator(".calc-amount")).to_have_text(re.compile(r"360 万元\s*（3,600,000 元）"))
    expect(result.locator(".calc-explanation")).to_contain_text("三（一）1")
    expect(result.locator(".calc-explanation")).to_contain_text("12,000,000 元")
    assert page.evaluate("window.__samePage") is True

    # switching the item re-renders the facts in place, the application date stays
    page.get_by_label("申报事项").select_option("3.2.1-insurance")
    expect(page.get_by_label("保险金额（万元）")).to_be_visible()
    expect(page.get_by_label("设备实际投资（万元）")).to_have_count(0)
    expect(_field(page, "as_of")).to_have_value("2022-06-30")
    _field(page, "as_of").fill("2022-10-01")

    # 三（二）1 insurance, worked example E07: three periods, the third cut by the 36-month term
    page.get_by_label("经省认定").check()
    page.get_by_label("保险金额（万元）").fill("2000")
    periods = [("2022-01-01", "12", "700000"), ("2023-01-01", "12", "500000"), ("2024-01-01", "24", "900000")]
    for i, (start, months, premium) in enumerate(periods):
        if i > 0:
            page.get_by_role("button", name="＋ 添加保险期间（按时间顺序）").click()
            expect(_field(page, f"facts.periods[{i}].start")).to_be_visible()
        _field(page, f"facts.periods[{i}].start").fill(start)
        _field(page, f"facts.periods[{i}].months").fill(months)
        _field(page, f"facts.periods[{i}].premium").fill(premium)
    page.get_by_role("button", name="计算补助上限").click()

    expect(result.locator(".calc-amount")).to_have_text(re.compile(r"124 万元\s*（1,240,000 元）"))
    expect(result).to_contain_text("符合支持条件")
    expect(result.locator(".calc-limits")).to_contain_text("保费补贴期限上限")
    expect(result.locator(".calc-explanation")).to_contain_text("三（二）1")
    assert page.evaluate("window.__samePage") is True

    # a malformed amount: a Chinese message beside the input, no result
    page.get_by_label("保险金额（万元）").fill("两千万")
    page.get_by_role("button", name="计算补助上限").click()
    expect(page.locator("#f-facts-insured_amount-error")).to_contain_text("请输入以万元为单位的金额")
    expect(result.locator(".calc-outcome")).to_have_count(0)
    assert errors == []


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/calculator")
        page.get_by_label("申报事项").select_option("3.2.2-insurance")
        page.get_by_role("button", name="选择", exact=True).click()
        expect(page.get_by_label("保险金额（万元）")).to_be_visible()
        _field(page, "as_of").fill("2023-02-01")
        page.get_by_label("经省认定").check()
        page.get_by_label("保险金额（万元）").fill("500")
        _field(page, "facts.periods[0].start").fill("2022-07-01")
        _field(page, "facts.periods[0].months").fill("6")
        _field(page, "facts.periods[0].premium").fill("50,000")
        page.get_by_role("button", name="＋ 添加保险期间（按时间顺序）").click()  # a full page POST
        _field(page, "facts.periods[1].start").fill("2023-01-01")
        _field(page, "facts.periods[1].months").fill("12")
        _field(page, "facts.periods[1].premium").fill("160000")
        expect(_field(page, "facts.periods[0].premium")).to_have_value("50,000")
        page.get_by_role("button", name="计算补助上限").click()
        amount = page.locator("#calc-result .calc-amount")
        expect(amount).to_have_text(re.compile(r"10 万元\s*（100,000 元）"))
        expect(page.locator("#calc-result")).to_contain_text("三（二）2")
    finally:
        context.close()
