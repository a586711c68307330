"""Property tests of the whole HTTP API from its own OpenAPI document (schemathesis): for every operation,
generated requests (valid and invalid) never get a server error, and every answer matches the
documented status codes, content type and response schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from playwright.sync_api import expect
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Loaded at collection from the WSGI app (pytest-django has set Django up by then). Not
# `schemathesis.pytest.from_fixture`: its lazy loader touches `Function._nodeid`, gone in pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """What Django's test client does: a request through the raw WSGI app must not close (and so
    break) the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_is_covered():
    """The document loads whole (every operation parses) and holds the calculator's operations."""
    results = list(schema.get_all_operations())
    operations = {(op.method.upper(), op.path) for op in (r.ok() for r in results)}
    assert {("POST", "/api/v1/policy/evaluate"), ("GET", "/api/v1/policy/items")} <= operations


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,  # the same examples on every run: a failure is reproducible, never flaky
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.browser
def test_interactive_docs_load_offline_under_the_csp(page, live_server):
    """/api/v1/docs: Swagger UI from ninja's bundled files renders the operations, with no request
    leaving the site and nothing refused by the Content-Security-Policy."""
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("计算支持政策补助上限")).to_be_visible(timeout=30_000)  # a large document
    expect(page.get_by_text("支持项目及所需事实")).to_be_visible(timeout=30_000)
    assert foreign == [] and [e for e in errors if "favicon" not in e] == []
