"""Lists that hold at provincial scale (issue 8): what is summed per project is kept as data by the writers
of progress reports (one pure rule), the 应统尽统 flag reads it, and the list pages run a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jigai.accounts.tests.factories import ensure_region, make_user
from jigai.registry import selectors, services
from jigai.registry.models import ConstructionStatus, LibraryStatus, ProgressReport, Project
from jigai.registry.services.progress_totals import (
    project_totals,
    refresh_all_project_totals,
    store_project_totals,
)

from .factories import EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db
S = LibraryStatus


def test_project_totals_is_the_sum_and_the_latest_month():
    assert project_totals([]).cumulative_investment == Decimal(0)
    assert project_totals([]).last_reported_month is None
    totals = project_totals(
        [(dt.date(2022, 3, 1), Decimal("300000")), (dt.date(2022, 1, 1), Decimal("100000.50"))]
    )
    assert totals.cumulative_investment == Decimal("400000.50")
    assert totals.last_reported_month == dt.date(2022, 3, 1)


def test_the_progress_services_keep_the_project_totals():
    user = make_user("enterprise")
    p = ProjectFactory(enterprise=user.enterprise, library_status=S.IN_LIBRARY, total_investment=1_000_000)
    services.progress_report(
        actor=user, project=p, month=dt.date(2022, 3, 15), investment_completed=Decimal("300000")
    )
    report = services.progress_report(
        actor=user, project=p, month=dt.date(2022, 1, 1), investment_completed=Decimal("100000.50")
    )
    p.refresh_from_db()
    assert p.cumulative_investment == Decimal("400000.50") and p.cumulative == p.cumulative_investment
    assert p.last_reported_month == dt.date(2022, 3, 1)
    services.progress_update(actor=user, report=report, investment_completed=Decimal("1"))
    p.refresh_from_db()
    assert p.cumulative_investment == Decimal("300001.00")
    assert selectors.project_get(actor=user, pk=p.pk).cumulative == Decimal("300001.00")


def test_refresh_all_matches_the_rule_of_the_writers():
    a, b = ProjectFactory(library_status=S.IN_LIBRARY), ProjectFactory(library_status=S.IN_LIBRARY)
    ProgressReport.objects.create(project=a, month=dt.date(2022, 1, 1), investment_completed=Decimal("2.5"))
    ProgressReport.objects.create(project=a, month=dt.date(2022, 5, 1), investment_completed=Decimal("1"))
    Project.objects.filter(pk=b.pk).update(cumulative_investment=9, last_reported_month=dt.date(2020, 1, 1))
    refresh_all_project_totals()
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.cumulative_investment, a.last_reported_month) == (Decimal("3.50"), dt.date(2022, 5, 1))
    assert (b.cumulative_investment, b.last_reported_month) == (Decimal("0"), None)
    assert store_project_totals([a.pk, b.pk]) == 0  # the writers' rule finds nothing to change


def test_missing_flag_reads_the_stored_month_and_a_later_month_does_not_hide_a_gap():
    as_of = dt.date(2022, 3, 10)  # last month: February
    kw = {"library_status": S.IN_LIBRARY, "construction_status": ConstructionStatus.UNDER_CONSTRUCTION}
    never, old, reported, gap = (ProjectFactory(**kw) for _ in range(4))
    ProjectFactory(library_status=S.IN_LIBRARY, construction_status=ConstructionStatus.COMPLETED)
    for p, month in ((old, 1), (reported, 2), (gap, 1), (gap, 3)):  # gap: January and March, no February
        ProgressReport.objects.create(project=p, month=dt.date(2022, month, 1), investment_completed=1)
    store_project_totals(Project.objects.values_list("pk", flat=True))
    missing = selectors.projects_missing_statistics(actor=make_user("province"), as_of=as_of)
    assert set(missing) == {never, old, gap}
    assert all(selectors.is_missing_statistics(p, as_of) for p in (never, old, gap))


def test_project_list_sorts_by_cumulative_investment():
    low, high, none = (ProjectFactory() for _ in range(3))
    Project.objects.filter(pk=low.pk).update(cumulative_investment=5)
    Project.objects.filter(pk=high.pk).update(cumulative_investment=50)
    province = make_user("province")
    assert list(selectors.project_list(actor=province, filters={"sort": "-cumulative"})) == [high, low, none]
    assert list(selectors.project_list(actor=province, filters={"sort": "cumulative"})) == [none, low, high]


def _many_projects(n: int = 45) -> None:
    ents = [EnterpriseFactory(region=ensure_region(code)) for code in ("410102", "410103", "410302")]
    for i in range(n):
        p = ProjectFactory(
            enterprise=ents[i % 3],
            name=f"项目{i:02d}",
            library_status=S.IN_LIBRARY if i % 2 else S.SUBMITTED,
            construction_status=ConstructionStatus.UNDER_CONSTRUCTION,
        )
        ProgressReport.objects.create(project=p, month=dt.date(2022, 1, 1), investment_completed=i)
    store_project_totals(Project.objects.values_list("pk", flat=True))


# Each page's queries: session, user, the filter form's regions (one query: cities, counties, zones),
# the count, the page's ids and its rows (DeferredJoinPaginator), the layout's unread notifications.
# The session is written at most once a minute (its idle stamp, issue 12), not on every request.
# Pinned: a per-row query shows up here.
@pytest.mark.parametrize(
    # 8: the page's own queries plus the session, the user and its second-factor device (issue 12).
    ("url_name", "params", "queries"),
    [
        ("registry:project_list", {}, 8),
        ("registry:project_list", {"page": "2"}, 8),
        ("registry:project_list", {"sort": "-cumulative"}, 8),
        ("registry:project_missing", {}, 8),
        ("registry:enterprise_list", {}, 8),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, url_name, params, queries
):
    _many_projects()
    client.force_login(make_user("province"))
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200


def test_reviewer_portal_counts_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    _many_projects()
    client.force_login(make_user("city", "410100"))
    with django_assert_num_queries(6):
        response = client.get(reverse("registry:portal"))
    assert response.status_code == 200
    assert response.context["in_library"] == 15 and response.context["queue"] == 0


def test_deferred_join_pages_hold_the_same_rows_in_the_same_order():
    from django.core.paginator import Paginator

    from jigai.registry.paging import DeferredJoinPaginator

    _many_projects()
    qs = selectors.project_list(actor=make_user("province"), filters={"sort": "-cumulative"})
    for number in (1, 2, 3):
        plain, deferred = Paginator(qs, 20).page(number), DeferredJoinPaginator(qs, 20).page(number)
        assert list(deferred) == list(plain) and len(deferred) == len(plain)
        assert deferred.start_index() == plain.start_index()


@pytest.mark.parametrize(("role", "region"), [("county", "410102"), ("city", "410100"), ("province", None)])
def test_reviewer_counts_in_one_pass_equal_the_lists(role, region):
    _many_projects()
    Project.objects.filter(name="项目03").update(library_status=S.COUNTY_CHECKED)
    actor = make_user(role, region) if region else make_user(role)
    as_of = dt.date(2022, 3, 10)
    counts = selectors.reviewer_project_counts(actor=actor, as_of=as_of)
    assert counts == {
        "queue": selectors.project_queue(actor=actor).count(),
        "missing": selectors.projects_missing_statistics(actor=actor, as_of=as_of).count(),
        "in_library": selectors.project_list(actor=actor, filters={"status": S.IN_LIBRARY}).count(),
    }
    assert counts["missing"] > 0
