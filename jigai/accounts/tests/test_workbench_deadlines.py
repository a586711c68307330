"""The workbench's near deadlines (within 14 days, per role, each a link), the province's and the leader's
headline figures in 万元, and the chart hook the monitoring app fills."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jigai.accounts import workbench
from jigai.accounts.tests.factories import make_user
from jigai.funding.models import Application, AppStatus, Guideline, Payment, PublicNotice
from jigai.funding.services.payments import create_stages
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return f.Cast()


@pytest.fixture
def guideline(db, cast):
    return f.guideline(actor=cast.province)


@pytest.fixture
def ent_user(db):
    return f.enterprise_user("410102")


def _close_in(g: Guideline, days: int) -> None:
    closes = timezone.now() + dt.timedelta(days=days)
    Guideline.objects.filter(pk=g.pk).update(closes_at=closes, opens_at=closes - dt.timedelta(days=60))


def _deadlines(client, user) -> str:
    client.force_login(user)
    r = client.get("/dashboard/")
    assert r.status_code == 200
    return r.content.decode()


def test_a_guideline_closing_within_14_days_is_listed_per_role(client, cast, guideline, ent_user):
    _close_in(guideline, 5)
    for user, url in (
        (ent_user, reverse("funding:apply")),
        (cast.county, reverse("funding:queue")),
        (cast.city, reverse("funding:queue")),
        (cast.province, reverse("funding:guideline_detail", args=[guideline.pk])),
    ):
        html = _deadlines(client, user)
        assert 'data-testid="deadlines"' in html, user.role
        assert f'href="{url}" data-testid="deadline">{guideline.title}' in html, user.role
        assert "申报截止" in html and "5 天" in html
    for role in ("expert", "finance", "bank"):
        assert 'data-testid="deadline"' not in _deadlines(client, make_user(role)), role


def test_a_guideline_closing_later_or_already_closed_is_not_listed(client, cast, guideline, ent_user):
    _close_in(guideline, 20)
    assert 'data-testid="deadlines"' not in _deadlines(client, ent_user)
    _close_in(guideline, -1)
    assert 'data-testid="deadlines"' not in _deadlines(client, ent_user)


def test_the_end_of_a_notice_period_is_listed(client, cast, guideline, ent_user):
    from jigai.funding import services

    f.to_status(f.submitted(ent_user, guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    notice = services.notice_publish(actor=cast.province, guideline=guideline)
    PublicNotice.objects.filter(pk=notice.pk).update(ends_on=timezone.localdate() + dt.timedelta(days=3))
    _close_in(guideline, 30)
    province = _deadlines(client, cast.province)
    assert f'href="{reverse("funding:notice_detail", args=[notice.pk])}" data-testid="deadline"' in province
    assert "公示截止" in province
    leader = _deadlines(client, make_user("leader"))
    assert f'href="{reverse("funding:public_notice", args=[notice.pk])}" data-testid="deadline"' in leader
    assert f'href="{reverse("funding:public_notice", args=[notice.pk])}"' in _deadlines(client, ent_user)
    # an enterprise that is not on the list has no reason to watch it
    assert "公示截止" not in _deadlines(client, f.enterprise_user("410102"))


def test_deadlines_are_sorted_and_bounded():
    today = dt.date(2026, 12, 1)
    key = "test.deadlines"
    workbench.register_deadlines(
        key,
        lambda actor, t, until: [
            workbench.Deadline("后", today + dt.timedelta(days=9), "/b/"),
            workbench.Deadline("超出", today + dt.timedelta(days=15), "/c/"),
            workbench.Deadline("先", today, "/a/"),
            workbench.Deadline("已过", today - dt.timedelta(days=1), "/d/"),
        ],
    )
    try:
        user = make_user("province")
        got = [(d["label"], d["days_left"]) for d in workbench.deadlines_for(user, today=today)]
        assert ("先", 0) in got and ("后", 9) in got
        assert got.index(("先", 0)) < got.index(("后", 9))
        assert all(label not in ("超出", "已过") for label, _ in got)
    finally:
        workbench._DEADLINE_SOURCES.pop(key)


def test_headline_figures_in_wan_for_the_province_and_the_leader(client, cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline, requested_amount=Decimal("3600000"))
    Application.objects.filter(pk=app.pk).update(
        status=AppStatus.AWARDED, granted_amount=Decimal("3000000"), decided_at=timezone.now()
    )
    app.refresh_from_db()
    stage = create_stages(app)[0]
    Payment.objects.create(
        stage=stage,
        paid_on=timezone.localdate(),
        amount=Decimal("1200000"),
        voucher_no="V",
        entered_by=cast.finance[0],
        status="confirmed",
        confirmed_by=cast.finance[1],
        confirmed_at=timezone.now(),
    )
    budget = sum(b.amount for b in guideline.budgets.all())
    from jigai.core.money import wan_brief

    for user in (cast.province, make_user("leader")):
        html = _deadlines(client, user)
        assert 'data-testid="headlines"' in html
        assert f"{timezone.localdate().year}年度预算" in html and wan_brief(budget) in html
        assert "360 万元" in html and "300 万元" in html and "120 万元" in html
    for user in (cast.county, ent_user, cast.finance[0]):
        assert 'data-testid="headlines"' not in _deadlines(client, user)


def test_charts_registered_by_monitoring_get_a_labelled_place(client, cast):
    workbench.register_chart(["province", "leader"], "全省技改投资走势（测试）", "web:calculator")
    workbench.register_chart(["province"], "未建成的图表", "monitoring:no_such_chart")
    try:
        html = _deadlines(client, cast.province)
        assert 'aria-label="全省技改投资走势（测试）"' in html
        assert f'data-chart-url="{reverse("web:calculator")}"' in html
        assert "未建成的图表" not in html  # its url does not resolve yet
        assert "全省技改投资走势（测试）" not in _deadlines(client, cast.county)
    finally:
        workbench.WORKBENCH_CHARTS[:] = [
            c
            for c in workbench.WORKBENCH_CHARTS
            if c.title not in ("全省技改投资走势（测试）", "未建成的图表")
        ]
    saved = list(workbench.WORKBENCH_CHARTS)
    workbench.WORKBENCH_CHARTS.clear()  # no chart registered yet: the labelled, empty place
    try:
        html = _deadlines(client, cast.province)
    finally:
        workbench.WORKBENCH_CHARTS[:] = saved
    assert 'data-testid="charts-placeholder"' in html and "全省技改投资走势（测试）" not in html
