"""Typical practices: cities submit, the province publishes or returns, the city resubmits; only published
ones are public; each city sees its own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from jigai.notifications.models import Notification
from jigai.supervision import selectors, services
from jigai.supervision.models import PracticeStatus

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def _submit(people, **kw):
    upload = SimpleUploadedFile("做法.pdf", PDF, content_type="application/pdf")
    data = {"title": "诊断+金融一体化", "text": "做法正文", **kw}
    return services.practice_submit(actor=people.city, data=data, upload=upload)


def test_submit_publish_and_public(people):
    p = _submit(people)
    assert p.region_id == "410300" and p.status == PracticeStatus.SUBMITTED and p.attachment
    assert Notification.objects.filter(recipient=people.province, kind="supervision.practice").exists()
    assert not selectors.public_practices().exists()
    services.practice_move(actor=people.province, practice=p, action="publish")
    p.refresh_from_db()
    assert p.status == PracticeStatus.PUBLISHED and p.published_at is not None
    assert list(selectors.public_practices()) == [p]
    assert AuditEvent.objects.filter(action="publish", target_type="supervision.practice").exists()


def test_return_with_reason_then_resubmit(people):
    p = _submit(people)
    with pytest.raises(InvalidInput):
        services.practice_move(actor=people.province, practice=p, action="return")
    services.practice_move(actor=people.province, practice=p, action="return", comment="请补充数据")
    with pytest.raises(Conflict):
        services.practice_move(actor=people.province, practice=p, action="publish")
    services.practice_move(
        actor=people.city, practice=p, action="resubmit", data={"title": "新标题", "text": "补充了数据"}
    )
    p.refresh_from_db()
    assert p.status == PracticeStatus.SUBMITTED and p.title == "新标题"


def test_who_may_submit_see_and_publish(people):
    with pytest.raises(AccessDenied):
        services.practice_submit(actor=people.county, data={"title": "t", "text": "x"})
    with pytest.raises(InvalidInput):
        services.practice_submit(actor=people.city, data={"title": "", "text": ""})
    p = _submit(people)
    with pytest.raises(AccessDenied):
        services.practice_move(actor=people.city, practice=p, action="publish")
    services.practice_move(actor=people.province, practice=p, action="return", comment="补充")
    with pytest.raises(NotFound):  # another city does not reach it
        services.practice_move(actor=people.other_city, practice=p, action="resubmit")
    assert list(selectors.practice_list(actor=people.city)) == [p]
    assert not selectors.practice_list(actor=people.other_city).exists()
    assert list(selectors.practice_list(actor=people.province)) == [p]
    assert not selectors.practice_list(actor=people.ent_user).exists()


def test_bad_attachment_refused(people):
    upload = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as exc:
        services.practice_submit(actor=people.city, data={"title": "t", "text": "x"}, upload=upload)
    assert "attachment" in exc.value.errors
