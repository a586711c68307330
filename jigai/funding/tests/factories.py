"""Test data for the funding app: guidelines, registry objects with facts that the calculator accepts,
applications driven through the real services to any state."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jigai.accounts.tests.factories import make_enterprise, make_user
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Guideline, GuidelineStatus, ItemGroup
from jigai.registry.models import Platform, Product, Project, Qualification, Title
from jigai.registry.uscc import check_character

_seq = itertools.count(1)

# The payee's account every payment carries (services.payments.clean_payee: all three required).
PAYEE = {
    "payee_name": "华创智能装备有限公司",
    "payee_bank": "中国银行郑州分行",
    "payee_account": "4100123456789012",
}

DEFAULT_ITEMS = ["3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.2.1-insurance", "3.3.2", "3.3.1-cultivation", "3.4.1"]
DEFAULT_BUDGETS = {
    ItemGroup.TRANSFORMATION: Decimal("20000000"),
    ItemGroup.NEW_PRODUCT: Decimal("5000000"),
    ItemGroup.PLATFORM: Decimal("10000000"),
    ItemGroup.DEMONSTRATION: Decimal("3000000"),
}


def valid_uscc(region_code: str = "410102") -> str:
    first17 = f"91{region_code}{next(_seq):09d}"
    return first17 + check_character(first17)


def enterprise(region_code: str = "410102", **fields: Any):
    fields.setdefault("uscc", valid_uscc(region_code))
    fields.setdefault("contact_person", "张三")
    fields.setdefault("contact_phone", "13812345678")
    return make_enterprise(region_code, **fields)


def enterprise_user(region_code: str = "410102", ent: Any = None, **fields: Any):
    ent = ent or enterprise(region_code)
    return make_user("enterprise", enterprise=ent, **fields)


def guideline(
    *,
    actor: Any = None,
    items: list[str] | None = None,
    budgets: dict | None = None,
    year: int | None = None,
    overrides: dict | None = None,
    publish: bool = True,
    notice_days: int = 5,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    leading_goose_items: list[str] | None = None,
) -> Guideline:
    actor = actor or make_user("province")
    now = timezone.now()
    g = services.guideline_create(
        actor=actor,
        data={
            "year": year or timezone.localdate().year,
            "title": f"{year or timezone.localdate().year}年度省级制造业高质量发展专项资金申报指南",
            "items": items or DEFAULT_ITEMS,
            "opens_at": opens_at or now - dt.timedelta(days=1),
            "closes_at": closes_at or now + dt.timedelta(days=30),
            "notice_days": notice_days,
            "parameter_overrides": overrides or {},
            "leading_goose_items": leading_goose_items or [],
        },
        budgets=budgets if budgets is not None else DEFAULT_BUDGETS,
    )
    if publish:
        g = services.guideline_publish(actor=actor, guideline=g)
    assert g.status == (GuidelineStatus.PUBLISHED if publish else GuidelineStatus.DRAFT)
    return g


def project(
    ent: Any,
    *,
    equipment: str = "9000000",
    software: str = "3000000",
    category: str = "intelligent",
    machine: str = "0",
    **fields: Any,
) -> Project:
    today = timezone.localdate()
    return Project.objects.create(
        enterprise=ent,
        name=fields.pop("name", f"智能化改造项目{next(_seq)}"),
        category=category,
        total_investment=Decimal(equipment) + Decimal(software) + Decimal(machine) + Decimal("1000000"),
        equipment_investment=Decimal(equipment),
        software_investment=Decimal(software),
        machine_purchase_investment=Decimal(machine),
        is_machine_replacement=Decimal(machine) > 0,
        planned_start=today - dt.timedelta(days=200),
        planned_end=today + dt.timedelta(days=200),
        **fields,
    )


def qualification(
    ent: Any, kind: str, *, valid_from: dt.date, valid_to: dt.date, verified: bool = True
) -> Qualification:
    """A qualification; verified by the province unless `verified=False` (a claim nobody vouched for)."""
    fields: dict[str, Any] = {"status": "verified" if verified else "submitted"}
    if verified:
        fields["verified_by"] = make_user("province")
        fields["verified_at"] = timezone.now()
    return Qualification.objects.create(
        enterprise=ent, kind=kind, valid_from=valid_from, valid_to=valid_to, **fields
    )


def award_product(
    ent: Any, invoiced: str, *, invoice: str | None = None, code: str = "4100221130"
) -> Product:
    """A nationally recognised first-set product (三（二）1) with one sales invoice of `invoiced` yuan; the
    enterprise declares R&D and manufacturing in Henan and the county has confirmed it."""
    from jigai.registry.models import ProductRecognition, SalesInvoice

    type(ent).objects.filter(pk=ent.pk).update(in_henan_declared=True, in_henan_confirmed=True)
    product = Product.objects.create(enterprise=ent, kind="first_set", name=f"首台套装备{next(_seq)}")
    ProductRecognition.objects.create(
        product=product, level="national", recognized_on=timezone.localdate() - dt.timedelta(days=300)
    )
    SalesInvoice.objects.create(
        product=product,
        code=code,
        number=invoice or f"{next(_seq):08d}",
        invoice_date=timezone.localdate() - dt.timedelta(days=100),
        amount=Decimal(invoiced),
    )
    return product


def internet_platform(
    ent: Any, *, status: str = "cultivation", accepted_on: dt.date | None = None
) -> Platform:
    return Platform.objects.create(
        enterprise=ent,
        kind="industrial_internet",
        name=f"工业互联网平台{next(_seq)}",
        internet_status=status,
        accepted_on=accepted_on,
    )


def cultivation_centre(ent: Any, *, investment: str = "4000000") -> Platform:
    return Platform.objects.create(
        enterprise=ent,
        kind="innovation_center",
        name=f"创新中心{next(_seq)}",
        level="cultivation",
        completed=True,
        rd_pilot_equipment_investment=Decimal(investment),
    )


def insured_product(ent: Any) -> Product:
    """A provincially recognised first-set product insured for three years (the contract's E07)."""
    from jigai.registry.models import InsurancePeriod, InsurancePolicy, ProductRecognition

    product = Product.objects.create(enterprise=ent, kind="first_set", name=f"首台套装备{next(_seq)}")
    ProductRecognition.objects.create(product=product, level="provincial", recognized_on=dt.date(2021, 12, 1))
    policy = InsurancePolicy.objects.create(product=product, insured_amount=Decimal("20000000"))
    for start, months, premium in (
        (dt.date(2022, 1, 1), 12, "700000"),
        (dt.date(2023, 1, 1), 12, "500000"),
        (dt.date(2024, 1, 1), 24, "900000"),
    ):
        InsurancePeriod.objects.create(policy=policy, start=start, months=months, premium=Decimal(premium))
    return product


def title(ent: Any, kind: str = "green_factory") -> Title:
    return Title.objects.create(enterprise=ent, kind=kind, awarded_by="miit", awarded_on=dt.date(2023, 5, 1))


def draft(user: Any, g: Guideline, *, item: str = "3.1.1", target: Any = None, **kw: Any) -> Application:
    target = target or project(user.enterprise)
    return services.application_create_draft(actor=user, guideline=g, item=item, target=target, **kw)


def submitted(user: Any, g: Guideline, **kw: Any) -> Application:
    return services.application_submit(actor=user, application=draft(user, g, **kw))


class Cast:
    """One of each reviewer for the default region 中原区 / 郑州市, plus two experts and two finance users."""

    def __init__(self) -> None:
        self.county = make_user("county", "410102")
        self.city = make_user("city", "410100")
        self.province = make_user("province")
        self.experts = [make_user("expert"), make_user("expert")]
        self.finance = [make_user("finance"), make_user("finance")]


def to_status(
    app: Application, status: str, cast: Cast, *, scores: tuple[int, ...] = (80, 90)
) -> Application:
    """Drive a submitted application forward through the real services until it reaches `status`."""
    order = [
        AppStatus.SUBMITTED,
        AppStatus.COUNTY_APPROVED,
        AppStatus.CITY_RECOMMENDED,
        AppStatus.FORMAL_CHECKED,
        AppStatus.REVIEWED,
    ]
    actors = {
        AppStatus.SUBMITTED: cast.county,
        AppStatus.COUNTY_APPROVED: cast.city,
        AppStatus.CITY_RECOMMENDED: cast.province,
    }
    while app.status != status and app.status in order[:-1]:
        if app.status == AppStatus.FORMAL_CHECKED:
            score_by_experts(app, cast, scores)
            actor = cast.province
        else:
            actor = actors[app.status]
        app = services.application_transition(actor=actor, application=app, action="approve", comment="同意")
    return app


def score_by_experts(app: Application, cast: Cast, totals: tuple[int, ...]) -> None:
    experts = cast.experts[: len(totals)]
    assignments = services.expert_assign(actor=cast.province, application=app, experts=experts)
    for assignment, total in zip(assignments, totals, strict=True):
        services.expert_declare(actor=assignment.expert, assignment=assignment, has_conflict=False)
        services.expert_score(
            actor=assignment.expert,
            assignment=assignment,
            scores=rubric_scores(total),
            comment="技术先进，效益明显。",
        )


def rubric_scores(total: int) -> dict[str, str]:
    """Spread a total over the rubric (30/25/25/20) without exceeding any maximum."""
    parts = {}
    left = Decimal(total)
    for key, _label, top in services.RUBRIC:
        give = min(Decimal(top), left)
        parts[key] = str(give)
        left -= give
    return parts
