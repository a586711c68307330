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
