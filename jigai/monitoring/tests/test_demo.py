import pytest

from jigai.monitoring.models import EntryWindow, LetterStatus, MonthlyRollup, MonthlyValue, TargetLetter

pytestmark = pytest.mark.django_db


def test_the_demo_fills_three_years_consistent_with_the_library():
    import jigai.funding.demo
    import jigai.monitoring.demo  # noqa: F401
    from jigai.registry.demo import build_demo

    ctx = build_demo(enterprises=60)
    years = sorted(set(MonthlyValue.objects.values_list("year", flat=True)))
    assert (len(years) == 3 and years[-1] == ctx.today.year) or ctx.today.month == 1
    # the statistics' 技改投资 of every county covers what its demo projects report (应统尽统)
    stats = {
        (r.region_id, r.year, r.month): r.actual
        for r in MonthlyRollup.objects.filter(indicator__code="ti_investment", region_level="county")
    }
    # (the months with statistics: the current month's come only after it ends)
    windows = set(EntryWindow.objects.values_list("year", "month"))
    lib = [
        r
        for r in MonthlyRollup.objects.filter(
            indicator__code="lib_investment", region_level="county", actual__gt=0
        )
        if (r.year, r.month) in windows
    ]
    assert lib
    assert all(stats.get((r.region_id, r.year, r.month), 0) >= r.actual for r in lib)
    states = dict(TargetLetter.objects.values_list("region_id", "status"))
    assert len(states) == 18 and states["410300"] == LetterStatus.PENDING
    assert states["410100"] == LetterStatus.CHANGE_REQUESTED
    assert sum(1 for s in states.values() if s == LetterStatus.CONFIRMED) == 16
    assert EntryWindow.objects.filter(published_at__isnull=True, closes_on__gte=ctx.today).count() == 1
