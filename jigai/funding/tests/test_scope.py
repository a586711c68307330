"""Who sees which application: every role, same region, other region, parent region."""

from __future__ import annotations

import pytest

from jigai.accounts.tests.factories import make_user
from jigai.funding import selectors, services
from jigai.funding.models import Application, AppStatus, Payment, PaymentStage
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, guideline):
    mine = f.enterprise_user("410102")
    other = f.enterprise_user("410305")  # 洛阳 涧西区
    a = f.submitted(mine, guideline)
    b = f.submitted(other, guideline)
    draft = f.draft(f.enterprise_user("410102"), guideline)
    return {"mine": mine, "other": other, "a": a, "b": b, "draft": draft}


def visible(user):
    return set(Application.objects.restrict(user).values_list("pk", flat=True))


def test_enterprise_sees_its_own_only(world):
    assert visible(world["mine"]) == {world["a"].pk}
    assert visible(world["other"]) == {world["b"].pk}


def test_county_and_city_see_their_region_and_no_drafts(world):
    assert visible(make_user("county", "410102")) == {world["a"].pk}
    assert visible(make_user("county", "410103")) == set()
    assert visible(make_user("city", "410100")) == {world["a"].pk}
    assert visible(make_user("city", "410300")) == {world["b"].pk}


def test_province_and_leader_see_all_submitted(world):
    assert visible(make_user("province")) == {world["a"].pk, world["b"].pk}
    leader = make_user("leader")
    assert visible(leader) == {world["a"].pk, world["b"].pk}
    assert not Application.objects.restrict(leader, "change").exists()


def test_bank_admin_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert visible(make_user("bank")) == set()
    assert visible(make_user("admin")) == set()
    assert visible(AnonymousUser()) == set()


def test_finance_sees_decided_only(world, cast):
    fin = cast.finance[0]
    assert visible(fin) == set()
    Application.objects.filter(pk=world["b"].pk).update(status=AppStatus.AWARDED, granted_amount=1)
    assert visible(fin) == {world["b"].pk}


def test_expert_sees_assigned_only(world, cast):
    a = f.to_status(world["a"], AppStatus.FORMAL_CHECKED, cast)
    services.expert_assign(actor=cast.province, application=a, experts=[cast.experts[0]])
    assert visible(cast.experts[0]) == {a.pk}
    assert visible(cast.experts[1]) == set()


def test_out_of_scope_is_404(world):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.application_get(actor=world["other"], pk=world["a"].pk)
    with pytest.raises(Http404):
        selectors.application_get(actor=make_user("county", "410103"), pk=world["a"].pk)


def test_payment_rows_follow_the_application_scope(world, cast):
    b = world["b"]
    Application.objects.filter(pk=b.pk).update(status=AppStatus.AWARDED, granted_amount=100)
    stage = PaymentStage.objects.create(application=b, stage="on_approval", sequence=1, planned_amount=100)
    Payment.objects.create(
        stage=stage, paid_on="2026-01-05", amount=100, voucher_no="V", entered_by=cast.finance[0]
    )
    assert PaymentStage.objects.restrict(cast.finance[1]).count() == 1
    assert PaymentStage.objects.restrict(world["other"]).count() == 1
    assert PaymentStage.objects.restrict(world["mine"]).count() == 0
    assert Payment.objects.restrict(make_user("county", "410102")).count() == 0
    assert Payment.objects.restrict(make_user("city", "410300")).count() == 1
