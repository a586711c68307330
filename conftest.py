"""Fixtures shared by every test: the Playwright browser on the system's Chromium, and sign-ins that pass the
second factor (issue 12; jigai/accounts/tests/otp.py): `client.force_login(user)` / `client.login(...)` give
a verified session (`force_login(user, verified=False)` for one still at the code step), and every browser
page answers the code step as a user with the authenticator app would, unless the test is marked
`manual_otp`."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "manual_otp: the test enters the second factor's codes itself")
    try:
        from playwright.sync_api import expect
    except ImportError:  # pragma: no cover - the browser tests then fail on their own
        pass
    else:
        # CI shares two cores between the suite's workers: an assertion waits up to 20 s for the page
        # (Playwright's default is 5 s) — a slow machine is not a broken page.
        expect.set_options(timeout=20_000)
    from jigai.accounts.tests.otp import install_client_patch

    install_client_patch()


@pytest.fixture(autouse=True)
def _second_factor_answers(request):
    from jigai.accounts.tests.otp import set_auto_answer

    set_auto_answer(request.node.get_closest_marker("manual_otp") is None)
    yield
    set_auto_answer(True)


def _answering_pages(browser):
    """Every page of every context of this browser answers the code step by itself (see the module doc)."""
    from jigai.accounts.tests.otp import auto_answer_codes

    new_context = browser.new_context

    def patched_new_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        new_page = context.new_page

        def patched_new_page(*a, **kw):
            return auto_answer_codes(new_page(*a, **kw))

        context.new_page = patched_new_page
        return context

    browser.new_context = patched_new_context
    return browser


def _chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        # In CI (JIGAI_REQUIRE_BROWSER=1) a missing browser is a failure, never a skip.
        pytest.fail("找不到 Chromium：请以 root 运行 make install（它会用 apt-get 安装 chromium）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield _answering_pages(b)
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    # Irreversible steps ask for confirmation (data-confirm): the journeys accept, and record what was asked.
    pg.confirmations = []

    def _accept(dialog):
        pg.confirmations.append(dialog.message)
        dialog.accept()

    pg.on("dialog", _accept)
    yield pg
    context.close()
