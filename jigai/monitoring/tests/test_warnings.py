"""Early warning (预警) and the automatic supervision of a city red two months running (四（三）)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jigai.accounts.tests.factories import make_user
from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, InvalidInput
from jigai.monitoring import warnings as w
from jigai.monitoring.models import Indicator
from jigai.monitoring.models.warnings import Level, WarningStatus, WarningThreshold
from jigai.supervision.models import Ticket

from .dash_factories import LEVEL, SUM, rollup

pytestmark = pytest.mark.django_db
BANDS = w.Bands(Decimal("0.95"), Decimal("0.85"))


# ------------------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("actual", "expected", "level"),
    [
        ("95", "100", Level.GREEN),  # exactly the green band
        ("120", "100", Level.GREEN),
        ("94.99", "100", Level.AMBER),
        ("85", "100", Level.AMBER),  # exactly the amber band
        ("84.99", "100", Level.RED),
        ("-5", "100", Level.RED),
        ("0", "0", Level.GREEN),  # nothing expected yet
    ],
)
def test_classify_bands(actual, expected, level):
    got, _progress, _gap = w.classify(
        actual=Decimal(actual), expected=Decimal(expected), direction="up", bands=BANDS
    )
    assert got == level


def test_classify_gap_and_progress():
    level, progress, gap = w.classify(
        actual=Decimal("60"), expected=Decimal("80"), direction="up", bands=BANDS
    )
    assert (level, progress, gap) == (Level.RED, Decimal("0.7500"), Decimal("20"))
    _, _, gap = w.classify(actual=Decimal("90"), expected=Decimal("80"), direction="up", bands=BANDS)
    assert gap == 0  # ahead of the path: no gap


def test_classify_lower_is_better():
    # energy use: 110 where the path allows 100 → 100/110 = 0.909 → amber, 10 over
    level, progress, gap = w.classify(
        actual=Decimal("110"), expected=Decimal("100"), direction="down", bands=BANDS
    )
    assert (level, progress, gap) == (Level.AMBER, Decimal("0.9091"), Decimal("10"))


# ------------------------------------------------------------------------------------------ refreshing


def test_refresh_writes_levels_for_regions_with_targets():
    # sme_cloud, target 1200 a year: by June the path is 600
    rollup(SUM, "410300", 2026, 6, 620, 1200)  # 103 % → green
    rollup(SUM, "410100", 2026, 6, 540, 1200)  # 90 % → amber
    rollup(SUM, "410700", 2026, 6, 300, 1200)  # 50 % → red
    rollup(SUM, "410200", 2026, 6, 500)  # no target: no warning
    n = w.refresh_warnings(year=2026, month=6, escalate=False)
    assert n == 3
    got = {s.region_id: s for s in WarningStatus.objects.filter(year=2026, month=6)}
    assert {k: v.level for k, v in got.items()} == {"410300": "green", "410100": "amber", "410700": "red"}
    assert got["410700"].gap == Decimal("300")
    assert got["410700"].expected == Decimal("600")
    assert got["410700"].red_streak == 1


def test_level_indicator_path_is_the_target():
    rollup(LEVEL, "410300", 2026, 3, 58, 62)  # 58/62 = 0.935 → amber from March on
    w.refresh_warnings(year=2026, month=3, escalate=False)
    s = WarningStatus.objects.get(region_id="410300", month=3)
    assert s.level == Level.AMBER and s.expected == Decimal("62")


def test_indicator_threshold_overrides_the_default():
    province = make_user("province")
    rollup(SUM, "410300", 2026, 6, 540, 1200)  # 90 %
    w.refresh_warnings(year=2026, month=6, escalate=False)
    assert WarningStatus.objects.get(region_id="410300").level == Level.AMBER
    w.threshold_set(
        actor=province,
        indicator=Indicator.objects.get(code=SUM),
        green_from=Decimal("0.9"),
        amber_from=Decimal("0.8"),
        note="上云按季度集中推进",
    )
    # saving the bands recomputes the latest month at once
    assert WarningStatus.objects.get(region_id="410300").level == Level.GREEN
    assert AuditEvent.objects.filter(action="monitoring.warning_threshold.set").count() == 1
    w.threshold_delete(actor=province, indicator=Indicator.objects.get(code=SUM))
    assert WarningStatus.objects.get(region_id="410300").level == Level.AMBER
    assert AuditEvent.objects.filter(action="monitoring.warning_threshold.delete").count() == 1


def test_default_bands_are_seeded_as_data():
    row = WarningThreshold.objects.get(indicator__isnull=True)
    assert (row.green_from, row.amber_from) == (Decimal("0.950"), Decimal("0.850"))


@pytest.mark.parametrize("role", ["county", "city", "leader", "finance"])
def test_only_the_province_sets_thresholds(role):
    with pytest.raises(AccessDenied):
        w.threshold_set(
            actor=make_user(role), indicator=None, green_from=Decimal("0.9"), amber_from=Decimal("0.8")
        )


def test_threshold_bands_are_validated():
    province = make_user("province")
    with pytest.raises(InvalidInput) as err:
        w.threshold_set(actor=province, indicator=None, green_from=Decimal("0.8"), amber_from=Decimal("0.9"))
    assert "amber_from" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        w.threshold_set(actor=province, indicator=None, green_from=Decimal("5"), amber_from=Decimal("0.9"))
    assert "green_from" in err.value.errors
    assert WarningThreshold.objects.get(indicator__isnull=True).green_from == Decimal("0.950")


# ------------------------------------------------------------------------------------------ supervision


def _red_months(region: str, months: range, year: int = 2026) -> None:
    for m in months:
        rollup(SUM, region, year, m, 10 * m, 1200)  # far below 100 × m


def test_red_two_months_running_opens_one_ticket_to_the_city():
    _red_months("410300", range(4, 6))
    w.refresh_warnings(year=2026, month=4)
    assert not Ticket.objects.exists()  # one red month: no ticket yet
    w.refresh_warnings(year=2026, month=5)
    ticket = Ticket.objects.get()
    assert ticket.key == w.ticket_key(2026, SUM, "410300")
    assert ticket.region_id == "410300"
    assert "连续2个月红色预警" in ticket.subject
    assert "差距" in ticket.detail and "四（三）" in ticket.detail
    assert ticket.deadline is not None
    status = WarningStatus.objects.get(region_id="410300", month=5)
    assert status.red_streak == 2 and status.ticket_id == ticket.pk
    # refreshing the same month again (a correction) opens no second ticket
    w.refresh_warnings(year=2026, month=5)
    assert Ticket.objects.count() == 1
    # the streak goes on in June: the open ticket is the same one
    _red_months("410300", range(6, 7))
    w.refresh_warnings(year=2026, month=6)
    assert Ticket.objects.count() == 1
    assert WarningStatus.objects.get(region_id="410300", month=6).ticket_id == ticket.pk


def test_a_county_red_gets_no_automatic_ticket():
    _red_months("410305", range(4, 6))
    for m in (4, 5):
        w.refresh_warnings(year=2026, month=m)
    assert WarningStatus.objects.get(region_id="410305", month=5).red_streak == 2
    assert not Ticket.objects.exists()


def test_red_then_amber_breaks_the_streak():
    _red_months("410300", range(4, 5))
    rollup(SUM, "410300", 2026, 5, 450, 1200)  # 90 % of 500 → amber
    w.refresh_warnings(year=2026, month=4)
    w.refresh_warnings(year=2026, month=5)
    assert WarningStatus.objects.get(region_id="410300", month=5).red_streak == 0
    assert not Ticket.objects.exists()


def test_refreshing_an_old_month_opens_no_ticket():
    """A whole-year refresh (a target changed) must not open tickets for streaks long over."""
    _red_months("410300", range(3, 5))
    rollup(SUM, "410300", 2026, 5, 500, 1200)  # green again in May
    for m in (3, 4, 5):
        w.refresh_warnings(year=2026, month=m)
    assert not Ticket.objects.exists()
    assert WarningStatus.objects.get(region_id="410300", month=4).red_streak == 2


def test_a_corrected_month_fixes_the_streaks_after_it():
    _red_months("410300", range(3, 6))
    for m in (3, 4, 5):
        w.refresh_warnings(year=2026, month=m, escalate=False)
    assert WarningStatus.objects.get(region_id="410300", month=5).red_streak == 3
    rollup(SUM, "410300", 2026, 4, 400, 1200)  # April corrected: on the path
    w.refresh_warnings(year=2026, month=4, escalate=False)
    assert WarningStatus.objects.get(region_id="410300", month=4).red_streak == 0
    assert WarningStatus.objects.get(region_id="410300", month=5).red_streak == 1


def test_refresh_all_escalates_only_the_latest_month():
    _red_months("410300", range(1, 4), year=2025)  # an old streak
    _red_months("410100", range(1, 3), year=2026)  # the current one
    w.refresh_warnings_all()
    assert list(Ticket.objects.values_list("region_id", flat=True)) == ["410100"]


def test_streak_counts_earlier_months_never_warned():
    """A target published in June makes April and May red too: refreshing only the latest month (what a
    target change does) still sees the streak and opens the ticket."""
    _red_months("410300", range(3, 6))
    w.refresh_warnings(year=2026, month=5)
    status = WarningStatus.objects.get(region_id="410300", month=5)
    assert status.red_streak == 3
    assert Ticket.objects.filter(region_id="410300").count() == 1


def test_refresh_all_escalates_the_latest_month_with_warnings():
    """Figures without targets in a later month (the library's own, this month) do not hide the latest
    month that has warnings."""
    _red_months("410300", range(10, 12))
    rollup("lib_investment", "410300", 2026, 12, 5000)  # no target
    w.refresh_warnings_all()
    assert Ticket.objects.filter(region_id="410300").count() == 1


def test_a_count_is_held_to_whole_units_only():
    """One green park a year: in April the path is 0.33 of a park, so none is due yet (green); in
    December one is due."""
    rollup("green_parks", "410300", 2026, 4, 0, 1)
    rollup("green_parks", "410300", 2026, 12, 0, 1)
    w.refresh_warnings(year=2026, month=4, escalate=False)
    w.refresh_warnings(year=2026, month=12, escalate=False)
    april = WarningStatus.objects.get(region_id="410300", month=4)
    assert (april.level, april.expected) == (Level.GREEN, Decimal("0"))
    assert WarningStatus.objects.get(region_id="410300", month=12).level == Level.RED
    assert w.path_of(Indicator.objects.get(code="ti_investment"), Decimal("12.5")) == Decimal("12.5")
