"""Documents through the pages: an attachment downloads for its owner and its county reviewer with the
bytes that were uploaded; a notice PDF shows an enterprise name with markup literally (no live link)."""

from __future__ import annotations

import base64
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jigai.accounts.tests.factories import make_user
from jigai.funding import services
from jigai.funding.models import AppStatus
from jigai.funding.tests import factories as f
from jigai.web.pdf import pdf_escape

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n% jigai test attachment\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVIL = '<a href="http://evil.example/">x</a>"><img src=x>&'
LINK_ONLY = '<a href="http://evil.example/">官网</a><b>华创</b>'  # old code: a live link, not a 500


@pytest.fixture
def attachment(settings, tmp_path, cast, guideline, ent_user):
    settings.MEDIA_ROOT = tmp_path
    app = f.draft(ent_user, guideline)
    upload = SimpleUploadedFile("可研报告.pdf", PDF_BYTES, content_type="application/pdf")
    att = services.attachment_add(actor=ent_user, application=app, name="可研报告", upload=upload)
    services.application_submit(actor=ent_user, application=app)
    return att


@pytest.mark.parametrize("who", ["owner", "county"])
def test_attachment_downloads_with_its_bytes(client, cast, ent_user, attachment, who):
    client.force_login(ent_user if who == "owner" else cast.county)
    r = client.get(reverse("funding:attachment_download", args=[attachment.pk]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF_BYTES
    assert "attachment" in r["Content-Disposition"]


def test_attachment_out_of_scope_is_404(client, attachment):
    client.force_login(make_user("county", "410305"))
    assert client.get(reverse("funding:attachment_download", args=[attachment.pk])).status_code == 404


def test_pdf_escape_shows_markup_literally():
    assert pdf_escape('<b>A&B</b>"') == "&lt;b&gt;A&amp;B&lt;/b&gt;&quot;"
    assert pdf_escape(None) == ""
    assert pdf_escape(12) == "12"


def _page_text(pdf: bytes) -> bytes:
    """The decoded content streams of a reportlab PDF (ASCII85 + Flate; no PDF library in the venv)."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = m.group(1).strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        out.append(zlib.decompress(data))
    return b"\n".join(out)


def _shown_text(content: bytes) -> str:
    """The text a reader sees: every `(...) Tj` string of the CID font (big-endian UCS-2 after the PDF
    string escapes \\ddd, \\(, \\), \\\\), joined in drawing order."""
    out = []
    for m in re.finditer(rb"\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
        raw = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda e: bytes([int(e.group(1), 8)]) if re.fullmatch(rb"[0-7]+", e.group(1)) else e.group(1),
            m.group(1),
        )
        if len(raw) % 2 == 0:
            out.append(raw.decode("utf-16-be", errors="replace"))
    return "".join(out)


@pytest.fixture(params=[EVIL, LINK_ONLY], ids=["link-img-amp", "link-bold"])
def evil_notice(request, cast, guideline):
    user = f.enterprise_user("410102")
    ent = user.enterprise
    ent.name = request.param
    ent.save(update_fields=["name"])
    f.to_status(f.submitted(user, guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    return services.notice_publish(actor=cast.province, guideline=guideline, title="拟支持项目公示<b>&")


@pytest.mark.parametrize("who", ["public", "province"])
def test_notice_pdf_with_markup_in_names_has_no_link(client, cast, evil_notice, who):
    if who == "public":
        url = reverse("funding:public_notice_pdf", args=[evil_notice.pk])
    else:
        client.force_login(cast.province)
        url = reverse("funding:notice_export_pdf", args=[evil_notice.pk])
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = r.content
    assert pdf.startswith(b"%PDF")
    # No link annotation of any kind, no outside address anywhere in the file.
    assert b"/URI" not in pdf and b"/Annot" not in pdf and b"/Link" not in pdf
    assert b"evil.example" not in pdf
    # The name is shown literally: its text (UCS-2 in the CID font) is in the page content.
    content = _page_text(pdf)
    assert b"/Link" not in content
    shown = _shown_text(content).replace(" ", "")
    assert evil_notice.entries.get().application.enterprise.name.replace(" ", "") in shown
    assert "拟支持项目公示<b>&" in shown
