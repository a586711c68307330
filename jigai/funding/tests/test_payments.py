"""Payment by stage: schedule from the frozen stages scaled to the grant, maker-checker, paid once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.permissions import can
from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, DomainError
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Payment, PaymentStage
from jigai.funding.services.payments import create_stages, payment_schedule
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification

pytestmark = pytest.mark.django_db
D = Decimal


def awarded(app, granted, decided_at=None):
    """Skip the review (tested elsewhere): an awarded application, decided ten days ago by default, with
    its payment plan."""
    decided_at = decided_at or timezone.now() - dt.timedelta(days=10)
    Application.objects.filter(pk=app.pk).update(
        status=AppStatus.AWARDED, granted_amount=D(granted), decided_at=decided_at
    )
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
        actor=maker,
        stage=stage,
        paid_on=timezone.localdate(),
        amount="3000000",
        voucher_no="财企〔2026〕001",
        **f.PAYEE,
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
        actor=cast.finance[0],
        stage=stage,
        paid_on=timezone.localdate(),
        amount="100",
        voucher_no="V1",
        **f.PAYEE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=p.pk).update(confirmed_by=cast.finance[0], status="confirmed")


def test_a_stage_is_paid_once(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    maker, checker = cast.finance
    today = timezone.localdate()
    p = services.payment_enter(
        actor=maker, stage=stage, paid_on=today, amount="3000000", voucher_no="V1", **f.PAYEE
    )
    with pytest.raises(Conflict, match="已有待复核的拨付记录"):
        services.payment_enter(
            actor=maker, stage=stage, paid_on=today, amount="3000000", voucher_no="V2", **f.PAYEE
        )
    services.payment_confirm(actor=checker, payment=p)
    with pytest.raises(Conflict, match="该阶段已拨付"):
        services.payment_enter(
            actor=maker, stage=stage, paid_on=today, amount="1", voucher_no="V3", **f.PAYEE
        )
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
            actor=cast.finance[0], stage=listing, paid_on=today, amount="2000001", voucher_no="V", **f.PAYEE
        )
    with pytest.raises(DomainError, match="平台尚未通过验收"):
        services.payment_enter(
            actor=cast.finance[0],
            stage=acceptance,
            paid_on=today,
            amount="3000000",
            voucher_no="V",
            **f.PAYEE,
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.payment_enter(
            actor=cast.finance[0],
            stage=listing,
            paid_on=today + dt.timedelta(days=1),
            amount="1",
            voucher_no="V",
            **f.PAYEE,
        )
    PaymentStage.objects.filter(pk=listing.pk).update(planned_amount=D("6000000"))  # a plan tampered with
    listing.refresh_from_db()
    with pytest.raises(DomainError, match="累计拨付不能超过安排金额"):
        services.payment_enter(
            actor=cast.finance[0], stage=listing, paid_on=today, amount="5000001", voucher_no="V", **f.PAYEE
        )


def test_only_awarded_applications_are_paid(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    Application.objects.filter(pk=app.pk).update(status=AppStatus.ON_NOTICE)
    with pytest.raises(Conflict, match="只有已立项"):
        services.payment_enter(
            actor=cast.finance[0],
            stage=stage,
            paid_on=timezone.localdate(),
            amount="1",
            voucher_no="V",
            **f.PAYEE,
        )


def test_cancel_an_entered_payment(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    p = services.payment_enter(
        actor=cast.finance[0],
        stage=stage,
        paid_on=timezone.localdate(),
        amount="3000000",
        voucher_no="V1",
        **f.PAYEE,
    )
    services.payment_cancel(actor=cast.finance[1], payment=p, reason="凭证号有误")
    p2 = services.payment_enter(
        actor=cast.finance[0],
        stage=stage,
        paid_on=timezone.localdate(),
        amount="3000000",
        voucher_no="V2",
        **f.PAYEE,
    )
    assert services.payment_confirm(actor=cast.finance[1], payment=p2).status == "confirmed"


# ---------------------------------------------------------------------------------------------- payment dates


def _enter(actor, stage, paid_on, voucher_no="V1"):
    return services.payment_enter(
        actor=actor,
        stage=stage,
        paid_on=paid_on,
        amount=str(stage.planned_amount),
        voucher_no=voucher_no,
        **f.PAYEE,
    )


def test_a_payment_dated_before_the_decision_is_refused_on_the_date(cast, guideline, ent_user):
    # Decided 2026-03-01 17:30 UTC = 2026-03-02 01:30 in Asia/Shanghai: the decision day is 2 March.
    decided_at = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)
    app = awarded(f.submitted(ent_user, guideline), "3000000", decided_at=decided_at)
    stage = app.payment_stages.get()
    audits = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        _enter(cast.finance[0], stage, dt.date(2026, 3, 1))
    assert caught.value.message == "拨付日期不能早于资金安排决策日期（2026-03-02）。"
    assert caught.value.field == "paid_on" and caught.value.code == "paid_before_decision"
    assert not Payment.objects.exists() and AuditEvent.objects.count() == audits
    assert _enter(cast.finance[0], stage, dt.date(2026, 3, 2)).paid_on == dt.date(2026, 3, 2)


def test_a_payment_dated_in_the_future_is_refused_on_the_date(cast, guideline, ent_user):
    stage = awarded(f.submitted(ent_user, guideline), "3000000").payment_stages.get()
    with pytest.raises(DomainError) as caught:
        _enter(cast.finance[0], stage, timezone.localdate() + dt.timedelta(days=1))
    assert caught.value.message == "拨付日期不能晚于今天。" and caught.value.field == "paid_on"
    assert not Payment.objects.exists()
    assert _enter(cast.finance[0], stage, timezone.localdate()).status == "entered"


def test_an_award_without_a_recorded_decision_is_not_paid(cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    Application.objects.filter(pk=app.pk).update(decided_at=None)
    with pytest.raises(Conflict, match="没有资金安排决策记录"):
        _enter(cast.finance[0], app.payment_stages.get(), timezone.localdate())
    assert not Payment.objects.exists()


def test_the_payment_page_says_the_date_error_beside_the_field(client, cast, guideline, ent_user):
    decided_at = timezone.now() - dt.timedelta(days=3)
    stage = awarded(f.submitted(ent_user, guideline), "3000000", decided_at=decided_at).payment_stages.get()
    decided_on = timezone.localdate(decided_at)
    client.force_login(cast.finance[0])
    url = reverse("funding:payment_enter", args=[stage.pk])
    for paid_on, message in (
        (decided_on - dt.timedelta(days=1), f"拨付日期不能早于资金安排决策日期（{decided_on:%Y-%m-%d}）。"),
        (timezone.localdate() + dt.timedelta(days=1), "拨付日期不能晚于今天。"),
    ):
        r = client.post(url, {"paid_on": paid_on.isoformat(), "amount": "300", "voucher_no": "V1", **f.PAYEE})
        html = r.content.decode()
        assert r.status_code == 200
        assert f'<small class="field-error" role="alert">{message}</small>' in html
        assert html.index(message) > html.index('name="paid_on"')  # after the date field, before the next
        assert html.index(message) < html.index('name="amount"')
    assert not Payment.objects.exists()
    r = client.post(url, {"paid_on": decided_on.isoformat(), "amount": "300", "voucher_no": "V1", **f.PAYEE})
    assert r.status_code == 302 and stage.payments.get().paid_on == decided_on


def test_the_api_names_the_date_field(client, cast, guideline, ent_user):
    decided_at = timezone.now() - dt.timedelta(days=3)
    stage = awarded(f.submitted(ent_user, guideline), "3000000", decided_at=decided_at).payment_stages.get()
    decided_on = timezone.localdate(decided_at)
    client.force_login(cast.finance[0])
    body = {
        "stage": stage.pk,
        "paid_on": (decided_on - dt.timedelta(days=1)).isoformat(),
        "amount": "3000000",
        "voucher_no": "V1",
        **f.PAYEE,
    }
    r = client.post("/api/v1/funding/payments", body, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"field": "paid_on", "message": f"拨付日期不能早于资金安排决策日期（{decided_on:%Y-%m-%d}）。"}
    ]
    assert not Payment.objects.exists()


# ---------------------------------------------------------------------------------------------- who pays


def test_only_finance_enters_and_confirms_payments(cast):
    assert can(cast.finance[0], "payment.enter") and can(cast.finance[0], "payment.confirm")
    assert not can(cast.province, "payment.enter") and not can(cast.province, "payment.confirm")


def test_the_province_cannot_enter_a_payment(client, cast, guideline, ent_user):
    stage = awarded(f.submitted(ent_user, guideline), "3000000").payment_stages.get()
    with pytest.raises(AccessDenied):
        _enter(cast.province, stage, timezone.localdate())
    client.force_login(cast.province)
    url = reverse("funding:payment_enter", args=[stage.pk])
    assert client.get(url).status_code == 403
    body = {"paid_on": timezone.localdate().isoformat(), "amount": "3000000", "voucher_no": "V1", **f.PAYEE}
    assert client.post(url, body).status_code == 403
    assert client.get(reverse("funding:payment_list")).status_code == 403
    r = client.post("/api/v1/funding/payments", {**body, "stage": stage.pk}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert not Payment.objects.exists()
