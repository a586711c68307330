"""The calculator's facts come from registry objects; fed to the engine they give the spec's amounts
(examples E01, E06, E07, E12 of spec/examples)."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.accounts.tests.factories import ensure_region
from jigai.policy import evaluate_request
from jigai.registry.facts import FactsError, calculator_case, items_for, verified_qualification
from jigai.registry.models import Qualification

from .factories import (
    EnterpriseFactory,
    InvoiceFactory,
    PeriodFactory,
    PlatformFactory,
    PolicyFactory,
    ProductFactory,
    ProjectFactory,
    QualificationFactory,
    RecognitionFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db


def evaluate(case):
    (result,) = evaluate_request({"cases": [case]})["results"]
    assert "error" not in result, result
    return result


def test_e01_intelligent_project_3_1_1():
    ent = EnterpriseFactory(uscc="91410100MAEUHUXQ71")
    project = ProjectFactory(
        enterprise=ent,
        category="intelligent",
        equipment_investment=Decimal("9000000"),
        software_investment=Decimal("3000000"),
    )
    case = calculator_case(obj=project, item="3.1.1", as_of=dt.date(2022, 6, 30))
    assert case["applicant"] == {"uscc": "91410100MAEUHUXQ71", "in_henan": True, "qualifications": []}
    assert case["facts"] == {
        "project_type": "intelligent",
        "equipment_investment": "9000000.00",
        "software_investment": "3000000.00",
    }
    result = evaluate(case)
    assert (result["eligible"], result["amount"]) == (True, "3600000")


def test_e06_machine_replacement_3_1_4():
    project = ProjectFactory(
        is_machine_replacement=True,
        machine_purchase_investment=Decimal("12345678.91"),
        total_investment=Decimal(20_000_000),
    )
    assert "3.1.4" in items_for(project)
    result = evaluate(calculator_case(obj=project, item="3.1.4", as_of=dt.date(2022, 9, 1)))
    assert (result["eligible"], result["amount"]) == (True, "3703703")


def test_e07_first_set_insurance_3_2_1():
    product = ProductFactory(kind="first_set")
    RecognitionFactory(product=product, level="provincial", recognized_on=dt.date(2021, 12, 1))
    policy = PolicyFactory(product=product, insured_amount=Decimal("20000000"))
    PeriodFactory(policy=policy, start=dt.date(2024, 1, 1), months=24, premium=Decimal("900000"))
    PeriodFactory(policy=policy, start=dt.date(2022, 1, 1), months=12, premium=Decimal("700000"))
    PeriodFactory(policy=policy, start=dt.date(2023, 1, 1), months=12, premium=Decimal("500000"))
    # Applied for once all three periods have started (E07 itself sends them all).
    case = calculator_case(obj=product, item="3.2.1-insurance", as_of=dt.date(2024, 3, 1))
    assert [p["start"] for p in case["facts"]["periods"]] == ["2022-01-01", "2023-01-01", "2024-01-01"]
    result = evaluate(case)
    assert (result["eligible"], result["amount"]) == (True, "1240000")
    assert "term_limit" in result["limits_applied"]


def test_insurance_periods_starting_after_the_application_date_do_not_count():
    """三（二）1 “年度保费实际支出”: a period not yet begun on the application date is no premium paid."""
    product = ProductFactory(kind="first_set")
    RecognitionFactory(product=product, level="provincial", recognized_on=dt.date(2021, 12, 1))
    policy = PolicyFactory(product=product, insured_amount=Decimal("20000000"))
    PeriodFactory(policy=policy, start=dt.date(2024, 1, 1), months=24, premium=Decimal("900000"))
    PeriodFactory(policy=policy, start=dt.date(2022, 1, 1), months=12, premium=Decimal("700000"))
    PeriodFactory(policy=policy, start=dt.date(2022, 10, 2), months=12, premium=Decimal("500000"))
    case = calculator_case(obj=product, item="3.2.1-insurance", as_of=dt.date(2022, 10, 1))
    assert [p["start"] for p in case["facts"]["periods"]] == ["2022-01-01"]
    assert evaluate(case)["amount"] == "480000"  # 80% × min(700,000, 3% × 20,000,000)
    on_the_day = calculator_case(obj=product, item="3.2.1-insurance", as_of=dt.date(2022, 10, 2))
    assert [p["start"] for p in on_the_day["facts"]["periods"]] == ["2022-01-01", "2022-10-02"]
    with pytest.raises(FactsError, match="已起保"):
        calculator_case(obj=product, item="3.2.1-insurance", as_of=dt.date(2021, 12, 31))
    with pytest.raises(FactsError):  # the same through a single policy
        calculator_case(obj=policy, item="3.2.1-insurance", as_of=dt.date(2021, 12, 31))


def test_e12_cultivated_industrial_internet_platform_3_3_2():
    platform = PlatformFactory(kind="industrial_internet", internet_status="cultivation", accepted_on=None)
    assert items_for(platform) == ["3.3.2"]
    result = evaluate(calculator_case(obj=platform, item="3.3.2", as_of=dt.date(2022, 8, 1)))
    assert (result["eligible"], result["amount"]) == (True, "5000000")
    assert {s["stage"]: s["amount"] for s in result["schedule"]} == {
        "at_listing": "2000000",
        "after_acceptance": "3000000",
    }


def test_invoices_dated_after_the_application_date_do_not_count_for_software():
    product = ProductFactory(kind="first_version")
    RecognitionFactory(product=product, level="provincial", recognized_on=dt.date(2022, 3, 15))
    InvoiceFactory(product=product, amount=Decimal("1000000"), invoice_date=dt.date(2022, 5, 1))
    InvoiceFactory(product=product, amount=Decimal("2000000"), invoice_date=dt.date(2022, 12, 2))
    case = calculator_case(obj=product, item="3.2.2-award", as_of=dt.date(2022, 12, 1))
    assert case["facts"]["products"][0]["invoices"] == [{"date": "2022-05-01", "amount": "1000000.00"}]
    assert evaluate(case)["amount"] == "200000"  # 20% × 1,000,000: the later invoice is not a sale yet


def test_qualifications_go_into_the_applicant_and_count_on_as_of():
    ent = EnterpriseFactory()
    QualificationFactory(
        enterprise=ent, kind="leading_goose", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2024, 12, 31)
    )
    QualificationFactory(enterprise=ent, kind="green_factory")  # not a calculator qualification
    project = ProjectFactory(
        enterprise=ent, equipment_investment=Decimal(30_000_000), total_investment=Decimal(40_000_000)
    )
    case = calculator_case(obj=project, item="3.1.2", as_of=dt.date(2023, 3, 1))
    assert case["applicant"]["qualifications"] == [
        {"kind": "leading_goose", "valid_from": "2022-01-01", "valid_to": "2024-12-31"}
    ]
    assert evaluate(case)["amount"] == "9900000"  # 30% × 33,000,000
    late_case = calculator_case(obj=project, item="3.1.2", as_of=dt.date(2025, 3, 1))
    assert late_case["applicant"]["qualifications"] == []  # expired on as_of: not sent at all
    late = evaluate(late_case)
    assert late["eligible"] is False and "QUALIFICATION_MISSING" in late["reasons"]


@pytest.mark.parametrize("status", ["submitted", "rejected"])
def test_a_qualification_nobody_vouched_for_never_reaches_the_calculator(status):
    """Issue 7: the enterprise's own `national_little_giant` claim (any file starting with %PDF-) used to
    turn 3.1.3 from 不符合 into a 5,000,000 元 ceiling."""
    ent = EnterpriseFactory()
    q = QualificationFactory(
        enterprise=ent,
        kind="national_little_giant",
        level="national",
        valid_from=dt.date(2022, 1, 1),
        valid_to=dt.date(2024, 12, 31),
        status=status,
    )
    project = ProjectFactory(
        enterprise=ent, equipment_investment=Decimal(30_000_000), total_investment=Decimal(40_000_000)
    )
    case = calculator_case(obj=project, item="3.1.3", as_of=dt.date(2023, 3, 1))
    assert case["applicant"]["qualifications"] == []
    result = evaluate(case)
    assert (result["eligible"], result["amount"]) == (False, "0")
    assert verified_qualification(ent, "national_little_giant", dt.date(2023, 3, 1)) is None
    Qualification.objects.filter(pk=q.pk).update(status="verified")
    assert (
        evaluate(calculator_case(obj=project, item="3.1.3", as_of=dt.date(2023, 3, 1)))["amount"] == "5000000"
    )


def test_verified_qualification_is_verified_and_in_force_on_the_date():
    ent = EnterpriseFactory()
    kind = "leading_goose"
    QualificationFactory(
        enterprise=ent, kind=kind, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2022, 12, 31)
    )
    claim = QualificationFactory(
        enterprise=ent,
        kind=kind,
        valid_from=dt.date(2023, 1, 1),
        valid_to=dt.date(2030, 12, 31),
        status="submitted",
    )
    other = EnterpriseFactory()
    QualificationFactory(
        enterprise=other, kind=kind, valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2030, 1, 1)
    )
    assert verified_qualification(ent, kind, dt.date(2022, 12, 31)).valid_to == dt.date(2022, 12, 31)
    assert verified_qualification(ent, kind, dt.date(2020, 1, 1)) is not None  # first day
    assert verified_qualification(ent, kind, dt.date(2019, 12, 31)) is None  # not yet
    assert verified_qualification(ent, kind, dt.date(2024, 6, 1)) is None  # only a claim then
    assert verified_qualification(ent, "national_little_giant", dt.date(2021, 6, 1)) is None
    Qualification.objects.filter(pk=claim.pk).update(status="verified")
    assert verified_qualification(ent, kind, dt.date(2024, 6, 1)) == claim


@pytest.mark.parametrize(
    "region, declared, confirmed, expected",
    [
        ("410102", True, True, True),
        ("410102", False, None, False),  # not declared
        ("410102", True, None, False),  # declared, not checked yet
        ("410102", True, False, False),  # the county found it untrue
        ("419001", True, True, True),  # Jiyuan
    ],
)
def test_in_henan_is_registration_declaration_and_county_check(region, declared, confirmed, expected):
    ent = EnterpriseFactory(
        region=ensure_region(region), in_henan_declared=declared, in_henan_confirmed=confirmed
    )
    case = calculator_case(obj=ProjectFactory(enterprise=ent), item="3.1.1", as_of=dt.date(2022, 6, 30))
    assert case["applicant"]["in_henan"] is expected


def test_in_henan_needs_a_henan_registration():
    from jigai.registry.models import Enterprise

    outside = Enterprise(region_id="110101", in_henan_declared=True, in_henan_confirmed=True)
    assert outside.registered_in_henan is False and outside.in_henan is False
    inside = Enterprise(region_id="410102", in_henan_declared=True, in_henan_confirmed=True)
    assert inside.in_henan is True


def test_first_set_award_is_refused_outside_henan_until_the_county_confirms():
    product = ProductFactory(kind="first_set", enterprise=EnterpriseFactory(in_henan_confirmed=None))
    RecognitionFactory(product=product, level="national", recognized_on=dt.date(2021, 6, 1))
    InvoiceFactory(product=product, amount=Decimal("30000000"), invoice_date=dt.date(2022, 3, 1))
    result = evaluate(calculator_case(obj=product, item="3.2.1-award", as_of=dt.date(2022, 6, 30)))
    assert result["eligible"] is False and "NOT_IN_HENAN" in result["reasons"]


def test_other_provincial_support_is_passed_through():
    project = ProjectFactory()
    result = evaluate(
        calculator_case(obj=project, item="3.1.1", as_of=dt.date(2022, 6, 30), other_provincial_support=True)
    )
    assert result["reasons"] == ["ALREADY_SUPPORTED"]


def test_first_set_award_sums_invoices_until_as_of():
    product = ProductFactory(kind="first_set")
    RecognitionFactory(product=product, level="national", recognized_on=dt.date(2021, 6, 1))
    InvoiceFactory(product=product, amount=Decimal("30000000"), invoice_date=dt.date(2022, 3, 1))
    InvoiceFactory(product=product, amount=Decimal("50000000"), invoice_date=dt.date(2022, 11, 1))
    case = calculator_case(obj=product, item="3.2.1-award", as_of=dt.date(2022, 6, 30))
    assert case["facts"]["products"][0]["recognitions"] == ["national"]
    assert case["facts"]["products"][0]["sales_invoice_amount"] == "30000000.00"
    assert evaluate(case)["amount"] == "1500000"


def test_software_award_needs_the_provincial_recognition_date():
    product = ProductFactory(kind="first_version")
    InvoiceFactory(product=product, amount=Decimal("1000000"), invoice_date=dt.date(2022, 5, 1))
    with pytest.raises(FactsError):
        calculator_case(obj=product, item="3.2.2-award", as_of=dt.date(2022, 12, 1))
    RecognitionFactory(product=product, level="provincial", recognized_on=dt.date(2022, 3, 15))
    result = evaluate(calculator_case(obj=product, item="3.2.2-award", as_of=dt.date(2022, 12, 1)))
    assert result["amount"] == "200000"


def test_innovation_centre_items():
    centre = PlatformFactory(
        kind="innovation_center",
        level="provincial",
        internet_status="none",
        equipment_investment=Decimal("10000000"),
        service_revenue=Decimal("20000000"),
        promoted_to_national=False,
    )
    assert items_for(centre) == ["3.3.1-cultivation", "3.3.1-provincial", "3.3.1-national-promotion"]
    result = evaluate(calculator_case(obj=centre, item="3.3.1-provincial", as_of=dt.date(2022, 6, 1)))
    assert result["amount"] == "4000000"  # 3,000,000 + 1,000,000
    cultivation = evaluate(calculator_case(obj=centre, item="3.3.1-cultivation", as_of=dt.date(2022, 6, 1)))
    assert cultivation["eligible"] is False


def test_sme_platform_takes_the_latest_assessment_rank():
    from jigai.registry.models import PlatformAssessment

    platform = PlatformFactory(kind="sme_service", level="provincial", internet_status="none")
    PlatformAssessment.objects.create(platform=platform, year=2021, rank=1)
    PlatformAssessment.objects.create(platform=platform, year=2023, rank=3)
    case = calculator_case(obj=platform, item="3.3.3", as_of=dt.date(2022, 5, 1))
    assert case["facts"] == {"level": "provincial", "assessment_rank": 1}
    assert evaluate(case)["amount"] == "500000"


@pytest.mark.parametrize(
    "kind, by, item, amount",
    [
        ("green_factory", "miit", "3.4.1", "1000000"),
        ("green_industrial_park", "state_council", "3.4.2", "2000000"),
        ("new_mode", "province", "3.4.3", "500000"),
        ("green_factory", "province", "3.4.1", "0"),  # not State Council / MIIT
    ],
)
def test_titles(kind, by, item, amount):
    title = TitleFactory(kind=kind, awarded_by=by)
    assert items_for(title) == [item]
    assert evaluate(calculator_case(obj=title, item=item, as_of=dt.date(2022, 6, 1)))["amount"] == amount


def test_an_item_the_object_cannot_apply_for_is_refused():
    with pytest.raises(FactsError):
        calculator_case(obj=ProjectFactory(), item="3.3.2", as_of=dt.date(2022, 6, 1))
    assert "3.1.4" not in items_for(ProjectFactory(is_machine_replacement=False))


def test_a_single_policy_can_be_the_object_of_an_insurance_case():
    product = ProductFactory(kind="first_version")
    RecognitionFactory(product=product, level="provincial", recognized_on=dt.date(2022, 1, 1))
    old = PolicyFactory(product=product, insured_amount=Decimal("1000000"))
    PeriodFactory(policy=old, start=dt.date(2021, 1, 1), months=12, premium=Decimal("90000"))
    policy = PolicyFactory(product=product, insured_amount=Decimal("5000000"))
    PeriodFactory(policy=policy, start=dt.date(2022, 1, 1), months=12, premium=Decimal("50000"))
    assert items_for(policy) == ["3.2.2-insurance"]
    case = calculator_case(obj=policy, item="3.2.2-insurance", as_of=dt.date(2022, 6, 1))
    assert case["facts"]["insured_amount"] == "5000000.00" and len(case["facts"]["periods"]) == 1
    assert evaluate(case)["amount"] == "40000"  # 80% × min(50,000, 3% × 5,000,000)
    # the product as a whole: both policies' periods, the smaller insured amount
    whole = calculator_case(obj=product, item="3.2.2-insurance", as_of=dt.date(2022, 6, 1))
    assert whole["facts"]["insured_amount"] == "1000000.00" and len(whole["facts"]["periods"]) == 2
