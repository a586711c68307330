"""Uploads and imports are limited per user: past the limit the answer is 429 with a Chinese message, and
the service behind is not called (issue 12)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from jigai.funding.models import Attachment
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _upload(client, app, n):
    return client.post(
        f"/funding/applications/{app.pk}/attachments/",
        {"name": f"材料{n}", "file": SimpleUploadedFile(f"a{n}.pdf", PDF, content_type="application/pdf")},
    )


@override_settings(JIGAI_UPLOAD_RATE="3/600")
def test_the_fourth_upload_in_ten_minutes_is_refused_and_stores_nothing(client):
    user = f.enterprise_user()
    app = f.draft(user, f.guideline())
    client.force_login(user)
    for n in range(3):
        assert _upload(client, app, n).status_code in (200, 302)
    assert Attachment.objects.filter(application=app).count() == 3
    refused = _upload(client, app, 4)
    assert refused.status_code == 429
    assert "上传文件过于频繁" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Attachment.objects.filter(application=app).count() == 3
    # Another user is not held back by the first one's uploads.
    other = f.enterprise_user("410305")
    other_app = f.draft(other, app.guideline)
    client.force_login(other)
    assert _upload(client, other_app, 5).status_code in (200, 302)


@override_settings(JIGAI_IMPORT_RATE="1/600")
def test_imports_have_their_own_limit(client):
    user = f.enterprise_user()
    client.force_login(user)
    workbook = SimpleUploadedFile("p.xlsx", b"PK\x03\x04 not really", content_type="application/octet-stream")
    first = client.post("/registry/excel/import/projects/", {"file": workbook})
    assert first.status_code != 429
    second = client.post("/registry/excel/import/projects/", {"file": workbook})
    assert second.status_code == 429
    assert "导入过于频繁" in second.content.decode()


def test_reading_pages_is_never_limited(client):
    user = f.enterprise_user()
    client.force_login(user)
    with override_settings(JIGAI_UPLOAD_RATE="1/600", JIGAI_IMPORT_RATE="1/600"):
        for _ in range(5):
            assert client.get("/registry/excel/import/projects/").status_code != 429
