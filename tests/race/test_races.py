"""Concurrency: what must hold when two requests really run at once.

On PostgreSQL (DATABASE_URL set) each thread has its own connection and a barrier releases them together,
so the row locks and the partial unique constraints decide. On SQLite the database serialises writers
anyway (one write transaction at a time, settings: transaction_mode=IMMEDIATE): the same code runs in the
same threads, one after the other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from jigai.core.errors import DomainError
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Payment, PaymentStatus
from jigai.funding.services.payments import create_stages
from jigai.funding.tests import factories as f

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def run_together(*calls: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run the calls in parallel threads started by one barrier; ("ok", result) or ("error", exception)."""
    barrier = threading.Barrier(len(calls))
    serial = threading.Lock() if connection.vendor == "sqlite" else None
    results: list[tuple[str, Any]] = [("missing", None)] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            if serial is not None:
                with serial:
                    results[i] = ("ok", call())
            else:
                results[i] = ("ok", call())
        except Exception as exc:
            results[i] = ("error", exc)
        finally:
            connections.close_all()  # this thread's connections

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def test_two_submissions_of_one_enterprise_in_one_year():
    cast = f.Cast()
    g = f.guideline(actor=cast.province)
    user = f.enterprise_user()
    first = f.draft(user, g)
    second = f.draft(user, g, item="3.4.1", target=f.title(user.enterprise))
    results = run_together(
        lambda: services.application_submit(actor=user, application=first),
        lambda: services.application_submit(actor=user, application=second),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, DomainError)
    assert "同一企业原则上一个申报年度内只能申请1个" in error.message
    counted = Application.objects.filter(enterprise=user.enterprise, year=g.year).exclude(
        status=AppStatus.DRAFT
    )
    assert counted.count() == 1


def _awarded(cast: f.Cast) -> Any:
    g = f.guideline(actor=cast.province)
    user = f.enterprise_user()
    app = f.submitted(user, g)
    Application.objects.filter(pk=app.pk).update(
        status=AppStatus.AWARDED, granted_amount=Decimal("3000000"), decided_at=timezone.now()
    )
    app.refresh_from_db()
    (stage,) = create_stages(app)
    return stage


def test_two_confirmations_of_one_payment():
    cast = f.Cast()
    stage = _awarded(cast)
    maker = cast.finance[0]
    checker_a, checker_b = cast.finance[1], f.make_user("finance")
    payment = services.payment_enter(
        actor=maker,
        stage=stage,
        paid_on=timezone.localdate(),
        amount="3000000",
        voucher_no="V-RACE",
        **f.PAYEE,
    )
    results = run_together(
        lambda: services.payment_confirm(actor=checker_a, payment=payment),
        lambda: services.payment_confirm(actor=checker_b, payment=payment),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, DomainError) and "不能重复确认" in error.message
    assert Payment.objects.filter(stage=stage, status=PaymentStatus.CONFIRMED).count() == 1


def test_two_entries_of_one_stage_confirmed_at_once():
    """Two entered payments of the same stage (slipped past the entry check): confirming both at once
    still records one payment."""
    cast = f.Cast()
    stage = _awarded(cast)
    maker = cast.finance[0]
    today = timezone.localdate()
    p1 = Payment.objects.create(
        stage=stage, paid_on=today, amount=Decimal("3000000"), voucher_no="A", entered_by=maker
    )
    p2 = Payment.objects.create(
        stage=stage, paid_on=today, amount=Decimal("3000000"), voucher_no="B", entered_by=maker
    )
    checker_a, checker_b = cast.finance[1], f.make_user("finance")
    results = run_together(
        lambda: services.payment_confirm(actor=checker_a, payment=p1),
        lambda: services.payment_confirm(actor=checker_b, payment=p2),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert Payment.objects.filter(stage=stage, status=PaymentStatus.CONFIRMED).count() == 1


# ---------------------------------------------------------------------------------------------- 三（二）1 cap

ITEMS_32 = ["3.1.1", "3.2.1-award", "3.4.1"]


def test_two_award_submissions_of_one_enterprise_cannot_pass_the_annual_cap():
    """Two first-set awards of one enterprise in two rounds of the same year submitted at the same moment:
    the enterprise lock lets one through; the other is refused, so the year's ceilings stay within
    三（二）1's 5,000,000."""
    cast = f.Cast()
    g1 = f.guideline(actor=cast.province, items=ITEMS_32)
    g2 = f.guideline(actor=cast.province, items=ITEMS_32)
    user = f.enterprise_user()
    a1 = f.draft(user, g1, item="3.2.1-award", target=f.award_product(user.enterprise, "80000000"))
    a2 = f.draft(user, g2, item="3.2.1-award", target=f.award_product(user.enterprise, "90000000"))
    results = run_together(
        lambda: services.application_submit(actor=user, application=a1),
        lambda: services.application_submit(actor=user, application=a2),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    counted = Application.objects.filter(enterprise=user.enterprise, year=g1.year).exclude(
        status=AppStatus.DRAFT
    )
    assert counted.count() == 1
    assert sum(a.ceiling for a in counted) <= Decimal("5000000")


def test_two_allocation_decisions_racing_cannot_pass_the_annual_cap():
    """Legacy data (two awards of the year frozen at 4,000,000 and 4,500,000 before the cross-application
    rule held), decided in two rounds at the same moment: the second decision re-checks the cap after the
    first and is refused, so the enterprise never gets more than 5,000,000 a year."""
    cast = f.Cast()
    g1 = f.guideline(actor=cast.province, items=ITEMS_32)
    g2 = f.guideline(actor=cast.province, items=ITEMS_32)
    user = f.enterprise_user()
    a1 = f.submitted(user, g1, item="3.2.1-award", target=f.award_product(user.enterprise, "80000000"))
    Application.objects.filter(pk=a1.pk).update(is_leading_goose_fixed_award=True)
    a2 = f.submitted(user, g2, item="3.2.1-award", target=f.award_product(user.enterprise, "90000000"))
    Application.objects.filter(pk=a2.pk).update(
        ceiling=Decimal("4500000"), requested_amount=Decimal("4500000")
    )
    Application.objects.filter(pk__in=[a1.pk, a2.pk]).update(
        status=AppStatus.REVIEWED, score_avg=Decimal("85")
    )
    p1 = services.allocation_propose(actor=cast.province, guideline=g1, item_group="3.2", method="score")
    p2 = services.allocation_propose(actor=cast.province, guideline=g2, item_group="3.2", method="score")
    assert p1.total_granted + p2.total_granted == Decimal("8500000")  # each alone fits the cap
    results = run_together(
        lambda: services.allocation_decide(actor=cast.province, allocation=p1),
        lambda: services.allocation_decide(actor=cast.province, allocation=p2),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, DomainError) and "单个企业年度奖励上限" in error.message
    granted = [a.granted_amount or 0 for a in Application.objects.filter(enterprise=user.enterprise)]
    assert sum(granted) <= Decimal("5000000")
