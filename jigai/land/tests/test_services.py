"""Land services: the build-first-check-later workflow, the waiver exact to the fen, rates as dated data
(an old rate kept for a checked case), the scope of every role, the figures and the priority list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from jigai.funding.tests import factories as ff
from jigai.land import selectors, services
from jigai.land.models import CaseStatus, FeeKind, LandCase, LandCaseEvent, LandNeed
from jigai.land.rates import city_code_of, waived
from jigai.notifications.models import Notification
from jigai.registry.models import LibraryStatus, QualificationKind

from . import factories as lf

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def cast():
    return lf.users()


@pytest.fixture
def luoyang_rates():
    lf.rates("410300", "321.45", "118.30")


# ---------------------------------------------------------------------------------------------- arithmetic


def test_waived_is_decimal_half_up_to_the_fen():
    assert waived(D("12345.67"), D("321.45")) == D("3968515.62")  # 3968515.6215
    assert waived(D("0.50"), D("0.01")) == D("0.01")  # 0.005 half up (banker's rounding would give 0.00)
    with pytest.raises(TypeError):
        waived(1000.0, D("1"))  # type: ignore[arg-type]


def test_city_of_a_region_path():
    assert city_code_of("410000/410300/410305") == "410300"
    assert city_code_of("410000/419001") == "419001"
    assert city_code_of("410000") == ""


# ---------------------------------------------------------------------------------------------- workflow


def test_county_records_city_checks_and_the_waiver_is_frozen_exactly(cast, luoyang_rates):
    project = lf.zero_project("410305", area="12345.67")
    case = lf.case(project, cast["county"], to="completed")
    assert case.status == CaseStatus.COMPLETED
    # the city is told the case waits for its check
    assert Notification.objects.filter(recipient=cast["city"], kind="land.completed").exists()
    case = services.land_case_move(
        actor=cast["city"],
        case=case,
        action="pass",
        data={"on": dt.date.today(), "checking_unit": "洛阳市自然资源和规划局"},
    )
    assert case.status == CaseStatus.PASSED
    assert case.premium_waived == D("3968515.62")
    assert case.municipal_waived == D("1460492.76")  # 1460492.761
    assert case.waived_total == case.premium_waived + case.municipal_waived
    assert case.premium_per_m2 == D("321.45") and case.premium_valid_from == dt.date(2020, 1, 1)
    assert case.premium_rate.kind == FeeKind.PREMIUM
    actions = list(LandCaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["register", "start", "complete", "pass"]
    verbs = list(
        AuditEvent.objects.filter(target_type="land.landcase", target_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert verbs == ["create", "land_start", "land_complete", "accept"]


def test_roles_move_only_their_steps(cast, luoyang_rates):
    case = lf.case(lf.zero_project("410305"), cast["county"], to="started")
    with pytest.raises(Conflict):  # the city does not record completion
        services.land_case_move(
            actor=cast["city"], case=case, action="complete", data={"on": dt.date.today()}
        )
    case = services.land_case_move(
        actor=cast["county"], case=case, action="complete", data={"on": dt.date.today()}
    )
    with pytest.raises(Conflict):  # the county does not check
        services.land_case_move(
            actor=cast["county"], case=case, action="pass", data={"on": dt.date.today(), "checking_unit": "x"}
        )
    with pytest.raises(NotFound):  # another city's reviewer never reaches it
        services.land_case_move(
            actor=cast["city2"], case=case, action="pass", data={"on": dt.date.today(), "checking_unit": "x"}
        )
    with pytest.raises(InvalidInput) as e:  # a fail needs its reason
        services.land_case_move(
            actor=cast["city"],
            case=case,
            action="fail",
            data={"on": dt.date.today(), "checking_unit": "市局"},
        )
    assert "comment" in e.value.errors
    case = services.land_case_move(
        actor=cast["city"],
        case=case,
        action="fail",
        data={"on": dt.date.today(), "checking_unit": "市局", "comment": "超出红线"},
    )
    assert case.status == CaseStatus.FAILED and case.waived_total is None
    with pytest.raises(Conflict) as repeated:
        services.land_case_move(
            actor=cast["city"],
            case=case,
            action="fail",
            data={"on": dt.date.today(), "checking_unit": "市局"},
        )
    assert repeated.value.code == "repeated_transition"
    case = services.land_case_move(
        actor=cast["county"], case=case, action="recheck", data={"comment": "已整改"}
    )
    assert case.status == CaseStatus.COMPLETED and case.check_result == ""


def test_dates_are_checked(cast, luoyang_rates):
    case = lf.case(lf.zero_project("410305"), cast["county"])
    with pytest.raises(InvalidInput) as e:
        services.land_case_move(
            actor=cast["county"],
            case=case,
            action="start",
            data={"on": dt.date.today() + dt.timedelta(days=1)},
        )
    assert "on" in e.value.errors
    case = services.land_case_move(
        actor=cast["county"], case=case, action="start", data={"on": dt.date.today() - dt.timedelta(days=5)}
    )
    with pytest.raises(InvalidInput):  # completion before the start
        services.land_case_move(
            actor=cast["county"],
            case=case,
            action="complete",
            data={"on": dt.date.today() - dt.timedelta(days=9)},
        )
    assert LandCase.objects.get(pk=case.pk).status == CaseStatus.STARTED


def test_register_rules(cast, luoyang_rates):
    plain = lf.zero_project("410305", zero_new_land=False)
    with pytest.raises(InvalidInput) as e:
        services.land_case_register(actor=cast["county"], project=plain, data={})
    assert "project" in e.value.errors
    project = lf.zero_project("410305", area="800.00")
    with pytest.raises(NotFound):  # 西工区's county does not reach a 涧西区 project
        services.land_case_register(actor=cast["county2"], project=project, data={})
    with pytest.raises(AccessDenied):  # the city checks; it does not register
        services.land_case_register(actor=cast["city"], project=project, data={})
    case = services.land_case_register(actor=cast["county"], project=project, data={})
    assert case.added_floor_area == D("800.00")  # from the project
    with pytest.raises(Conflict):
        services.land_case_register(actor=cast["county"], project=project, data={})


def test_zoned_city_needs_the_zone(cast):
    lf.rates("410300", "300.00", "100.00", zone="一类区域")
    lf.rates("410300", "200.00", "80.00", zone="二类区域")
    project = lf.zero_project("410305", area="100.00")
    with pytest.raises(InvalidInput) as e:
        services.land_case_register(actor=cast["county"], project=project, data={"zone": ""})
    assert "zone" in e.value.errors
    case = lf.case(project, cast["county"], to="passed", zone="二类区域", city=cast["city"])
    assert case.premium_waived == D("20000.00") and case.municipal_waived == D("8000.00")


def test_no_rate_in_force_refuses_the_check_and_changes_nothing(cast):
    case = lf.case(lf.zero_project("410305"), cast["county"], to="completed")
    with pytest.raises(InvalidInput) as e:
        services.land_case_move(
            actor=cast["city"],
            case=case,
            action="pass",
            data={"on": dt.date.today(), "checking_unit": "市局"},
        )
    assert "土地出让金" in e.value.message and "市政设施配套费" in e.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.waived_total is None


# ---------------------------------------------------------------------------------------------- rates


def test_a_new_rate_never_changes_a_checked_amount(cast, luoyang_rates):
    project = lf.zero_project("410305", area="1000.00")
    case = lf.case(project, cast["county"], to="passed", city=cast["city"])
    assert case.waived_total == D("439750.00")  # 1000 × (321.45 + 118.30)
    old = case.premium_rate
    # the city raises its rates from a date before the check: a recomputation would pick them up
    for kind, value in ((FeeKind.PREMIUM, D("999.99")), (FeeKind.MUNICIPAL, D("500.00"))):
        services.fee_rate_create(
            actor=cast["city"],
            data={
                "city": "410300",
                "kind": kind,
                "per_m2": value,
                "valid_from": dt.date.today() - dt.timedelta(days=1),
            },
        )
    case.refresh_from_db()
    assert case.waived_total == D("439750.00") and case.premium_rate == old
    assert selectors.land_figures(cast["city"], year=dt.date.today().year)[0]["amount_waived"] == D(
        "439750.00"
    )
    with pytest.raises(Conflict):  # a rate a checked case used is never deleted
        services.fee_rate_delete(actor=cast["city"], rate=old, reason="录错")
    # an unchecked case is estimated with the rates in force now
    other = lf.case(lf.zero_project("410305", area="10.00"), cast["county"], to="completed")
    est = selectors.estimate(other)
    assert est.premium_waived == D("9999.90") and est.total == D("14999.90")


def test_who_sets_rates(cast):
    data = {
        "city": "410300",
        "kind": FeeKind.PREMIUM,
        "per_m2": D("100.00"),
        "valid_from": dt.date(2024, 1, 1),
    }
    with pytest.raises(AccessDenied):
        services.fee_rate_create(actor=cast["county"], data=data)
    with pytest.raises(InvalidInput):  # 郑州 does not set 洛阳's rates
        services.fee_rate_create(actor=cast["city2"], data=data)
    rate = services.fee_rate_create(actor=cast["city"], data=data)
    with pytest.raises(InvalidInput):  # the same day twice
        services.fee_rate_create(actor=cast["province"], data=data)
    services.fee_rate_create(
        actor=cast["province"], data={**data, "city": "419001"}
    )  # the province: any city
    with pytest.raises(NotFound):
        services.fee_rate_delete(actor=cast["city2"], rate=rate, reason="x")
    services.fee_rate_delete(actor=cast["city"], rate=rate, reason="录错")
    assert AuditEvent.objects.filter(target_type="land.feerate", action="delete").count() == 1


# ---------------------------------------------------------------------------------------------- scope


def test_each_role_sees_its_own(cast, luoyang_rates):
    jianxi = lf.case(lf.zero_project("410305"), cast["county"])
    xigong = lf.case(lf.zero_project("410303"), cast["county2"])
    from jigai.accounts.tests.factories import make_user

    zhongyuan = lf.case(lf.zero_project("410102"), make_user("county", "410102"))
    owner = ff.enterprise_user(ent=jianxi.project.enterprise)

    def seen(actor):
        return set(selectors.case_list(actor=actor).values_list("pk", flat=True))

    assert seen(cast["county"]) == {jianxi.pk}
    assert seen(cast["county2"]) == {xigong.pk}
    assert seen(cast["city"]) == {jianxi.pk, xigong.pk}
    assert seen(cast["city2"]) == {zhongyuan.pk}
    assert seen(cast["province"]) == {jianxi.pk, xigong.pk, zhongyuan.pk}
    assert seen(cast["leader"]) == {jianxi.pk, xigong.pk, zhongyuan.pk}
    assert seen(owner) == {jianxi.pk}
    # the enterprise reads its own, read-only: no moves, and a move is refused
    screen = selectors.case_detail(actor=owner, pk=jianxi.pk)
    assert screen.moves == []
    with pytest.raises(NotFound):
        services.land_case_move(actor=owner, case=jianxi, action="start", data={"on": dt.date.today()})
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.case_detail(actor=owner, pk=xigong.pk)
    with pytest.raises(Http404):
        selectors.case_detail(actor=cast["county"], pk=xigong.pk)
    for role in ("bank", "finance"):
        with pytest.raises(AccessDenied):
            selectors.case_list(actor=cast[role])


# ---------------------------------------------------------------------------------------------- figures


def test_land_figures_per_city_and_year(cast, luoyang_rates):
    lf.rates("410100", "200.00", "100.00")
    from jigai.accounts.tests.factories import make_user

    zz = make_user("county", "410102")
    zz_city = cast["city2"]
    lf.case(lf.zero_project("410305", area="1000.00"), cast["county"], to="passed", city=cast["city"])
    lf.case(lf.zero_project("410303", area="0.50"), cast["county2"], to="passed", city=cast["city"])
    lf.case(lf.zero_project("410102", area="10.00"), zz, to="passed", city=zz_city)
    lf.case(
        lf.zero_project("410305", area="5000.00"), cast["county"], to="completed"
    )  # not checked: not counted
    year = dt.date.today().year
    figures = {f["region_code"]: f for f in selectors.land_figures(cast["province"], year=year)}
    assert set(figures) == {"410100", "410300"}
    ly = figures["410300"]
    assert ly["projects"] == 2 and ly["added_floor_area"] == D("1000.50")
    # 1000 × 321.45 + round(0.5 × 321.45) = 321450 + 160.73;
    # 1000 × 118.30 + round(0.5 × 118.30) = 118300 + 59.15
    assert ly["premium_waived"] == D("321610.73") and ly["municipal_waived"] == D("118359.15")
    assert ly["amount_waived"] == D("439969.88")
    assert figures["410100"]["amount_waived"] == D("3000.00")
    assert [f["region_code"] for f in selectors.land_figures(cast["city"], year=year)] == ["410300"]
    counties = {f["region_code"] for f in selectors.land_figures(cast["city"], year=year, group_by="county")}
    assert counties == {"410305", "410303"}
    assert selectors.land_figures(cast["province"], year=year - 1) == []


# ---------------------------------------------------------------------------------------------- priority


def test_priority_list_follows_the_rule(cast):
    from jigai.accounts.tests.factories import make_user

    def need(region, total, area, **fields):
        project = lf.zero_project(region, zero_new_land=False, added_floor_area=None, **fields)
        project.total_investment = D(total)
        project.save()
        actor = cast["county"] if region == "410305" else make_user("county", region)
        return services.land_need_create(actor=actor, project=project, data={"area": D(area)})

    low = need("410305", "10000000", "1000")  # intensity 10,000
    high = need("410305", "50000000", "1000")  # intensity 50,000
    not_in_library = need("410305", "900000000", "1000", library_status=LibraryStatus.COUNTY_CHECKED)
    honoured = need("410303", "10000000", "2000")  # intensity 5,000 but a 头雁 enterprise
    ff.qualification(
        honoured.project.enterprise,
        QualificationKind.LEADING_GOOSE,
        valid_from=dt.date.today() - dt.timedelta(days=30),
        valid_to=dt.date.today() + dt.timedelta(days=300),
    )
    rows = selectors.priority_list(actor=cast["city"])
    assert [r.need.pk for r in rows] == [honoured.pk, high.pk, low.pk, not_in_library.pk]
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert [r.need.pk for r in selectors.priority_list(actor=cast["county"])] == [
        high.pk,
        low.pk,
        not_in_library.pk,
    ]
    services.land_need_meet(actor=cast["county"], need=high, met_on=dt.date.today())
    assert high.pk not in {r.need.pk for r in selectors.priority_list(actor=cast["city"])}
    with pytest.raises(Conflict):
        services.land_need_meet(actor=cast["county"], need=high, met_on=dt.date.today())
    with pytest.raises(AccessDenied):
        selectors.priority_list(actor=cast["leader"])
    assert LandNeed.objects.restrict(ff.enterprise_user(ent=low.project.enterprise)).count() == 0
