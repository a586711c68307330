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

from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Payment, PaymentStatus
from jigai.funding.services.payments import create_stages
from jigai.funding.tests import factories as f
from jigai.web.errors import DomainError

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
        actor=maker, stage=stage, paid_on=timezone.localdate(), amount="3000000", voucher_no="V-RACE"
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
