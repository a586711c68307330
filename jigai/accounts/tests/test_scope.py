"""The scope gate, role by role (design.md: every list and object is filtered by role and region)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from jigai.accounts.models import User
from jigai.accounts.roles import Role
from jigai.accounts.scope import (
    NOTHING,
    ScopedQuerySet,
    enterprise_q,
    get_scoped_or_404,
    is_province_level,
    own_q,
    region_q,
)
from jigai.accounts.tests.factories import ensure_region, make_enterprise, make_user
from jigai.regions.models import Region
from jigai.registry.models import Enterprise

pytestmark = pytest.mark.django_db

CODES = ["410000", "410100", "410102", "410103", "410300", "410302", "419001"]


@pytest.fixture
def tree():
    for code in CODES:
        ensure_region(code)


@pytest.fixture
def enterprises(tree):
    # One enterprise in each of: 中原区, 二七区 (both 郑州), 老城区 (洛阳), 济源.
    return {code: make_enterprise(code) for code in ["410102", "410103", "410302", "419001"]}


def regions_seen(actor) -> set[str]:
    return set(
        Region.objects.filter(region_q(actor, "")).filter(code__in=CODES).values_list("code", flat=True)
    )


def enterprises_seen(actor) -> set[str]:
    return set(Enterprise.objects.filter(region_q(actor, "region")).values_list("region_id", flat=True))


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.LEADER, Role.FINANCE])
def test_province_level_roles_see_everything(tree, enterprises, role):
    actor = make_user(role)
    assert is_province_level(actor)
    assert regions_seen(actor) == set(CODES)
    assert enterprises_seen(actor) == {"410102", "410103", "410302", "419001"}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECADMIN, Role.AUDITADMIN])
def test_administrators_see_no_business_data(tree, enterprises, role):
    """三权分立 (issue 12): the administrators run the system; no region's business rows are theirs."""
    actor = make_user(role)
    assert not is_province_level(actor)
    assert regions_seen(actor) == set()
    assert enterprises_seen(actor) == set()


def test_city_sees_itself_and_its_counties_not_another_city(tree, enterprises):
    actor = make_user(Role.CITY, "410100")
    assert regions_seen(actor) == {"410100", "410102", "410103"}
    assert enterprises_seen(actor) == {"410102", "410103"}


def test_jiyuan_city_user_sees_jiyuan_only(tree, enterprises):
    actor = make_user(Role.CITY, "419001")
    assert enterprises_seen(actor) == {"419001"}


def test_county_sees_only_its_own_county(tree, enterprises):
    actor = make_user(Role.COUNTY, "410102")
    assert regions_seen(actor) == {"410102"}
    assert enterprises_seen(actor) == {"410102"}


def test_region_prefix_does_not_leak_to_a_sibling_with_a_longer_code(tree):
    # A path that merely starts with the same characters is not "below" the region.
    Region.objects.create(code="41010X", name="假区划", level="county", path="410000/410100/410102X")
    actor = make_user(Role.COUNTY, "410102")
    assert "41010X" not in set(Region.objects.filter(region_q(actor, "")).values_list("code", flat=True))


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.EXPERT, Role.BANK])
def test_roles_without_regional_scope_get_nothing_from_region_q(tree, enterprises, role):
    actor = make_user(role)
    assert region_q(actor, "region") == NOTHING
    assert enterprises_seen(actor) == set()


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CITY])
def test_regional_role_without_a_region_gets_nothing(tree, enterprises, role):
    actor = make_user(Role.PROVINCE)
    actor.role = role
    actor.region = None
    assert enterprises_seen(actor) == set()


def test_leader_is_read_only(tree, enterprises):
    actor = make_user(Role.LEADER)
    assert region_q(actor, "region", "view") == region_q(make_user(Role.PROVINCE), "region")
    assert region_q(actor, "region", "change") == NOTHING
    assert region_q(make_user(Role.PROVINCE), "region", "change") != NOTHING


def test_anonymous_and_inactive_get_nothing(tree, enterprises):
    assert region_q(AnonymousUser(), "region") == NOTHING
    assert region_q(None, "region") == NOTHING
    inactive = make_user(Role.PROVINCE, is_active=False)
    assert region_q(inactive, "region") == NOTHING
    assert not User.objects.restrict(AnonymousUser()).exists()
    assert not User.objects.restrict(inactive).exists()


def test_enterprise_q_is_the_own_enterprise_only(enterprises):
    ent = enterprises["410102"]
    actor = make_user(Role.ENTERPRISE, enterprise=ent)
    assert list(Enterprise.objects.filter(enterprise_q(actor, "pk"))) == [ent]
    assert enterprise_q(make_user(Role.PROVINCE), "pk") == NOTHING
    assert enterprise_q(AnonymousUser(), "pk") == NOTHING


def test_own_q(tree):
    a = make_user(Role.EXPERT)
    make_user(Role.EXPERT)
    assert list(User.objects.filter(own_q(a, "pk"))) == [a]
    assert own_q(AnonymousUser(), "pk") == NOTHING


def test_user_scope_admin_sees_all_others_only_themselves(tree):
    admin = make_user(Role.ADMIN)
    county = make_user(Role.COUNTY)
    city = make_user(Role.CITY)
    assert set(User.objects.restrict(admin)) == {admin, county, city}
    assert list(User.objects.restrict(county)) == [county]
    assert list(User.objects.restrict(city)) == [city]
    assert not User.objects.restrict(county, "change").exists()
    # 三权分立: the system administrator changes no administrator's account, their own included.
    secadmin = make_user(Role.SECADMIN)
    assert set(User.objects.restrict(admin)) == {admin, county, city, secadmin}
    assert set(User.objects.restrict(admin, "change")) == {county, city}
    assert set(User.objects.restrict(secadmin, "secure")) == {admin, county, city, secadmin}
    assert not User.objects.restrict(admin, "secure").exists()
    assert not User.objects.restrict(make_user(Role.AUDITADMIN), "change").exists()


def test_get_scoped_or_404_same_answer_for_out_of_scope_and_missing(tree):
    admin = make_user(Role.ADMIN)
    county = make_user(Role.COUNTY)
    assert get_scoped_or_404(User, admin, pk=county.pk) == county
    assert get_scoped_or_404(User.objects, county, pk=county.pk) == county
    assert get_scoped_or_404(User.objects.all(), county, pk=county.pk) == county
    for bad in [admin.pk, 999999, "not-a-number"]:
        with pytest.raises(Http404):
            get_scoped_or_404(User.objects.all(), county, pk=bad)
    with pytest.raises(Http404):
        get_scoped_or_404(User, AnonymousUser(), pk=county.pk)


def test_scoped_queryset_calls_the_models_scope_q(tree):
    assert isinstance(User.objects.all(), ScopedQuerySet)
