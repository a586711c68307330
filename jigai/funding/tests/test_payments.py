"""Payment by stage: schedule from the frozen stages scaled to the grant, maker-checker, paid once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Payment, PaymentStage
from jigai.funding.services.payments import create_stages, payment_schedule
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification
from jigai.web.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db
D = Decimal


def awarded(app, granted):
    """Skip the review (tested elsewhere): an awarded application with its payment plan."""
    Application.objects.filter(pk=app.pk).update(status=AppStatus.AWARDED, granted_amount=D(granted))
    app.refresh_from_db()
    create_stages(app)
    return app


def test_schedule_on_approval_scaled_to_the_grant(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    assert payment_schedule(app) == [("on_approval", D("3000000"))]


def test_schedule_cultivated_platform_40_60(cast, guideline, ent_user):
    platform = f.internet_platform(ent_user.enterprise, status="cultivation")
    app = f.submitted(ent_user, guideline, item="3.3.2", target=platform)
    assert app.ceiling == D("5000000")
    app = awarded(app, "4000001")
    plan = payment_schedule(app)
    assert plan == [("at_listing", D("1600000")), ("after_acceptance", D("2400001"))]
    assert sum(a for _, a in plan) == app.granted_amount


def test_schedule_after_completion_for_cultivated_centres(cast, guideline, ent_user):
    centre = f.cultivation_centre(ent_user.enterprise)
    app = awarded(f.submitted(ent_user, guideline, item="3.3.1-cultivation", target=centre), "1000000")
    assert payment_schedule(app) == [("after_completion", D("1000000"))]


def test_schedule_premium_subsidy_by_insurance_year(cast, guideline, ent_user):
    product = f.insured_product(ent_user.enterprise)
    app = f.submitted(ent_user, guideline, item="3.2.1-insurance", target=product)
    assert app.ceiling == D("1240000")  # the contract's E07
    full = awarded(app, "1240000")
    assert payment_schedule(full) == [
        ("insurance_year_1", D("480000")),
        ("insurance_year_2", D("400000")),
        ("insurance_year_3", D("360000")),
    ]
    Application.objects.filter(pk=app.pk).update(granted_amount=D("620000"))
    app.refresh_from_db()
    assert payment_schedule(app) == [
        ("insurance_year_1", D("240000")),
        ("insurance_year_2", D("200000")),
        ("insurance_year_3", D("180000")),
    ]


def test_maker_checker(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    maker, checker = cast.finance
    p = services.payment_enter(
        actor=maker, stage=stage, paid_on=timezone.localdate(), amount="3000000", voucher_no="财企〔2026〕001"
    )
    with pytest.raises(DomainError, match="录入与复核须由不同人员办理"):
        services.payment_confirm(actor=maker, payment=p)
    p = services.payment_confirm(actor=checker, payment=p)
    assert p.status == "confirmed" and p.confirmed_by == checker
    assert Notification.objects.filter(recipient=ent_user, kind="funding.payment_confirmed").exists()
    with pytest.raises(Conflict, match="不能重复确认"):
        services.payment_confirm(actor=checker, payment=p)


def test_the_database_enforces_maker_checker(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    p = services.payment_enter(
        actor=cast.finance[0], stage=stage, paid_on=timezone.localdate(), amount="100", voucher_no="V1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=p.pk).update(confirmed_by=cast.finance[0], status="confirmed")


def test_a_stage_is_paid_once(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    maker, checker = cast.finance
    today = timezone.localdate()
    p = services.payment_enter(actor=maker, stage=stage, paid_on=today, amount="3000000", voucher_no="V1")
    with pytest.raises(Conflict, match="已有待复核的拨付记录"):
        services.payment_enter(actor=maker, stage=stage, paid_on=today, amount="3000000", voucher_no="V2")
    services.payment_confirm(actor=checker, payment=p)
    with pytest.raises(Conflict, match="该阶段已拨付"):
        services.payment_enter(actor=maker, stage=stage, paid_on=today, amount="1", voucher_no="V3")
    # Even a row slipped past the services cannot be a second confirmed payment of the stage.
    extra = Payment.objects.create(
        stage=stage, paid_on=today, amount=D("1"), voucher_no="X", entered_by=maker
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=extra.pk).update(status="confirmed", confirmed_by=checker)
    assert Payment.objects.filter(stage=stage, status="confirmed").count() == 1


def test_payments_never_exceed_the_stage_or_the_grant(cast, guideline, ent_user):
    platform = f.internet_platform(ent_user.enterprise, status="cultivation")
    app = awarded(f.submitted(ent_user, guideline, item="3.3.2", target=platform), "5000000")
    listing, acceptance = app.payment_stages.order_by("sequence")
    today = timezone.localdate()
    with pytest.raises(DomainError, match="超过该阶段计划拨付"):
        services.payment_enter(
            actor=cast.finance[0], stage=listing, paid_on=today, amount="2000001", voucher_no="V"
        )
    with pytest.raises(DomainError, match="平台尚未通过验收"):
        services.payment_enter(
            actor=cast.finance[0], stage=acceptance, paid_on=today, amount="3000000", voucher_no="V"
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.payment_enter(
            actor=cast.finance[0],
            stage=listing,
            paid_on=today + dt.timedelta(days=1),
            amount="1",
            voucher_no="V",
        )
    PaymentStage.objects.filter(pk=listing.pk).update(planned_amount=D("6000000"))  # a plan tampered with
    listing.refresh_from_db()
    with pytest.raises(DomainError, match="累计拨付不能超过安排金额"):
        services.payment_enter(
            actor=cast.finance[0], stage=listing, paid_on=today, amount="5000001", voucher_no="V"
        )


def test_only_awarded_applications_are_paid(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    Application.objects.filter(pk=app.pk).update(status=AppStatus.ON_NOTICE)
    with pytest.raises(Conflict, match="只有已立项"):
        services.payment_enter(
            actor=cast.finance[0], stage=stage, paid_on=timezone.localdate(), amount="1", voucher_no="V"
        )


def test_cancel_an_entered_payment(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    p = services.payment_enter(
        actor=cast.finance[0], stage=stage, paid_on=timezone.localdate(), amount="3000000", voucher_no="V1"
    )
    services.payment_cancel(actor=cast.finance[1], payment=p, reason="凭证号有误")
    p2 = services.payment_enter(
        actor=cast.finance[0], stage=stage, paid_on=timezone.localdate(), amount="3000000", voucher_no="V2"
    )
    assert services.payment_confirm(actor=cast.finance[1], payment=p2).status == "confirmed"
