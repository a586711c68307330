"""The demo builder: a published guideline of this year and applications in every state, then reset."""

from __future__ import annotations

import pytest

from jigai.funding import demo  # noqa: F401  (registers the builder)
from jigai.funding.models import Application, AppStatus, Guideline, Payment
from jigai.registry.demo import build_demo, reset_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_a_round_and_resets():
    build_demo(enterprises=150, seed=7)
    g = Guideline.objects.get()
    assert g.status == "published"
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {AppStatus.AWARDED, AppStatus.ON_NOTICE, AppStatus.SUBMITTED, AppStatus.DRAFT} <= statuses
    assert len(statuses) >= 8
    assert Payment.objects.filter(status="confirmed").count() == 1
    reset_demo()
    assert not Application.objects.exists() and not Guideline.objects.exists()
