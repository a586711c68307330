from decimal import Decimal

import pytest

from jigai.monitoring import selectors
from jigai.monitoring.models import MonthlyRollup, MonthlyValue, Source, Target, TargetStatus
from jigai.monitoring.services.rollups import refresh_all_rollups, refresh_rollups

pytestmark = pytest.mark.django_db


def _v(ind, code, region, year, month, value):
    MonthlyValue.objects.create(
        indicator=ind(code),
        region_id=region,
        year=year,
        month=month,
        value=Decimal(value),
        source=Source.IMPORTED,
    )


def _row(code, region, year, month):
    return MonthlyRollup.objects.get(indicator__code=code, region_id=region, year=year, month=month)


def test_sum_ratio_growth_and_completion_up_the_tree(ind):
    for region, ti, ii in (("410102", "300", "1000"), ("410103", "100", "1000"), ("410305", "200", "500")):
        _v(ind, "ti_investment", region, 2026, 2, ti)
        _v(ind, "industrial_investment", region, 2026, 2, ii)
    _v(ind, "ti_investment", "410102", 2025, 2, "200")
    _v(ind, "ti_investment", "410103", 2025, 2, "200")
    Target.objects.create(
        year=2026,
        indicator=ind("ti_investment"),
        region_id="410100",
        value=Decimal(2400),
        status=TargetStatus.CONFIRMED,
    )
    refresh_all_rollups([2025, 2026], warnings=False)
    zz = _row("ti_investment", "410100", 2026, 2)
    assert (
        zz.actual == 400 and zz.target == 2400 and zz.expected == 400 and zz.completion == Decimal("0.1667")
    )
    assert zz.last_year_actual == 400 and zz.yoy_growth == 0
    assert _row("ti_investment", "410000", 2026, 2).actual == 600
    assert _row("ti_investment", "410100", 2026, 2).share == Decimal("66.6667")
    assert _row("ti_investment_share", "410100", 2026, 2).actual == 20  # 400 / 2000
    assert _row("ti_investment_share", "410000", 2026, 2).actual == Decimal("24")  # 600 / 2500
    assert _row("ti_investment_growth", "410102", 2026, 2).actual == 50  # 300 over 200
    # months without figures: the city keeps its row (for the target), a county has none
    assert _row("ti_investment", "410100", 2026, 5).actual is None
    assert not MonthlyRollup.objects.filter(
        indicator__code="ti_investment", region_id="410102", month=5
    ).exists()


def test_index_is_the_own_level_else_the_mean_of_the_children(ind):
    _v(ind, "informatization_index", "410100", 2026, 1, "60")
    _v(ind, "informatization_index", "410300", 2026, 1, "56")
    refresh_rollups(indicator_codes=["informatization_index"], year=2026, warnings=False)
    assert _row("informatization_index", "410000", 2026, 1).actual == 58
    _v(ind, "informatization_index", "410000", 2026, 1, "61")
    refresh_rollups(indicator_codes=["informatization_index"], year=2026, warnings=False)
    assert _row("informatization_index", "410000", 2026, 1).actual == 61


def test_rollup_selectors_are_scoped(people, ind):
    _v(ind, "ti_investment", "410102", 2026, 1, "5")
    _v(ind, "ti_investment", "410305", 2026, 1, "7")
    refresh_rollups(indicator_codes=["ti_investment"], year=2026, warnings=False)
    city_rows = selectors.rollup_month(actor=people.zz, year=2026, month=1, indicator_codes=["ti_investment"])
    assert {r.region_id for r in city_rows} == {"410100", "410102"}
    assert (
        len(
            selectors.rollup_trend(
                actor=people.zy, region_code="410102", indicator_code="ti_investment", years=[2026]
            )
        )
        == 1
    )
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.rollup_trend(
            actor=people.zy, region_code="410305", indicator_code="ti_investment", years=[2026]
        )
    assert selectors.latest_month(year=2026) == 1


def test_the_background_job_recomputes_and_rolls_up(ind):
    from types import SimpleNamespace

    from jigai.monitoring.services.rollups import refresh_job

    _v(ind, "ti_investment", "410102", 2025, 3, "9")
    seen = []
    outcome = refresh_job(SimpleNamespace(params={"years": [2025]}), lambda *a, **k: seen.append(a))
    assert "1 个年度" in outcome.message
    assert _row("ti_investment", "410000", 2025, 3).actual == 9
    assert seen[-1][0] == seen[-1][1]  # progress reaches its total
