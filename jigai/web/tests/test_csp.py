"""The Content Security Policy without 'unsafe-eval' and 'unsafe-inline' (issue 12, 等保三级): the header
every page answers with, the htmx configuration that lets htmx live with it, and a scan of every template
(and of the Python that builds HTML) for what such a policy would block: style attributes, <style>
elements, inline scripts and on…= handler attributes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import make_user

JIGAI = Path(settings.BASE_DIR) / "jigai"
TEMPLATES = sorted(JIGAI.glob("**/templates/**/*.html"))

STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*["']""", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
HANDLER_ATTR = re.compile(r"\son[a-z]+\s*=", re.I)
HTMX_ON = re.compile(r"\s(data-)?hx-on", re.I)  # hx-on:* runs its value through eval
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def _csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(response) -> None:
    csp = _csp(response)
    header = response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in header and "'unsafe-inline'" not in header, header
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]


def test_the_setting_allows_no_eval_and_no_inline():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name, values in directives.items():
        assert "'unsafe-eval'" not in values and "'unsafe-inline'" not in values, name


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/calculator", "/api/v1/docs"])
def test_public_pages_answer_with_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    _assert_strict(response)


@pytest.mark.django_db
def test_signed_in_pages_answer_with_the_strict_policy(client):
    client.force_login(make_user(Role.COUNTY, "410102"))
    for name in ("dashboard", "registry:project_list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        _assert_strict(response)


@pytest.mark.django_db
def test_htmx_is_told_not_to_eval_inject_styles_or_run_swapped_scripts(client):
    html = client.get("/accounts/login/").content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert meta, "base.html must configure htmx"
    config = json.loads(meta.group(1))
    assert config == {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}
    # The indicator styles htmx would have injected live in app.css instead.
    css = (JIGAI / "web" / "static" / "jigai" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css and ".htmx-request .htmx-indicator" in css


def test_the_scan_sees_the_templates():
    assert len(TEMPLATES) > 50  # a wrong glob would let every check below pass on nothing
    assert JIGAI / "web" / "templates" / "base.html" in TEMPLATES


def _offences(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in TEMPLATES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(JIGAI)}:{n}: {line.strip()}")
    return found


def test_no_template_has_a_style_attribute():
    assert _offences(STYLE_ATTR) == []


def test_no_template_has_a_style_element():
    assert _offences(STYLE_ELEMENT) == []


def test_no_template_has_an_event_handler_attribute():
    assert _offences(HANDLER_ATTR) == []


def test_no_template_uses_hx_on():
    assert _offences(HTMX_ON) == []


def test_no_template_has_an_inline_script():
    found = []
    for path in TEMPLATES:
        for match in SCRIPT_TAG.finditer(path.read_text(encoding="utf-8")):
            attrs = match.group(1)
            if " src=" in attrs or 'type="application/json"' in attrs:
                continue  # a file from our origin, or an inert data block
            found.append(f"{path.relative_to(JIGAI)}: {match.group(0)}")
    assert found == []


def test_the_scan_would_catch_each_offence():
    samples = {
        STYLE_ATTR: '<div style="height:3px">',
        STYLE_ELEMENT: "<style>p{}</style>",
        HANDLER_ATTR: '<a href="#" onclick="go()">',
        HTMX_ON: '<form hx-on:submit="x()">',
    }
    for pattern, sample in samples.items():
        assert pattern.search(sample), pattern.pattern
    assert not HANDLER_ATTR.search('<input name="x" class="one">')


def test_no_python_builds_html_with_a_style_attribute():
    found = []
    for path in sorted(JIGAI.glob("**/*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if STYLE_ATTR.search(line) or STYLE_ELEMENT.search(line):
                found.append(f"{path.relative_to(JIGAI)}:{n}: {line.strip()}")
    assert found == []


def test_chart_tooltips_draw_without_inline_styles():
    """ECharts' default HTML tooltip writes style="…" markup on hover, which style-src 'self' refuses (a
    console error per hover); the canvas ("richText") tooltip needs none."""
    scripts = [
        p
        for p in sorted(JIGAI.glob("*/static/**/*.js"))
        if "vendor" not in p.parts and "echarts" in p.read_text()
    ]
    assert scripts, "the chart scripts moved: point this scan at them"
    found = []
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"tooltip:\s*\{[^\n]*", text):
            if "richText" not in match.group(0):
                found.append(f"{path.relative_to(JIGAI)}: {match.group(0)}")
    assert found == []
