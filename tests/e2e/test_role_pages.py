"""Every demo role in a real Chromium: sign in, open the workbench and each item of the side menu, and
fail on any console error, failed request or same-origin answer of 400 or more. A full-page screenshot
of each page is written under test-output/screens/<role>/ for a reviewer to look at.

The demo (`jigai demo`, a few enterprises) is built once; the roles then visit one after the other, so
the pages are seen with the data a newcomer sees."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Jigai@2026demo"
ROLES = ["qiye", "xianji", "shiji", "shengting", "zhuanjia", "caizheng", "lingdao", "yinhang", "admin"]
SCREENS = Path(settings.BASE_DIR) / "test-output" / "screens"


def _slug(path: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", path).strip("-") or "home"


def _watch(page: Page, base: str, problems: list[str]) -> None:
    origin = urlsplit(base).netloc

    def on_console(msg) -> None:
        if msg.type == "error":
            problems.append(f"console error on {page.url}: {msg.text}")

    def on_response(response) -> None:
        if response.status >= 400 and urlsplit(response.url).netloc == origin:
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"script error on {page.url}: {exc}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed {r.url}: {r.failure}"))
    page.on("response", on_response)


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def _settle(page: Page) -> None:
    """Wait for the page's own requests (htmx parts loading) rather than a fixed network-idle pause."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def _visit(page: Page, base: str, path: str, folder: Path, n: int) -> None:
    page.goto(f"{base}{path}")
    _settle(page)
    page.screenshot(path=str(folder / f"{n:02d}-{_slug(path)}.png"), full_page=True)


def test_every_role_sees_its_pages_without_an_error(browser: Browser, live_server):
    call_command("demo", enterprises=12, stdout=io.StringIO())
    base = live_server.url
    report: dict[str, list[str]] = {}
    for role in ROLES:
        folder = SCREENS / role
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        _watch(page, base, problems)
        _sign_in(page, base, role)
        _settle(page)
        assert urlsplit(page.url).path == "/dashboard/", f"{role}: signed in to {page.url}, not the workbench"
        page.screenshot(path=str(folder / "00-workbench.png"), full_page=True)
        links = page.locator(".side-menu a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert len(links) > 1, f"{role}: the side menu is empty"
        for n, path in enumerate(dict.fromkeys(p for p in links if p != "/dashboard/"), start=1):
            _visit(page, base, path, folder, n)
            if page.locator('.side-menu a[aria-current="page"]').count() != 1:
                problems.append(f"{path}: the side menu does not mark the current page")
        context.close()
        if problems:
            report[role] = problems
    assert not report, "\n".join(f"{role}: {p}" for role, ps in report.items() for p in ps)


def test_the_watch_catches_a_missing_page_and_a_console_error(page: Page, live_server):
    """The watch itself: a 404 answer and its console message are reported (a quiet run is a clean one)."""
    problems: list[str] = []
    _watch(page, live_server.url, problems)
    page.goto(f"{live_server.url}/no/such/page/")
    _settle(page)
    assert any(p.startswith("404 ") for p in problems)
    assert any(p.startswith("console error") for p in problems)
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
