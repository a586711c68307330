"""The application screen and the notice rows: every rule of what is shown and offered, decided once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jigai.funding import screens, services
from jigai.funding.models import AppStatus
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_enterprise_screen_of_a_draft_and_of_a_returned_application(cast, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    s = screens.application_screen(actor=ent_user, pk=app.pk)
    assert s.can_submit and s.can_delete and s.can_upload and s.submit_label == "提交申报"
    assert [m.action for m in s.moves] == ["withdraw"] and s.history_visible
    services.application_submit(actor=ent_user, application=app)
    services.application_transition(actor=cast.county, application=app, action="return", comment="补充发票")
    s = screens.application_screen(actor=ent_user, pk=app.pk)
    assert s.can_submit and not s.can_delete and s.submit_label == "补正后重新提交" and s.comment_shown


def test_the_reviewers_buttons_come_from_the_table_with_their_labels(cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.COUNTY_APPROVED, cast)
    s = screens.application_screen(actor=cast.city, pk=app.pk)
    assert [(m.label, m.kind) for m in s.moves] == [
        ("推荐", "primary"),
        ("退回补正", "warning"),
        ("不予通过", "danger"),
    ]
    assert s.wants_rank and not s.can_submit and not s.can_delete
    assert not screens.application_screen(actor=cast.county, pk=app.pk).moves
    page = _page_for(cast.city, app)
    assert ">推荐</button>" in page and 'name="rank"' in page


def test_the_formal_check_closes_with_its_own_label(cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    s = screens.application_screen(actor=cast.province, pk=app.pk)
    assert s.moves[0].label == "结束专家评审" and s.can_assign_experts and not s.wants_rank


def test_the_declaration_gate_is_decided_once_for_page_and_api(client, cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    (a,) = services.expert_assign(actor=cast.province, application=app, experts=[cast.experts[0]])
    with pytest.raises(screens.DeclarationRequired) as gate:
        screens.application_screen(actor=cast.experts[0], pk=app.pk)
    assert gate.value.assignment_id == a.pk and gate.value.status == 403
    client.force_login(cast.experts[0])
    page = client.get(reverse("funding:application_detail", args=[app.pk]))
    assert page.status_code == 302 and page.url == reverse("funding:expert_review", args=[a.pk])
    api = client.get(f"/api/v1/funding/applications/{app.pk}")
    assert api.status_code == 403 and api.json()["detail"] == gate.value.message
    services.expert_declare(actor=cast.experts[0], assignment=a, has_conflict=False)
    s = screens.application_screen(actor=cast.experts[0], pk=app.pk)
    assert not s.history_visible and s.history == []


def test_notice_rows_mask_for_the_public_only(cast, guideline, ent_user):
    f.to_status(f.submitted(ent_user, guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    notice = services.notice_publish(actor=cast.province, guideline=guideline)
    uscc = ent_user.enterprise.uscc
    (public,) = screens.notice_rows(notice)
    assert (
        public.uscc == services.mask_uscc(uscc) and public.phone == "138****5678" and public.contact == "张*"
    )
    (own,) = screens.notice_rows(notice, masked=False)
    assert own.uscc == uscc and own.phone == "13812345678"


def _page_for(user, app) -> str:
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c.get(reverse("funding:application_detail", args=[app.pk])).content.decode()


def _guideline_page(user, g) -> str:
    from django.test import Client

    c = Client()
    c.force_login(user)
    response = c.get(reverse("funding:guideline_detail", args=[g.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_guideline_screen_decides_publish_edit_extend_and_allocate(cast):
    draft = f.guideline(actor=cast.province, publish=False)
    s = screens.guideline_screen(actor=cast.province, pk=draft.pk)
    assert (s.can_edit, s.can_publish, s.can_extend, s.can_allocate) == (True, True, False, False)
    assert (s.edit_label, s.publish_label, s.status_label) == ("修改", "发布指南", "草稿")
    assert s.item_labels and all(
        label != code for label, code in zip(s.item_labels, draft.items, strict=True)
    )
    page = _guideline_page(cast.province, draft)
    assert ">发布指南</button>" in page and "延长申报期" not in page
    assert reverse("funding:decision", args=[draft.pk]) not in page

    services.guideline_publish(actor=cast.province, guideline=draft)
    s = screens.guideline_screen(actor=cast.province, pk=draft.pk)
    assert (s.can_edit, s.can_publish, s.can_extend, s.can_allocate) == (True, False, True, True)
    assert s.edit_label == "修改说明和预算" and s.status_label == "已发布"
    assert s.history[0].action == "publish"  # newest first
    page = _guideline_page(cast.province, draft)
    assert "发布指南" not in page and "<summary>延长申报期</summary>" in page
    assert reverse("funding:decision", args=[draft.pk]) in page

    draft.status = "closed"
    draft.save(update_fields=["status"])
    s = screens.guideline_screen(actor=cast.province, pk=draft.pk)
    assert (s.can_publish, s.can_extend, s.can_allocate) == (False, False, True)
    assert "延长申报期" not in _guideline_page(cast.province, draft)


def test_the_guideline_screen_offers_nothing_to_who_may_not_manage(cast, guideline, ent_user):
    from django.http import Http404

    s = screens.guideline_screen(actor=cast.city, pk=guideline.pk)  # a published round: readable by all
    assert not (s.can_edit or s.can_publish or s.can_extend or s.can_allocate)
    draft = f.guideline(actor=cast.province, publish=False)
    for pk in (draft.pk, 999999):  # a draft is the province's: the same 404 as a missing round
        with pytest.raises(Http404):
            screens.guideline_screen(actor=ent_user, pk=pk)
