"""Stored file names are the server's (issue 12): a client's `evil.html` is stored as `<random>.pdf`."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from jigai.core.uploads import ServerNamedUpload, download_name
from jigai.funding.tests import factories as f
from jigai.registry.models import Title

PDF = b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n"


@pytest.mark.django_db
def test_the_client_name_and_extension_never_reach_the_disk(tmp_path):
    ent = f.enterprise()
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        title = f.title(ent)
        title.certificate = SimpleUploadedFile("evil.html", PDF, content_type="text/html")
        title.save()
        stored = Title.objects.get(pk=title.pk).certificate.name
    assert stored.startswith("registry/titles/")
    leaf = stored.rsplit("/", 1)[-1]
    assert leaf.endswith(".pdf") and "evil" not in stored and ".html" not in stored
    assert len(leaf) == 32 + len(".pdf")
    assert (tmp_path / stored).read_bytes() == PDF


def test_the_extension_follows_the_content():
    upload = ServerNamedUpload("x/%Y/")
    assert upload == ServerNamedUpload("x/%Y")
    assert upload.deconstruct()[1] == ("x/%Y/",)


def test_download_names_use_the_label_and_the_detected_extension():
    assert download_name("可研报告", "funding/attachments/2026/ab12.pdf") == "可研报告.pdf"
    assert download_name('a/b\\c:"d"', "x/1.png") == "a_b_c_d_.png"
    assert download_name("", "x/1.jpg") == "文件.jpg"
    assert download_name("回单.pdf", "x/1.pdf") == "回单.pdf"


@pytest.mark.django_db
def test_a_file_the_server_writes_keeps_only_a_harmless_extension(tmp_path):
    from django.core.files.base import ContentFile

    from jigai.accounts.tests.factories import make_user
    from jigai.jobs.models import Job

    with override_settings(MEDIA_ROOT=str(tmp_path)):
        job = Job(owner=make_user("county"), kind="export.x", label="导出", handler="x.y")
        job.result_file.save("导出.xlsx", ContentFile(b"PK\x03\x04 export"), save=False)
        assert job.result_file.name.endswith(".xlsx") and "导出" not in job.result_file.name
        job.input_file.save("evil.html", ContentFile(b"<script>alert(1)</script>"), save=False)
        assert job.input_file.name.endswith(".bin")
