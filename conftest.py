"""Fixtures shared by every test: the Playwright browser on the system's Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


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
        yield b
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
