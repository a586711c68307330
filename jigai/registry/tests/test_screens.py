"""The project screen: the moves, editing and reporting are decided once for the page and the API."""

from __future__ import annotations

import pytest
from django.http import Http404

from jigai.accounts.tests.factories import make_user
from jigai.registry.models import LibraryStatus as S
from jigai.registry.screens import project_screen

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "ent": make_user("enterprise"),
        "county": make_user("county", "410102"),
        "city": make_user("city", "410100"),
        "other_county": make_user("county", "410103"),
    }


def test_the_enterprise_sees_submit_and_edit_on_its_draft(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.DRAFT)
    s = project_screen(actor=people["ent"], pk=p.pk)
    assert [(m.action, m.label, m.comment_label) for m in s.moves] == [("submit", "提交", "")]
    assert s.moves_title == "提交审核" and s.can_edit and not s.can_report and not s.can_set_construction


def test_the_county_sees_its_two_moves_with_labels_and_kinds(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.SUBMITTED)
    s = project_screen(actor=people["county"], pk=p.pk)
    assert [(m.label, m.kind, m.comment_label) for m in s.moves] == [
        ("县级审核通过", "primary", "审核意见"),
        ("退回补正", "warning", "退回意见（必填）"),
    ]
    assert s.moves_title == "审核" and not s.can_edit
    assert project_screen(actor=people["city"], pk=p.pk).moves == []


def test_in_the_library_the_enterprise_reports_and_the_screen_is_the_apis(client, people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.IN_LIBRARY)
    s = project_screen(actor=people["ent"], pk=p.pk)
    assert s.can_report and s.can_set_construction and not s.can_edit and s.moves == []
    submitted = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.SUBMITTED)
    client.force_login(people["county"])
    body = client.get(f"/api/v1/registry/projects/{submitted.pk}").json()
    assert body["actions"] == ["county_approve", "return"]  # the screen's moves, by their API names


def test_out_of_scope_is_the_same_404_as_missing(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.SUBMITTED)
    for pk in (p.pk, p.pk + 1000):
        with pytest.raises(Http404):
            project_screen(actor=people["other_county"], pk=pk)


def test_the_return_comment_is_shown_only_while_returned(people):
    p = ProjectFactory(
        enterprise=people["ent"].enterprise, library_status=S.RETURNED, library_comment="补充清单"
    )
    assert project_screen(actor=people["ent"], pk=p.pk).comment_shown
    p2 = ProjectFactory(
        enterprise=people["ent"].enterprise, library_status=S.SUBMITTED, library_comment="旧意见"
    )
    assert not project_screen(actor=people["ent"], pk=p2.pk).comment_shown
