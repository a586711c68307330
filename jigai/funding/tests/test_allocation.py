"""Allocation against the budget by score or pro rata: never above a ceiling, never above the budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from jigai.core.errors import Conflict, DomainError
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, GuidelineBudget
from jigai.funding.services.allocation import Candidate, allocate
from jigai.funding.tests import factories as f

D = Decimal


def cands(*rows):
    return [
        Candidate(key=i, base=D(b), score=None if s is None else D(s), order=(i,))
        for i, (b, s) in enumerate(rows)
    ]


def test_by_score_until_the_budget_runs_out():
    c = cands(("3000000", 70), ("5000000", 95), ("4000000", 85))
    assert allocate(c, D("8500000"), "score") == {1: D("5000000"), 2: D("3500000"), 0: D("0")}


def test_by_score_everyone_when_the_budget_suffices():
    c = cands(("3000000", 70), ("5000000", 95))
    assert allocate(c, D("9000000"), "score") == {0: D("3000000"), 1: D("5000000")}


def test_pro_rata_scales_and_truncates():
    c = cands(("3000000", None), ("5000000", None), ("1", None))
    got = allocate(c, D("4000000"), "pro_rata")
    # 4,000,000 / 8,000,001 of each base, truncated to whole yuan
    assert got == {0: D("1499999"), 1: D("2499999"), 2: D("0")}
    assert sum(got.values()) <= D("4000000")


def test_pro_rata_gives_the_whole_request_when_it_fits():
    c = cands(("3000000.50", None), ("1000000", None))
    assert allocate(c, D("5000000"), "pro_rata") == {0: D("3000000"), 1: D("1000000")}


money = st.integers(min_value=0, max_value=20_000_000).map(D)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(money, st.one_of(st.none(), st.integers(0, 100))), min_size=1, max_size=12),
    budget=money,
    method=st.sampled_from(["score", "pro_rata"]),
)
def test_property_never_above_base_or_budget(rows, budget, method):
    c = cands(*rows)
    got = allocate(c, budget, method)
    assert set(got) == {x.key for x in c}
    for x in c:
        assert D(0) <= got[x.key] <= x.base
        assert got[x.key] == got[x.key].to_integral_value()
    assert sum(got.values()) <= budget
    if sum(x.base for x in c) <= budget:
        assert all(got[x.key] == x.base for x in c)


@pytest.mark.django_db
def test_the_database_refuses_granted_above_ceiling(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(granted_amount=app.ceiling + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(granted_amount=-1)
    Application.objects.filter(pk=app.pk).update(granted_amount=app.ceiling)


def reviewed(cast, guideline, n, scores):
    apps = []
    for i in range(n):
        user = f.enterprise_user()
        app = f.submitted(user, guideline)
        apps.append(f.to_status(app, AppStatus.REVIEWED, cast, scores=scores[i]))
    return apps


@pytest.mark.django_db
def test_propose_and_decide_by_score(cast, guideline):
    GuidelineBudget.objects.filter(guideline=guideline, item_group="3.1").update(amount=D("5000000"))
    low, high = reviewed(cast, guideline, 2, [(60, 70), (90, 94)])
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    lines = {line.application_id: line.granted for line in alloc.lines.all()}
    assert lines == {high.pk: D("3600000"), low.pk: D("1400000")}
    assert alloc.total_granted == D("5000000") <= alloc.budget
    services.allocation_decide(actor=cast.province, allocation=alloc)
    low.refresh_from_db()
    high.refresh_from_db()
    assert (high.status, high.granted_amount) == (AppStatus.APPROVED, D("3600000"))
    assert (low.status, low.granted_amount) == (AppStatus.APPROVED, D("1400000"))
    with pytest.raises(Conflict, match="不能重复决策"):
        services.allocation_decide(actor=cast.province, allocation=alloc)
    summary = services.available_budget(guideline, "3.1")
    assert summary == (D("5000000"), D("5000000"), D("0"))


@pytest.mark.django_db
def test_zero_grant_is_not_funded(cast, guideline):
    GuidelineBudget.objects.filter(guideline=guideline, item_group="3.1").update(amount=D("3600000"))
    low, _high = reviewed(cast, guideline, 2, [(60, 70), (90, 94)])
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    low.refresh_from_db()
    assert low.status == AppStatus.REJECTED and "未获资金安排" in low.last_comment


@pytest.mark.django_db
def test_pro_rata_never_exceeds_ceiling_or_budget(cast, guideline):
    GuidelineBudget.objects.filter(guideline=guideline, item_group="3.1").update(amount=D("5000000"))
    apps = reviewed(cast, guideline, 2, [(60, 70), (90, 94)])
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="pro_rata"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    for app in apps:
        app.refresh_from_db()
        assert app.granted_amount == D("2500000") <= app.ceiling
    # A new proposal for the same group finds nothing left to allocate.
    with pytest.raises(DomainError, match="没有待决策的申报"):
        services.allocation_propose(
            actor=cast.province, guideline=guideline, item_group="3.1", method="score"
        )


@pytest.mark.django_db
def test_proposal_needs_a_budget_and_the_permission(cast, guideline):
    GuidelineBudget.objects.filter(guideline=guideline, item_group="3.4").delete()
    with pytest.raises(DomainError, match="未设置“试点示范"):
        services.allocation_propose(
            actor=cast.province, guideline=guideline, item_group="3.4", method="score"
        )
    with pytest.raises(DomainError):
        services.allocation_propose(actor=cast.city, guideline=guideline, item_group="3.1", method="score")


@pytest.mark.django_db
def test_a_stale_proposal_is_refused(cast, guideline):
    (app,) = reviewed(cast, guideline, 1, [(80, 80)])
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.application_transition(actor=cast.province, application=app, action="reject", comment="材料不实")
    with pytest.raises(Conflict, match="已不在待决策状态"):
        services.allocation_decide(actor=cast.province, allocation=alloc)
