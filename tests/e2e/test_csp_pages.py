"""The strict CSP (no 'unsafe-eval', no 'unsafe-inline') in a real Chromium: a CSP violation is a console
error. The API docs page (ninja's Swagger UI) runs under the same strict policy and must still draw the
operations. (htmx swapping without eval: tests/e2e/test_calculator.py; every role's pages:
tests/e2e/test_role_pages.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _errors(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_api_docs_load_under_the_strict_policy(page: Page, live_server):
    problems = _errors(page)
    page.goto(f"{live_server.url}/api/v1/docs")
    # The schema of every router is built on the first request: allow it time.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("技改通 API", timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert problems == []
