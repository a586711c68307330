"""The demo builder: a published guideline of this year and applications in every state, then reset."""

from __future__ import annotations

import pytest

from jigai.funding import demo  # noqa: F401  (registers the builder)
from jigai.funding.models import Application, AppStatus, ExpertAssignment, Guideline, Payment
from jigai.registry.demo import build_demo, reset_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_a_round_and_resets():
    build_demo(enterprises=150, seed=7)
    assert Guideline.objects.filter(status="published").count() == 1
    # Next year's two drafts, each with a what-if scenario already run (issue 13).
    from jigai.funding.models import ScenarioRun

    assert Guideline.objects.filter(status="draft").count() == 2
    assert ScenarioRun.objects.filter(status="done").count() == 2
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {AppStatus.AWARDED, AppStatus.ON_NOTICE, AppStatus.SUBMITTED, AppStatus.DRAFT} <= statuses
    assert len(statuses) >= 8
    assert Payment.objects.filter(status="confirmed").count() == 1
    reset_demo()
    assert not Application.objects.exists() and not Guideline.objects.exists()


def test_demo_leaves_work_for_every_reviewer_and_an_ended_notice():
    """A newcomer can try each step at once: the demo reviewers have applications of their own region
    waiting, a notice's period is over (确定立项), payments wait to be entered and to be checked."""
    from django.utils import timezone

    from jigai.accounts.models import User
    from jigai.funding.demo import applications_table
    from jigai.funding.models import PublicNotice

    build_demo(enterprises=150, seed=7)
    xianji, shiji = User.objects.get(username="xianji"), User.objects.get(username="shiji")
    waiting = Application.objects.filter(status=AppStatus.SUBMITTED, enterprise__region_id=xianji.region_id)
    assert waiting.exists()
    assert Application.objects.filter(
        status=AppStatus.COUNTY_APPROVED, enterprise__region__path__startswith=shiji.region.path
    ).exists()
    today = timezone.localdate()
    ended = PublicNotice.objects.filter(ends_on__lt=today, finalized_at__isnull=True)
    assert ended.exists()
    assert Payment.objects.filter(status="entered").exists()
    assert Application.objects.filter(
        status=AppStatus.AWARDED, payment_stages__payments__isnull=True
    ).exists()
    assert User.objects.get(username="zhuanjia2").check_password("Jigai@2026demo")
    for expert in ("zhuanjia", "zhuanjia2"):  # a task waits for each expert
        assert ExpertAssignment.objects.filter(
            expert__username=expert, application__status=AppStatus.FORMAL_CHECKED, submitted_at__isnull=True
        ).exists()
    table = applications_table()
    assert "公示期已满" in table and "shengting 确定立项" in table and "xianji 初审" in table
