"""Public notice: working days, masking, objections upheld/dismissed, finalize only when allowed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jigai.core.errors import Conflict, DomainError
from jigai.funding import services
from jigai.funding.models import AppStatus, NoticeEntry, PaymentStage, PublicNotice
from jigai.funding.services import add_working_days, mask_name, mask_phone, mask_uscc
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification


@pytest.mark.django_db
def test_working_days_skip_weekends_and_holidays():
    friday = dt.date(2024, 5, 17)
    assert add_working_days(friday, 1) == friday
    assert add_working_days(friday, 5) == dt.date(2024, 5, 23)  # Fri, Mon, Tue, Wed, Thu
    saturday = dt.date(2024, 5, 18)
    assert add_working_days(saturday, 5) == dt.date(2024, 5, 24)  # starts Monday
    # 2024 劳动节: 1-5 May off, Saturday 11 May worked (调休).
    assert add_working_days(dt.date(2024, 4, 30), 5) == dt.date(2024, 5, 9)  # 30 Apr, 6, 7, 8, 9 May
    assert add_working_days(dt.date(2024, 5, 10), 2) == dt.date(2024, 5, 11)


def test_masking():
    assert mask_uscc("91410100MA9XXXXXX1") == "9141************X1"
    assert mask_name("张三丰") == "张**"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def approved(cast, guideline, user=None):
    user = user or f.enterprise_user()
    app = f.to_status(f.submitted(user, guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    app.refresh_from_db()
    assert app.status == AppStatus.APPROVED
    return app


def end_notice(notice):
    """Move the notice period into the past (the test's clock cannot wait five working days)."""
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    notice.refresh_from_db()
    return notice


@pytest.fixture
def on_notice(db, cast, guideline, ent_user):
    app = approved(cast, guideline, ent_user)
    notice = services.notice_publish(actor=cast.province, guideline=guideline)
    app.refresh_from_db()
    return notice, app


def test_publish_puts_the_approved_on_notice(cast, guideline, on_notice, ent_user):
    notice, app = on_notice
    assert app.status == AppStatus.ON_NOTICE
    assert notice.ends_on == add_working_days(notice.starts_on, guideline.notice_days)
    assert notice.ends_on.weekday() < 5
    assert list(NoticeEntry.objects.filter(notice=notice).values_list("application", flat=True)) == [app.pk]
    assert Notification.objects.filter(recipient=ent_user, kind="funding.application_on_notice").exists()
    with pytest.raises(DomainError, match="没有待公示的拟支持项目"):
        services.notice_publish(actor=cast.province, guideline=guideline)


def test_the_page_shows_finalize_disabled_with_the_reason_while_the_period_runs(client, cast, on_notice):
    notice, _app = on_notice
    client.force_login(cast.province)
    html = client.get(f"/funding/notices/{notice.pk}/").content.decode()
    assert 'data-testid="finalize" disabled' in html
    assert f"公示期至 {notice.ends_on:%Y-%m-%d}，期满后才能确定立项" in html
    assert "data-confirm=" in html
    past = notice.starts_on - dt.timedelta(days=30)
    type(notice).objects.filter(pk=notice.pk).update(starts_on=past, ends_on=past + dt.timedelta(days=7))
    html = client.get(f"/funding/notices/{notice.pk}/").content.decode()
    assert 'data-testid="finalize" disabled' not in html


def test_finalize_waits_for_the_end_of_the_period(cast, on_notice):
    notice, app = on_notice
    with pytest.raises(DomainError, match="期满后才能确定立项"):
        services.notice_finalize(actor=cast.province, notice=notice)
    app.refresh_from_db()
    assert app.status == AppStatus.ON_NOTICE


def test_finalize_waits_for_every_objection(cast, on_notice):
    notice, app = on_notice
    services.objection_record(
        actor=cast.province,
        notice=notice,
        application=app,
        content="投资不实",
        received_on=notice.starts_on,
        objector="某公司",
    )
    end_notice(notice)
    with pytest.raises(DomainError, match="尚有 1 件异议未处理"):
        services.notice_finalize(actor=cast.province, notice=notice)


def test_objection_must_come_within_the_period(cast, on_notice):
    notice, app = on_notice
    with pytest.raises(DomainError, match="异议须在公示期内"):
        services.objection_record(
            actor=cast.province,
            notice=notice,
            application=app,
            content="x",
            received_on=notice.ends_on + dt.timedelta(days=1),
        )


def test_dismissed_objection_keeps_the_award(cast, on_notice, ent_user):
    notice, app = on_notice
    o = services.objection_record(
        actor=cast.province, notice=notice, application=app, content="投资不实", received_on=notice.starts_on
    )
    services.objection_assign(actor=cast.province, objection=o, assignee=cast.province)
    with pytest.raises(DomainError, match="请填写处理意见"):
        services.objection_resolve(actor=cast.province, objection=o, resolution="dismissed", comment="")
    services.objection_resolve(
        actor=cast.province, objection=o, resolution="dismissed", comment="经核查投资属实"
    )
    with pytest.raises(Conflict, match="不能重复处理"):
        services.objection_resolve(actor=cast.province, objection=o, resolution="upheld", comment="再议")
    end_notice(notice)
    services.notice_finalize(actor=cast.province, notice=notice)
    app.refresh_from_db()
    assert app.status == AppStatus.AWARDED
    stages = list(PaymentStage.objects.filter(application=app).values_list("stage", "planned_amount"))
    assert stages == [("on_approval", app.granted_amount)]
    assert Notification.objects.filter(recipient=cast.finance[0], kind="funding.awards_final").exists()
    with pytest.raises(Conflict, match="不能重复办理"):
        services.notice_finalize(actor=cast.province, notice=notice)


def test_upheld_objection_sends_it_back_to_decision(cast, guideline, on_notice):
    notice, app = on_notice
    o = services.objection_record(
        actor=cast.province, notice=notice, application=app, content="重复申报", received_on=notice.starts_on
    )
    services.objection_resolve(actor=cast.province, objection=o, resolution="upheld", comment="确属重复")
    app.refresh_from_db()
    assert app.status == AppStatus.REVIEWED and app.granted_amount is None
    assert NoticeEntry.objects.get(notice=notice, application=app).withdrawn
    assert services.available_budget(guideline, "3.1")[1] == Decimal("0")
    end_notice(notice)
    services.notice_finalize(actor=cast.province, notice=notice)
    app.refresh_from_db()
    assert app.status == AppStatus.REVIEWED  # not awarded: it left the notice
