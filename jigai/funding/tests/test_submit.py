"""Submission: facts frozen from the object, the round's overrides applied, every refusal rule with its
Chinese reason (policy 三 and its last paragraph)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jigai.audit.models import AuditEvent
from jigai.core.errors import Conflict, DomainError
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, ReviewEvent
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_submit_freezes_facts_and_result(cast, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    assert re.fullmatch(rf"JG{guideline.year}-410100-\d{{5}}", app.tracking_no)
    app = services.application_submit(actor=ent_user, application=app)
    assert app.status == AppStatus.SUBMITTED
    assert app.ceiling == Decimal("3600000")  # (9,000,000 + 3,000,000) × 30% (三（一）1)
    assert app.requested_amount == Decimal("3600000")  # nothing requested: the ceiling
    snap = app.snapshot
    assert snap["case"]["facts"]["equipment_investment"] == "9000000.00"
    assert snap["result"]["amount"] == "3600000"
    assert snap["result"]["explanation"]
    assert snap["policy"]["version"]
    # Changing the project afterwards does not change the frozen result.
    app.project.equipment_investment = Decimal("1")
    app.project.save()
    app.refresh_from_db()
    assert (
        app.ceiling == Decimal("3600000")
        and app.snapshot["case"]["facts"]["equipment_investment"] == "9000000.00"
    )
    event = ReviewEvent.objects.get(application=app)
    assert (event.actor, event.from_status, event.to_status) == (ent_user, "draft", "submitted")
    assert AuditEvent.objects.filter(
        target_type="funding.application", target_id=str(app.pk), action="submit"
    ).exists()
    assert Notification.objects.filter(recipient=cast.county, kind="funding.application_submitted").exists()
    assert not Notification.objects.filter(recipient=cast.city).exists()


def test_overrides_of_the_round_apply_and_the_explanation_says_so(cast, ent_user):
    g = f.guideline(actor=cast.province, overrides={"3.1.1.threshold": "20000000"})
    preview = services.application_preview(
        actor=ent_user, guideline=g, item="3.1.1", target=f.project(ent_user.enterprise)
    )
    assert preview["result"]["reasons"] == ["BELOW_THRESHOLD"]
    assert any("指南" in line for line in preview["result"]["explanation"])
    with pytest.raises(DomainError, match="投资额未达到门槛"):
        f.submitted(ent_user, g)


def test_snapshot_records_the_overrides(cast, ent_user):
    g = f.guideline(actor=cast.province, overrides={"3.1.1.rate": "0.20"})
    app = f.submitted(ent_user, g)
    assert app.ceiling == Decimal("2400000")
    assert app.snapshot["overrides"] == {"3.1.1.rate": "0.20"}


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(dt.timedelta(days=1), dt.timedelta(days=5)), (dt.timedelta(days=-10), dt.timedelta(seconds=1))],
    ids=["not-yet-open", "closed"],
)
def test_outside_the_window_is_refused(cast, ent_user, opens, closes):
    now = timezone.now()
    g = f.guideline(actor=cast.province, opens_at=now + opens, closes_at=now + closes)
    app = f.draft(ent_user, g)
    if closes == dt.timedelta(seconds=1):
        type(g).objects.filter(pk=g.pk).update(closes_at=now - dt.timedelta(hours=1))
    with pytest.raises(DomainError, match="不在申报时间内：本指南申报时间为") as err:
        services.application_submit(actor=ent_user, application=app)
    assert err.value.code == "outside_window"
    app.refresh_from_db()
    assert app.status == AppStatus.DRAFT and app.ceiling == 0


def test_second_application_in_the_same_year_is_refused(cast, guideline, ent_user):
    first = f.submitted(ent_user, guideline)
    second = f.draft(ent_user, guideline, item="3.4.1", target=f.title(ent_user.enterprise))
    with pytest.raises(DomainError, match="同一企业原则上一个申报年度内只能申请1个") as err:
        services.application_submit(actor=ent_user, application=second)
    assert first.tracking_no in err.value.message
    assert err.value.code == "one_per_year"
    second.refresh_from_db()
    assert second.status == AppStatus.DRAFT


def test_a_rejected_or_withdrawn_application_frees_the_year(cast, guideline, ent_user):
    first = f.submitted(ent_user, guideline)
    services.application_transition(actor=ent_user, application=first, action="withdraw")
    second = f.submitted(ent_user, guideline, item="3.4.1", target=f.title(ent_user.enterprise))
    assert second.status == AppStatus.SUBMITTED


def test_the_database_refuses_two_counted_applications(cast, guideline, ent_user):
    f.submitted(ent_user, guideline)
    other = f.draft(ent_user, guideline, item="3.4.1", target=f.title(ent_user.enterprise))
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=other.pk).update(status=AppStatus.SUBMITTED)


def test_declared_other_provincial_support_is_refused(cast, guideline, ent_user):
    app = f.draft(ent_user, guideline, declared_other_provincial_support=True)
    with pytest.raises(DomainError, match="省级财政其他专项资金已支持的，原则上不再重复支持") as err:
        services.application_submit(actor=ent_user, application=app)
    assert "贵企业声明" in err.value.message


def test_an_award_the_system_holds_for_the_same_object_is_detected(cast, ent_user):
    last_year = f.guideline(actor=cast.province, year=timezone.localdate().year - 1)
    this_year = f.guideline(actor=cast.province)
    earlier = f.submitted(ent_user, last_year)
    Application.objects.filter(pk=earlier.pk).update(
        status=AppStatus.AWARDED, granted_amount=Decimal("3000000")
    )
    again = f.draft(ent_user, this_year, target=earlier.project)
    with pytest.raises(DomainError, match="原则上不再重复支持") as err:
        services.application_submit(actor=ent_user, application=again)
    assert earlier.tracking_no in err.value.message
    preview = services.application_preview(
        actor=ent_user, guideline=this_year, item="3.1.1", target=earlier.project
    )
    assert any(earlier.tracking_no in message for message in preview["refusals"])


def test_expired_qualification_is_refused(cast, guideline, ent_user):
    today = timezone.localdate()
    f.qualification(
        ent_user.enterprise,
        "national_little_giant",
        valid_from=today - dt.timedelta(days=1000),
        valid_to=today - dt.timedelta(days=1),
    )
    app = f.draft(ent_user, guideline, item="3.1.3")
    with pytest.raises(DomainError, match="不具备所需资格，或资格在申报日期不在有效期内") as err:
        services.application_submit(actor=ent_user, application=app)
    assert err.value.code == "qualification_missing"


def test_valid_qualification_is_accepted(cast, guideline, ent_user):
    today = timezone.localdate()
    f.qualification(
        ent_user.enterprise,
        "national_little_giant",
        valid_from=today - dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=10),
    )
    app = f.submitted(ent_user, guideline, item="3.1.3")
    assert app.ceiling == Decimal("3600000")


def test_item_not_open_is_refused(cast, ent_user):
    g = f.guideline(actor=cast.province, items=["3.4.1"])
    with pytest.raises(DomainError, match=r"本指南未开放“技术改造示范项目（三（一）1）”"):
        f.draft(ent_user, g, item="3.1.1")


def test_another_enterprises_object_is_refused(cast, guideline, ent_user):
    stranger = f.enterprise("410103")
    with pytest.raises(DomainError, match="所选技术改造项目不存在或不属于本企业") as err:
        f.draft(ent_user, guideline, target=f.project(stranger))
    assert err.value.field == "target"


def test_resolve_target_answers_the_same_for_missing_and_foreign_ids(cast, guideline, ent_user):
    from jigai.funding.services import resolve_target

    own = f.project(ent_user.enterprise)
    assert resolve_target(actor=ent_user, value=f"project:{own.pk}") == own
    foreign = f.project(f.enterprise("410103"))
    answers = []
    for pk in (foreign.pk, foreign.pk + 1000):
        with pytest.raises(DomainError) as err:
            resolve_target(actor=ent_user, value=f"project:{pk}")
        answers.append((err.value.message, err.value.code, err.value.field))
    message = "所选技术改造项目不存在或不属于本企业，不能申报。"
    assert answers[0] == answers[1] == (message, "not_own_object", "target")


def test_object_must_fit_the_item(cast, guideline, ent_user):
    with pytest.raises(DomainError, match=r"不能申报“国家级试点示范（三（四）1）”"):
        f.draft(ent_user, guideline, item="3.4.1", target=f.project(ent_user.enterprise))


def test_requested_amount_above_ceiling_is_refused(cast, guideline, ent_user):
    app = f.draft(ent_user, guideline, requested_amount="3600001")
    with pytest.raises(DomainError, match="超过按政策测算的上限 360 万元（3,600,000 元）") as err:
        services.application_submit(actor=ent_user, application=app)
    assert err.value.field == "requested_amount"


def test_repeated_submission_is_refused(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    with pytest.raises(Conflict, match="不能重复提交"):
        services.application_submit(actor=ent_user, application=app)
    assert ReviewEvent.objects.filter(application=app).count() == 1


def test_only_the_enterprise_user_submits(cast, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    with pytest.raises(DomainError):
        services.application_submit(actor=cast.county, application=app)
    other_user = f.enterprise_user("410102")
    with pytest.raises(DomainError, match="未找到该申报"):
        services.application_submit(actor=other_user, application=app)


def test_attachment_checked_by_content(cast, guideline, ent_user, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    app = f.draft(ent_user, guideline)
    fake = SimpleUploadedFile("report.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="只接受 PDF、PNG 或 JPEG"):
        services.attachment_add(actor=ent_user, application=app, name="可研报告", upload=fake)
    real = SimpleUploadedFile("report.bin", b"%PDF-1.4 hello", content_type="application/octet-stream")
    att = services.attachment_add(actor=ent_user, application=app, name="可研报告", upload=real)
    assert att.content_type == "PDF" and att.size == len(b"%PDF-1.4 hello")
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(DomainError, match="不能超过 10 MB"):
        services.attachment_add(actor=ent_user, application=app, name="大文件", upload=big)
