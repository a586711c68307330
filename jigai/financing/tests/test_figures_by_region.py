"""The financing figures as the monitoring dashboards read them: grouped by county (a city's dashboard),
narrowed to a region inside the actor's scope (never widened), several groupings from the same queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from jigai.funding.tests import factories as ff
from jigai.regions.models import Region
from jigai.registry.models import LibraryStatus

from .. import selectors, services
from .factories import published

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = Decimal


def _disbursed(cast, entry, amount, *, confirm=True, actor=None, city=None):
    outcome = services.outcome_record(
        actor=actor or cast.bank,
        entry=entry,
        stage="disbursed",
        on_date=TODAY,
        amount=D(amount),
        product="技改贷",
        rate=D("3.5"),
    )
    if confirm:
        services.outcome_check(actor=city or cast.city, outcome=outcome, confirm=True)
    return outcome


@pytest.fixture
def figures(cast):
    """郑州: 中原区 (500 万元 listed, 200 万元 disbursed and confirmed, 70 万元 entered) and an
    enterprise registered at the city itself (100 万元 listed, leasing); 洛阳 涧西区: 500 万元 listed,
    900 万元 disbursed."""
    zz = published(cast)
    _disbursed(cast, zz, "2000000")
    _disbursed(cast, zz, "700000", confirm=False)
    ly = published(cast, other=True)
    _disbursed(cast, ly, "9000000", actor=cast.other_bank, city=cast.other_city)
    ent = ff.enterprise_user("410100").enterprise
    project = ff.project(ent, library_status=LibraryStatus.IN_LIBRARY)
    own = services.whitelist_propose(
        actor=cast.city, project=project, amount=D("1000000"), term_months=12, kind="lease"
    )
    services.whitelist_move(actor=cast.province, entry=own, action="approve")
    services.whitelist_publish(actor=cast.province, published_on=TODAY, entries=[own.pk])
    return cast


def test_county_of_a_path():
    assert selectors.county_of("410000/410300/410305") == "410305"
    assert selectors.county_of("410000/410100") == "410100"  # registered at the city
    assert selectors.county_of("410000/419001") == "419001"  # Jiyuan, no counties


def test_by_county(figures):
    cast = figures
    rows = {
        r["key"]: r for r in selectors.financing_figures(cast.province, year=TODAY.year, group_by="county")
    }
    assert set(rows) == {"410102", "410100", "410305"}
    assert (rows["410102"]["needed"], rows["410102"]["disbursed"], rows["410102"]["unconfirmed"]) == (
        D("5000000"),
        D("2000000"),
        D("700000"),
    )
    assert (rows["410102"]["label"], rows["410102"]["projects"]) == ("中原区", 1)
    assert rows["410100"]["needed"] == D("1000000") and rows["410100"]["label"] == "郑州市"
    assert rows["410305"]["disbursed"] == D("9000000")
    # the city's own scope: its counties only
    mine = selectors.financing_figures(cast.city, year=TODAY.year, group_by="county")
    assert [r["key"] for r in mine] == ["410100", "410102"]


def test_a_region_narrows_and_never_widens(figures):
    cast = figures
    luoyang = Region.objects.get(code="410300")
    zhongyuan = Region.objects.get(code="410102")
    rows = selectors.financing_figures(cast.province, year=TODAY.year, group_by="city", region=luoyang)
    assert [(r["key"], r["needed"], r["disbursed"]) for r in rows] == [("410300", D("5000000"), D("9000000"))]
    rows = selectors.financing_figures(cast.province, year=TODAY.year, group_by="programme", region=zhongyuan)
    assert [(r["label"], r["needed"]) for r in rows] == [("贷款", D("5000000"))]
    # 郑州's reviewer asking for 洛阳's figures gets nothing: the gate applies first
    assert selectors.financing_figures(cast.city, year=TODAY.year, group_by="city", region=luoyang) == []
    assert (
        selectors.financing_figures(cast.city, year=TODAY.year, group_by="institution", region=luoyang) == []
    )


def test_several_groupings_at_once_are_the_single_ones(figures, django_assert_max_num_queries):
    cast = figures
    groups = ("city", "county", "institution", "programme", "month")
    with django_assert_max_num_queries(4):  # entries, outcomes, region names, institution names
        together = selectors.financing_figures_by(cast.province, year=TODAY.year, groups=groups)
    for g in groups:
        assert together[g] == selectors.financing_figures(cast.province, year=TODAY.year, group_by=g)
    assert selectors.figures_total(together["county"])["needed"] == D("11000000")
    with pytest.raises(ValueError):
        selectors.financing_figures_by(cast.province, year=TODAY.year, groups=("city", "weather"))
