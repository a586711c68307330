"""Deleting a draft: only its owning enterprise, only while it is a draft; row and files gone, audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, NotFound
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Attachment
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n% jigai draft attachment\n%%EOF\n"
API = "/api/v1/funding"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(media, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    upload = SimpleUploadedFile("可研报告.pdf", PDF_BYTES, content_type="application/pdf")
    services.attachment_add(actor=ent_user, application=app, name="可研报告", upload=upload)
    return app


def _file_path(app):
    return app.attachments.get().file.path


# ---------------------------------------------------------------------------------------------- service


def test_the_owner_deletes_a_draft_with_its_files_after_commit(
    ent_user, draft, django_capture_on_commit_callbacks
):
    path = _file_path(draft)
    pk, tracking_no = draft.pk, draft.tracking_no
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_delete_draft(actor=ent_user, application=draft)
    assert not Application.objects.filter(pk=pk).exists()
    assert not Attachment.objects.filter(application_id=pk).exists()
    assert open(path, "rb").read() == PDF_BYTES  # the file stays until the deletion is committed
    for callback in callbacks:
        callback()
    with pytest.raises(FileNotFoundError):
        open(path, "rb")
    event = AuditEvent.objects.filter(action="delete", target_id=str(pk)).get()
    assert event.actor == ent_user and event.enterprise_id == ent_user.enterprise_id
    assert event.before["tracking_no"] == tracking_no and event.before["status"] == "draft"
    assert event.before["attachments"][0]["name"] == "可研报告"
    assert event.after is None


def test_a_rolled_back_deletion_keeps_row_and_files(ent_user, draft):
    path = _file_path(draft)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.application_delete_draft(actor=ent_user, application=draft)
        raise RuntimeError("rolled back")
    assert Application.objects.filter(pk=draft.pk).exists()
    assert open(path, "rb").read() == PDF_BYTES


def test_another_enterprise_gets_not_found(draft):
    other = f.enterprise_user()
    with pytest.raises(NotFound):
        services.application_delete_draft(actor=other, application=draft)
    assert Application.objects.filter(pk=draft.pk).exists()


def test_the_county_may_not_delete(cast, draft):
    with pytest.raises(AccessDenied):
        services.application_delete_draft(actor=cast.county, application=draft)
    assert Application.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("status", [AppStatus.SUBMITTED, AppStatus.RETURNED, AppStatus.WITHDRAWN])
def test_only_a_draft_is_deleted(cast, ent_user, draft, status):
    Application.objects.filter(pk=draft.pk).update(status=status)
    audits = AuditEvent.objects.count()
    with pytest.raises(Conflict) as caught:
        services.application_delete_draft(actor=ent_user, application=draft)
    assert caught.value.code == "not_draft" and "只有未提交的草稿可以删除" in caught.value.message
    assert Application.objects.filter(pk=draft.pk).exists() and draft.attachments.exists()
    assert AuditEvent.objects.count() == audits


def test_a_submitted_application_is_never_deleted(ent_user, draft):
    services.application_submit(actor=ent_user, application=draft)
    with pytest.raises(Conflict, match="待县级初审"):
        services.application_delete_draft(actor=ent_user, application=draft)
    assert Application.objects.get(pk=draft.pk).status == AppStatus.SUBMITTED


# ---------------------------------------------------------------------------------------------- pages


def test_the_detail_page_offers_the_delete_button_for_drafts_only(client, ent_user, draft):
    client.force_login(ent_user)
    detail = reverse("funding:application_detail", args=[draft.pk])
    delete = reverse("funding:application_delete", args=[draft.pk])
    assert f'action="{delete}"' in client.get(detail).content.decode()
    services.application_submit(actor=ent_user, application=draft)
    assert f'action="{delete}"' not in client.get(detail).content.decode()


def test_the_page_asks_for_confirmation_then_deletes(
    client, ent_user, draft, django_capture_on_commit_callbacks
):
    path = _file_path(draft)
    client.force_login(ent_user)
    url = reverse("funding:application_delete", args=[draft.pk])
    for asked in (client.get(url), client.post(url)):  # the button on the detail page posts without "confirm"
        html = asked.content.decode()
        assert asked.status_code == 200 and "确定删除吗" in html and 'name="confirm" value="yes"' in html
    assert Application.objects.filter(pk=draft.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"confirm": "yes"}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("funding:queue")
    assert f"申报草稿 {draft.tracking_no} 已删除。" in r.content.decode()
    assert not Application.objects.filter(pk=draft.pk).exists()
    with pytest.raises(FileNotFoundError):
        open(path, "rb")


def test_the_page_refuses_a_submitted_application(client, ent_user, draft):
    services.application_submit(actor=ent_user, application=draft)
    client.force_login(ent_user)
    url = reverse("funding:application_delete", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "只有未提交的草稿可以删除" in html and 'name="confirm"' not in html
    r = client.post(url, {"confirm": "yes"}, follow=True)
    assert "只有未提交的草稿可以删除" in r.content.decode()
    assert Application.objects.filter(pk=draft.pk).exists()


def test_the_page_for_others(client, cast, draft):
    url = reverse("funding:application_delete", args=[draft.pk])
    client.force_login(f.enterprise_user())
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    client.force_login(cast.county)
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    client.force_login(cast.province)
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert Application.objects.filter(pk=draft.pk).exists()


# ---------------------------------------------------------------------------------------------- API


def test_the_api_deletes_the_owners_draft(client, ent_user, draft):
    client.force_login(ent_user)
    r = client.delete(f"{API}/applications/{draft.pk}")
    assert r.status_code == 204
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert client.delete(f"{API}/applications/{draft.pk}").status_code == 404


def test_the_api_refuses_others_and_submitted(client, cast, ent_user, draft):
    url = f"{API}/applications/{draft.pk}"
    client.force_login(f.enterprise_user())
    assert client.delete(url).status_code == 404
    client.force_login(cast.county)
    r = client.delete(url)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    services.application_submit(actor=ent_user, application=draft)
    client.force_login(ent_user)
    r = client.delete(url)
    assert r.status_code == 409 and r.json()["code"] == "not_draft"
    client.logout()
    assert client.delete(url).status_code == 401
    assert Application.objects.filter(pk=draft.pk).exists()
