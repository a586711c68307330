"""The policy text page (every cited clause anchored), clause links, and the help pages per role."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from jigai.accounts.roles import Role
from jigai.policy.text import clause_anchor, policy_document

PARAMS = Path(__file__).resolve().parents[2] / "policy" / "parameters" / "henan-2022-8.json"


def _cited_clauses() -> set[str]:
    raw = json.loads(PARAMS.read_text(encoding="utf-8"))
    cited = {spec["clause"] for spec in raw["parameters"].values() if "clause" in spec}
    return cited | set(raw["clauses"])


def test_the_shipped_text_is_the_policy():
    doc = policy_document()
    assert doc.number == "豫政办〔2022〕8号" and doc.title.startswith("关于开展企业技术改造提升行动")
    assert [b.label for b in doc.blocks if b.kind == "part"] == ["一、", "二、", "三、", "四、"]


@pytest.mark.parametrize(
    ("citation", "anchor"),
    [
        ("三（二）1", "clause-三-二-1"),
        ("三（一）", "clause-三-一"),
        ("三（末段）", "clause-三-末段"),
        ("三末段", "clause-三-末段"),
        ("四", "clause-四"),
        ("3.1.1", ""),
    ],
)
def test_clause_anchor(citation, anchor):
    assert clause_anchor(citation) == anchor


def test_policy_page_anchors_every_clause_the_parameters_cite(client):
    response = client.get(reverse("web:policy"))
    assert response.status_code == 200
    ids = set(re.findall(r'id="(clause-[^"]+)"', response.content.decode()))
    cited = _cited_clauses()
    assert cited, "the parameter file cites clauses"
    for clause in cited:
        assert clause_anchor(clause) in ids, clause
    assert {"clause-一", "clause-二-四", "clause-四-三", "clause-三-一-1"} <= ids


def test_clause_links_filter_links_citations_and_escapes_the_rest():
    out = Template("{% load clauses %}{{ line|clause_links }}|{{ c|clause_link }}").render(
        Context({"line": "三（一）1：<b>投资</b> —— 符合；三（末段）", "c": "不是条款"})
    )
    assert 'href="/policy/#clause-三-一-1"' in out and 'href="/policy/#clause-三-末段"' in out
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert out.endswith("|不是条款")


def test_calculator_result_links_its_clauses(client):
    from jigai.web.tests.test_calculator import E01, URL

    body = client.post(URL, E01).content.decode()
    assert 'id="calc-result"' in body
    assert 'class="clause-link" href="/policy/#clause-三-一-1"' in body


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_help_page_of_every_role(client, role):
    response = client.get(reverse("web:help_role", args=[role]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "每日工作" in body and Role(role).label in body


def test_help_of_unknown_role_is_404(client):
    assert client.get("/help/nosuch/").status_code == 404


def test_help_sends_the_signed_in_user_to_their_role(client, django_user_model):
    assert client.get(reverse("web:help")).status_code == 200
    user = django_user_model.objects.create_user(username="u_county", password="x", role=Role.EXPERT)
    client.force_login(user)
    response = client.get(reverse("web:help"))
    assert response.status_code == 302 and response.url == reverse("web:help_role", args=["expert"])


def test_workbench_links_help_and_shows_howto(client, django_user_model):
    user = django_user_model.objects.create_user(username="u_exp", password="x", role=Role.EXPERT)
    client.force_login(user)
    body = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="help-link"' in body and "操作说明" in body
