"""Test data of the registry (factory_boy). `make_user("enterprise")` in accounts' factories uses
EnterpriseFactory, so every enterprise user gets a confirmed enterprise with a valid credit code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from jigai.registry.models import (
    Enterprise,
    EnterpriseStatus,
    InsurancePeriod,
    InsurancePolicy,
    LibraryStatus,
    Platform,
    PlatformKind,
    Product,
    ProductKind,
    ProductRecognition,
    Project,
    Qualification,
    QualificationStatus,
    SalesInvoice,
    Title,
)
from jigai.registry.uscc import check_character


def valid_uscc(n: int, first: str = "9") -> str:
    """A valid 18-character credit code numbered n (GB 32100-2015 check character)."""
    body = f"{first}1410100MA{n:07d}"
    return body + check_character(body)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: valid_uscc(n + 1))
    name = factory.Sequence(lambda n: f"河南测试制造{n}有限公司")
    region = factory.LazyFunction(lambda: _region("410102"))
    industry_section = "C"
    industry_division = "35"
    size = "medium"
    above_designated_size = True
    contact_person = "张经理"
    contact_phone = "13800000000"
    status = EnterpriseStatus.CONFIRMED
    # 研发、生产在河南省内 declared and checked (tests about in_henan itself set these explicitly).
    in_henan_declared = True
    in_henan_confirmed = True


def _region(code: str):
    from jigai.accounts.tests.factories import ensure_region

    return ensure_region(code)


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "leading_goose"
    level = "provincial"
    valid_from = dt.date(2022, 1, 1)
    valid_to = dt.date(2024, 12, 31)
    # Verified by an officer unless the test is about verification (then status="submitted" explicitly).
    status = QualificationStatus.VERIFIED


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"智能化改造项目{n}")
    category = "intelligent"
    total_investment = Decimal("20000000")
    equipment_investment = Decimal("9000000")
    software_investment = Decimal("3000000")
    machine_purchase_investment = Decimal("0")
    planned_start = dt.date(2022, 1, 1)
    planned_end = dt.date(2023, 12, 31)
    library_status = LibraryStatus.DRAFT


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = ProductKind.FIRST_SET
    name = factory.Sequence(lambda n: f"大型盾构机{n}")


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductRecognition

    product = factory.SubFactory(ProductFactory)
    level = "provincial"
    recognized_on = dt.date(2021, 12, 1)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurancePolicy

    product = factory.SubFactory(ProductFactory)
    insurer = "人保财险河南分公司"
    insured_amount = Decimal("20000000")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurancePeriod

    policy = factory.SubFactory(PolicyFactory)
    start = dt.date(2022, 1, 1)
    months = 12
    premium = Decimal("500000")


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesInvoice

    product = factory.SubFactory(ProductFactory)
    number = factory.Sequence(lambda n: f"4100{n:08d}")
    invoice_date = dt.date(2022, 5, 1)
    amount = Decimal("1000000")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = PlatformKind.INDUSTRIAL_INTERNET
    name = factory.Sequence(lambda n: f"工业互联网平台{n}")
    internet_status = "cultivation"


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Title

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "green_factory"
    awarded_by = "miit"
    awarded_on = dt.date(2022, 3, 1)
