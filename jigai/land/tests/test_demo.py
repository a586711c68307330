"""The land demo: rates for all 18 cities (some zoned, some changed), cases in every state with work for the
demo reviewers and a case of qiye's, frozen waivers, land needs; then reset."""

from __future__ import annotations

import pytest

from jigai.accounts.models import User
from jigai.land import demo  # noqa: F401  (registers the builder)
from jigai.land.models import CaseStatus, FeeRate, LandCase, LandNeed
from jigai.regions.models import Region, RegionLevel
from jigai.registry.demo import build_demo, reset_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_land_and_resets():
    build_demo(enterprises=150, seed=7)
    cities = set(Region.objects.filter(level=RegionLevel.CITY).values_list("code", flat=True))
    assert len(cities) == 18
    assert set(FeeRate.objects.values_list("city_id", flat=True)) == cities
    assert FeeRate.objects.exclude(zone="").values("city_id").distinct().count() == 3
    assert set(LandCase.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    for case in LandCase.objects.filter(status=CaseStatus.PASSED):
        assert case.waived_total == case.premium_waived + case.municipal_waived
        assert case.premium_rate.valid_from <= case.checked_on
    xianji, qiye = User.objects.get(username="xianji"), User.objects.get(username="qiye")
    local = set(LandCase.objects.restrict(xianji, "change").values_list("status", flat=True))
    assert local & {
        CaseStatus.REGISTERED,
        CaseStatus.STARTED,
        CaseStatus.FAILED,
    }  # the county has steps to take
    assert (
        LandCase.objects.restrict(User.objects.get(username="shiji"), "change")
        .filter(status=CaseStatus.COMPLETED)
        .exists()
    )  # and the city a case to check
    assert LandCase.objects.restrict(qiye).filter(status=CaseStatus.PASSED).exists()
    assert LandNeed.objects.restrict(xianji).exists()
    reset_demo()
    assert not LandCase.objects.exists() and not LandNeed.objects.exists() and not FeeRate.objects.exists()
