"""The simulator's registry population at scale (issue 13, bench/bench_simulator.py): built with a fixed
number of queries whatever the number of projects and enterprises, and case for case the same as the
registry's own case builder (registry.facts.calculator_case) — verified qualifications in force only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jigai.funding.simulator import population as pop
from jigai.funding.tests import factories as f
from jigai.registry import facts as registry_facts
from jigai.registry.models import LibraryStatus, Platform, Product, Project, Title

pytestmark = pytest.mark.django_db


def _registry(n_enterprises: int) -> None:
    today = timezone.localdate()
    for i in range(n_enterprises):
        ent = f.enterprise(("410102", "410305", "419001")[i % 3])
        f.project(ent, equipment=str(9_000_000 + i), library_status=LibraryStatus.IN_LIBRARY)
        f.project(ent, machine="2000000", library_status=LibraryStatus.IN_LIBRARY)
        f.project(ent, library_status=LibraryStatus.DRAFT)  # not in the library: left out
        # in force and verified; expired; a claim nobody vouched for; not one the calculator reads
        f.qualification(ent, "leading_goose", valid_from=today - dt.timedelta(days=30), valid_to=today)
        f.qualification(
            ent, "national_little_giant", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2022, 12, 31)
        )
        f.qualification(
            ent,
            "provincial_specialized",
            valid_from=today - dt.timedelta(days=10),
            valid_to=today + dt.timedelta(days=300),
            verified=i % 2 == 0,
        )
        f.qualification(
            ent,
            "green_factory",
            valid_from=today - dt.timedelta(days=10),
            valid_to=today + dt.timedelta(days=9),
        )
        if i == 0:
            f.award_product(ent, "6000000")
            f.insured_product(ent)
            f.internet_platform(ent)
            f.cultivation_centre(ent)
            f.title(ent)


def _objects():
    return [
        *Project.objects.filter(library_status=LibraryStatus.IN_LIBRARY).order_by("pk"),
        *Product.objects.order_by("pk"),
        *Platform.objects.order_by("pk"),
        *Title.objects.order_by("pk"),
    ]


def test_every_registry_case_is_the_registrys_own_case():
    _registry(4)
    today = timezone.localdate()
    cases, incomplete = pop.from_registry(today)
    expected = []
    missing = 0
    for obj in _objects():
        for item in registry_facts.items_for(obj):
            try:
                expected.append(registry_facts.calculator_case(obj=obj, item=item, as_of=today))
            except registry_facts.FactsError:
                missing += 1
    assert [c.case for c in cases] == expected and incomplete == missing
    assert any(c.case["applicant"]["qualifications"] for c in cases)
    kinds = {q["kind"] for c in cases for q in c.case["applicant"]["qualifications"]}
    assert kinds == {"leading_goose", "provincial_specialized"}  # expired, unverified, other kinds: never
    assert {c.city for c in cases} == {"410100", "410300", "419001"}


def test_the_queries_do_not_grow_with_the_registry():
    today = timezone.localdate()
    _registry(2)
    with CaptureQueriesContext(connection) as small:
        pop.from_registry(today)
    _registry(8)
    with CaptureQueriesContext(connection) as large:
        cases, _ = pop.from_registry(today)
    assert len(cases) > 40
    assert len(large.captured_queries) == len(small.captured_queries)
