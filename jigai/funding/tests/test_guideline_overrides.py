"""A guideline's parameter overrides: validated by the engine's bounds (a cap never above the policy's
"最高不超过", a threshold never below its "不低于"), and applied to the cases of its own round only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jigai.core.errors import DomainError
from jigai.funding import calc, services
from jigai.funding.models import Guideline
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_cap_above_the_policy_is_refused_with_a_field_message(cast):
    before = Guideline.objects.count()
    with pytest.raises(DomainError) as info:
        f.guideline(actor=cast.province, overrides={"3.1.1.cap": "20000000"})
    assert info.value.field == "parameter_overrides"
    message = str(info.value)
    assert "3.1.1.cap" in message and "10,000,000 元" in message and "三（一）1" in message
    assert Guideline.objects.count() == before  # nothing saved


def test_a_threshold_below_the_policy_is_refused(cast):
    with pytest.raises(DomainError) as info:
        f.guideline(actor=cast.province, overrides={"3.1.1.threshold": "5000000"})
    assert info.value.field == "parameter_overrides" and "3.1.1.threshold" in str(info.value)


def test_within_the_bounds_is_accepted(cast):
    g = f.guideline(actor=cast.province, overrides={"3.1.1.cap": "8000000", "3.1.1.threshold": "20000000"})
    assert g.parameter_overrides == {"3.1.1.cap": "8000000", "3.1.1.threshold": "20000000"}


def test_the_update_of_a_draft_is_checked_too(cast):
    g = f.guideline(actor=cast.province, publish=False)
    with pytest.raises(DomainError) as info:
        services.guideline_update(
            actor=cast.province, guideline=g, data={"parameter_overrides": {"3.2.1-award.rate": "0.06"}}
        )
    assert info.value.field == "parameter_overrides"
    g.refresh_from_db()
    assert g.parameter_overrides == {}


def test_overrides_apply_to_the_round_year_only(ent_user):
    year = timezone.localdate().year
    project = f.project(ent_user.enterprise)  # 9,000,000 + 3,000,000
    raised = {"3.1.1.threshold": "20000000"}
    mine = calc.evaluate(
        obj=project,
        item="3.1.1",
        as_of=dt.date(year, 6, 30),
        other_provincial_support=False,
        overrides=raised,
        round_year=year,
    )
    assert mine["result"]["reasons"] == ["BELOW_THRESHOLD"]
    assert any("指南" in line for line in mine["result"]["explanation"])
    assert mine["round_year"] == year
    other = calc.evaluate(
        obj=project,
        item="3.1.1",
        as_of=dt.date(year + 1, 1, 5),
        other_provincial_support=False,
        overrides=raised,
        round_year=year,
    )
    assert (other["result"]["eligible"], other["result"]["amount"]) == (True, "3600000")
    assert not any("指南" in line or "调整" in line for line in other["result"]["explanation"])


def test_overrides_without_their_round_cannot_be_evaluated(ent_user):
    with pytest.raises(calc.CalculationError, match="round_year"):
        calc.evaluate(
            obj=f.project(ent_user.enterprise),
            item="3.1.1",
            as_of=timezone.localdate(),
            other_provincial_support=False,
            overrides={"3.1.1.threshold": "20000000"},
        )
