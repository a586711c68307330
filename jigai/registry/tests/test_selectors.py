"""Who sees what: every role against own / other enterprise, region, city (NetBox-style matrix)."""

import datetime as dt

import pytest
from django.http import Http404

from jigai.accounts.tests.factories import ensure_region, make_user
from jigai.registry import selectors
from jigai.registry.models import (
    ConstructionStatus,
    Enterprise,
    InsurancePeriod,
    LibraryStatus,
    Platform,
    PlatformAssessment,
    ProductRecognition,
    ProgressReport,
    Project,
    ProjectEvent,
    Qualification,
    SalesInvoice,
    Title,
)
from jigai.registry.services.progress_totals import store_project_totals

from .factories import (
    EnterpriseFactory,
    InvoiceFactory,
    PeriodFactory,
    PlatformFactory,
    ProjectFactory,
    QualificationFactory,
    RecognitionFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Three enterprises: A in 中原区 (郑州), B in 二七区 (郑州), C in 老城区 (洛阳), each with one of every
    object."""
    ents = {
        "A": EnterpriseFactory(region=ensure_region("410102")),
        "B": EnterpriseFactory(region=ensure_region("410103")),
        "C": EnterpriseFactory(region=ensure_region("410302")),
    }
    for e in ents.values():
        p = ProjectFactory(enterprise=e, library_status=LibraryStatus.IN_LIBRARY)
        ProjectEvent.objects.create(project=p, from_status="draft", to_status="submitted")
        ProgressReport.objects.create(project=p, month=dt.date(2022, 1, 1), investment_completed=1)
        QualificationFactory(enterprise=e)
        RecognitionFactory(product__enterprise=e)
        PeriodFactory(policy__product__enterprise=e)
        InvoiceFactory(product__enterprise=e)
        plat = PlatformFactory(enterprise=e, kind="sme_service", level="provincial", internet_status="none")
        PlatformAssessment.objects.create(platform=plat, year=2022, rank=1)
        TitleFactory(enterprise=e)
    store_project_totals(Project.objects.values_list("pk", flat=True))  # rows written outside the services
    return ents


MODELS = [
    (Enterprise, "pk"),
    (Project, "enterprise"),
    (ProjectEvent, "project__enterprise"),
    (ProgressReport, "project__enterprise"),
    (Qualification, "enterprise"),
    (ProductRecognition, "product__enterprise"),
    (InsurancePeriod, "policy__product__enterprise"),
    (SalesInvoice, "product__enterprise"),
    (Platform, "enterprise"),
    (PlatformAssessment, "platform__enterprise"),
    (Title, "enterprise"),
]


def visible(model, path, actor, world):
    ids = set(model.objects.restrict(actor).values_list(path if path != "pk" else "pk", flat=True))
    return {name for name, e in world.items() if e.pk in ids}


@pytest.mark.parametrize(
    "who, expected",
    [
        (lambda w: make_user("enterprise", enterprise=w["A"]), {"A"}),
        (lambda w: make_user("county", "410102"), {"A"}),  # own county only
        (lambda w: make_user("county", "410103"), {"B"}),  # the other county
        (lambda w: make_user("city", "410100"), {"A", "B"}),  # its counties
        (lambda w: make_user("city", "410300"), {"C"}),  # another city
        (lambda w: make_user("province"), {"A", "B", "C"}),
        (lambda w: make_user("leader"), {"A", "B", "C"}),
        (lambda w: make_user("expert"), set()),
        (lambda w: make_user("bank"), set()),
    ],
    ids=[
        "enterprise",
        "county",
        "other-county",
        "city",
        "other-city",
        "province",
        "leader",
        "expert",
        "bank",
    ],
)
def test_scope_matrix(world, who, expected):
    actor = who(world)
    seen = {model.__name__: visible(model, path, actor, world) for model, path in MODELS}
    assert seen == {model.__name__: expected for model, _ in MODELS}


def test_inactive_and_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    user = make_user("province", is_active=False)
    assert not Project.objects.restrict(user).exists()
    assert not Project.objects.restrict(AnonymousUser()).exists()


def test_get_outside_scope_is_404(world):
    county = make_user("county", "410102")
    selectors.project_get(actor=county, pk=world["A"].projects.get().pk)
    with pytest.raises(Http404):
        selectors.project_get(actor=county, pk=world["B"].projects.get().pk)
    with pytest.raises(Http404):
        selectors.enterprise_get(actor=county, pk=world["C"].pk)
    with pytest.raises(Http404):
        selectors.project_get(actor=county, pk=999999)


def test_queues(world):
    a_project = world["A"].projects.get()
    a_project.library_status = LibraryStatus.SUBMITTED
    a_project.save()
    b_project = world["B"].projects.get()
    b_project.library_status = LibraryStatus.COUNTY_CHECKED
    b_project.save()
    assert list(selectors.project_queue(actor=make_user("county", "410102"))) == [a_project]
    assert list(selectors.project_queue(actor=make_user("county", "410103"))) == []
    assert list(selectors.project_queue(actor=make_user("city", "410100"))) == [b_project]
    assert list(selectors.project_queue(actor=make_user("province"))) == []
    pending = EnterpriseFactory(region=ensure_region("410102"), status="pending")
    assert list(selectors.enterprises_to_confirm(actor=make_user("county", "410102"))) == [pending]
    assert list(selectors.enterprises_to_confirm(actor=make_user("county", "410103"))) == []


def test_missing_statistics_flags_in_library_projects_under_construction_without_last_month(world):
    as_of = dt.date(2022, 3, 10)  # last month: February 2022
    a = world["A"].projects.get()
    a.construction_status = ConstructionStatus.UNDER_CONSTRUCTION
    a.save()
    b = world["B"].projects.get()
    b.construction_status = ConstructionStatus.UNDER_CONSTRUCTION
    b.save()
    ProgressReport.objects.create(project=b, month=dt.date(2022, 2, 1), investment_completed=1)
    store_project_totals([b.pk])
    ProjectFactory(
        enterprise=world["A"],
        library_status=LibraryStatus.SUBMITTED,
        construction_status="under_construction",
    )
    province = make_user("province")
    assert list(selectors.projects_missing_statistics(actor=province, as_of=as_of)) == [a]
    assert selectors.is_missing_statistics(a, as_of) and not selectors.is_missing_statistics(b, as_of)
    assert list(selectors.projects_missing_statistics(actor=make_user("city", "410300"), as_of=as_of)) == []


def test_list_filters(world):
    province = make_user("province")
    a = world["A"]
    assert list(selectors.enterprise_list(actor=province, filters={"q": a.name})) == [a]
    assert list(selectors.enterprise_list(actor=province, filters={"q": a.uscc.lower()})) == [a]
    assert set(selectors.enterprise_list(actor=province, filters={"region": "410100"})) == {a, world["B"]}
    assert list(selectors.enterprise_list(actor=province, filters={"region": "410302"})) == [world["C"]]
    assert set(selectors.project_list(actor=province, filters={"region": "410300"})) == set(
        world["C"].projects.all()
    )
    assert selectors.project_list(actor=province, filters={"status": "draft"}).count() == 0
    assert selectors.project_list(actor=province).get(enterprise=a).cumulative == 1
