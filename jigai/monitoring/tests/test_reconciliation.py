import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from jigai.monitoring import selectors
from jigai.monitoring.models import MonthlyRollup, MonthlyValue, Source
from jigai.monitoring.services.computed import refresh_computed
from jigai.monitoring.services.rollups import refresh_rollups
from jigai.registry.models import LibraryStatus, ProgressReport
from jigai.registry.tests.factories import EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db
Y = 2025


def _project(region_code: str, amount: str, month: int = 3, category: str = "intelligent"):
    ent = EnterpriseFactory(region_id=region_code)
    project = ProjectFactory(enterprise=ent, library_status=LibraryStatus.IN_LIBRARY, category=category)
    ProgressReport.objects.create(
        project=project, month=dt.date(Y, month, 1), investment_completed=Decimal(amount)
    )
    return project


def _statistics(region_code: str, month: int, ytd: str, ind):
    MonthlyValue.objects.create(
        indicator=ind("ti_investment"),
        region_id=region_code,
        year=Y,
        month=month,
        value=Decimal(ytd),
        source=Source.IMPORTED,
    )


def test_library_investment_is_computed_by_category_and_says_so(people, ind):
    _project("410102", "3000000", category="green")
    _project("410102", "1000000", category="intelligent")
    refresh_computed(year=Y)
    lib = MonthlyValue.objects.get(indicator__code="lib_investment", region_id="410102", year=Y, month=3)
    green = MonthlyValue.objects.get(
        indicator__code="lib_investment_green", region_id="410102", year=Y, month=3
    )
    assert (lib.value, green.value, lib.source) == (400, 300, Source.COMPUTED)
    later = MonthlyRollup.objects.get(indicator__code="lib_investment", region_id="410000", year=Y, month=6)
    assert later.actual == 400  # year-to-date carries on to the later months


def test_a_progress_report_refreshes_the_computed_figures_after_commit(
    people, ind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            _project("410305", "2000000", month=5)
    row = MonthlyRollup.objects.get(indicator__code="lib_investment", region_id="410300", year=Y, month=5)
    assert row.actual == 200


def test_reconciliation_both_ways_per_city(people, ind):
    _project("410102", "5000000")  # 500 万 in 中原区, statistics only 100 万 that month: not covered
    _project("410305", "1000000")  # 涧西区 100 万, no statistics at all: not covered
    _statistics("410102", 2, "50", ind)
    _statistics("410102", 3, "150", ind)
    _statistics("410303", 3, "80", ind)  # 西工区: statistics but no project reports
    refresh_rollups(indicator_codes=["ti_investment"], year=Y)
    r = selectors.reconciliation(actor=people.province, year=Y, month=3)
    uncovered = {g.region.pk: g for g in r.uncovered}
    assert set(uncovered) == {"410102", "410305"}
    assert uncovered["410102"].statistics == 100 and uncovered["410102"].difference == 400
    assert uncovered["410305"].statistics is None and uncovered["410305"].city.pk == "410300"
    assert [g.region.pk for g in r.unbacked] == ["410303"]
    assert r.cities["410300"] == {"uncovered": 1, "unbacked": 1}
    # a city sees its own lines only; the projects behind a line are listed
    mine = selectors.reconciliation(actor=people.ly, year=Y, month=3)
    assert {g.region.pk for g in mine.uncovered} == {"410305"} and {g.region.pk for g in mine.unbacked} == {
        "410303"
    }
    projects = selectors.reconciliation_projects(actor=people.ly, year=Y, month=3, region_code="410305")
    assert projects.count() == 1
    assert not selectors.reconciliation_projects(
        actor=people.ly, year=Y, month=3, region_code="410102"
    ).exists()
