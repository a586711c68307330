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


# ----------------------------------------------------------------------- printable documents (issue 9)

RECEIPT = b"%PDF-1.4\n% bank receipt\n%%EOF\n"
ACCOUNT = "6222 0212 3456 7890 123"


@pytest.fixture
def award(settings, tmp_path, cast, guideline, ent_user):
    """An award driven through the real services: reviewed at every level, decided, on notice, final
    (已立项), the first stage paid by one finance user and confirmed with a receipt by the other."""
    import datetime as dt

    from django.utils import timezone

    from jigai.funding.models import PublicNotice

    settings.MEDIA_ROOT = tmp_path
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    notice = services.notice_publish(actor=cast.province, guideline=guideline)
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    notice.refresh_from_db()
    services.notice_finalize(actor=cast.province, notice=notice)
    app.refresh_from_db()
    assert app.status == AppStatus.AWARDED
    stage = app.payment_stages.get()
    maker, checker = cast.finance
    payment = services.payment_enter(
        actor=maker,
        stage=stage,
        paid_on=timezone.localdate(),
        amount=stage.planned_amount,
        voucher_no="豫财企〔2026〕7号",
        payee_name=ent_user.enterprise.name,
        payee_bank="中国工商银行郑州中原支行",
        payee_account=ACCOUNT,
    )
    receipt = SimpleUploadedFile("../../etc/回单<b>.pdf", RECEIPT, content_type="application/pdf")
    services.payment_confirm(actor=checker, payment=payment, receipt=receipt)
    payment.refresh_from_db()
    return app, payment


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return _shown_text(_page_text(pdf)).replace(" ", "")


def _doc_urls(app, payment) -> dict[str, str]:
    a = app.expert_assignments.filter(voided=False).first()
    return {
        "form": reverse("funding:application_pdf", args=[app.pk]),
        "county": reverse("funding:review_county_pdf", args=[app.pk]),
        "city": reverse("funding:review_city_pdf", args=[app.pk]),
        "province": reverse("funding:review_province_pdf", args=[app.pk]),
        "expert": reverse("funding:expert_sheet_pdf", args=[a.pk]),
        "notice": reverse("funding:approval_notice_pdf", args=[app.pk]),
        "payment": reverse("funding:payment_record_pdf", args=[payment.pk]),
    }


ROLES = ["owner", "county", "city", "province", "leader", "finance", "expert"]


def _who(cast, ent_user, who):
    return {
        "owner": ent_user,
        "county": cast.county,
        "city": cast.city,
        "province": cast.province,
        "leader": make_user("leader"),
        "finance": cast.finance[0],
        "expert": cast.experts[0],
    }[who]


@pytest.mark.parametrize("who", ROLES)
def test_every_document_opens_for_whoever_sees_the_award(client, cast, ent_user, award, who):
    app, payment = award
    client.force_login(_who(cast, ent_user, who))
    name = app.enterprise.name.replace(" ", "")
    for kind, url in _doc_urls(app, payment).items():
        if kind == "expert" and who in ("owner", "county", "city", "finance"):
            # the score sheet belongs to the expert review: the province, the leader and the expert only
            assert client.get(url).status_code == (403 if who == "bank" else 404), (who, kind)
            continue
        r = client.get(url)
        assert r.status_code == 200, (who, kind)
        assert r["Content-Type"] == "application/pdf"
        text = _text(r.content)
        assert name in text, (who, kind)
        assert "360万元（3,600,000元）" in text, (who, kind)  # the amount as the pages write it


def test_documents_show_their_own_facts(client, cast, ent_user, award):
    app, payment = award
    client.force_login(cast.province)
    urls = _doc_urls(app, payment)
    form = _text(client.get(urls["form"]).content)
    assert "河南省企业技术改造提升专项资金申报书" in form
    assert "设备实际投资（元）" in form and "900万元（9,000,000元）" in form  # a frozen fact with its label
    assert "三（一）1" in form and "测算过程" in form  # the calculator's explanation, clause by clause
    assert "申报单位（盖章）" in form and "法定代表人（签字）" in form
    county = _text(client.get(urls["county"]).content)
    assert "县级初审意见表" in county and "通过。同意。" in county and "（盖章）" in county
    assert "形式审查意见" in _text(client.get(urls["province"]).content)
    expert = _text(client.get(urls["expert"]).content)
    assert "技术先进性" in expert and "评审专家" in expert and "技术先进，效益明显。" in expert
    notice = _text(client.get(urls["notice"]).content)
    assert "河南省工业和信息化厅" in notice and "专项资金项目立项通知" in notice and "确定立项" in notice
    assert "—1—" in notice  # the page number at the foot
    record = _text(client.get(urls["payment"]).content)
    assert "豫财企〔2026〕7号" in record and "中国工商银行郑州中原支行" in record
    assert "6222********0123" in record and "6222021234567890123" not in record  # masked for the province


def test_the_payment_record_shows_the_full_account_to_finance_only(client, cast, ent_user, award):
    _app, payment = award
    url = reverse("funding:payment_record_pdf", args=[payment.pk])
    client.force_login(cast.finance[1])
    assert "6222021234567890123" in _text(client.get(url).content)
    client.force_login(ent_user)
    text = _text(client.get(url).content)
    assert "6222021234567890123" not in text and "6222********0123" in text


@pytest.mark.parametrize("who", ["other_county", "other_enterprise", "bank", "other_expert"])
def test_documents_are_404_out_of_scope(client, cast, award, who):
    app, payment = award
    user = {
        "other_county": lambda: make_user("county", "410305"),
        "other_enterprise": lambda: f.enterprise_user("410102"),
        "bank": lambda: make_user("bank"),
        "other_expert": lambda: make_user("expert"),
    }[who]()
    client.force_login(user)
    for kind, url in _doc_urls(app, payment).items():
        assert client.get(url).status_code == (403 if who == "bank" else 404), (who, kind)


def test_the_approval_notice_exists_only_for_an_award(client, cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    client.force_login(ent_user)
    assert client.get(reverse("funding:application_pdf", args=[app.pk])).status_code == 200
    assert client.get(reverse("funding:approval_notice_pdf", args=[app.pk])).status_code == 404
    # a blank county sheet prints before the county has reviewed (to fill by hand)
    text = _text(client.get(reverse("funding:review_county_pdf", args=[app.pk])).content)
    assert "县级初审意见" in text and "年月日" in text


def test_an_expert_sees_no_document_before_declaring(client, cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    (a,) = services.expert_assign(actor=cast.province, application=app, experts=[cast.experts[0]])
    client.force_login(cast.experts[0])
    assert client.get(reverse("funding:application_pdf", args=[app.pk])).status_code == 404
    assert client.get(reverse("funding:expert_sheet_pdf", args=[a.pk])).status_code == 404
    services.expert_declare(actor=cast.experts[0], assignment=a, has_conflict=False)
    assert client.get(reverse("funding:expert_sheet_pdf", args=[a.pk])).status_code == 200


def test_the_pages_offer_the_documents(client, cast, ent_user, award):
    app, payment = award
    client.force_login(ent_user)
    page = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    for url in ("form", "county", "city", "province", "notice", "payment"):
        assert _doc_urls(app, payment)[url] in page, url
    client.force_login(cast.province)
    page = client.get(reverse("funding:decision", args=[app.guideline_id])).content.decode()
    assert reverse("funding:approval_notice_pdf", args=[app.pk]) in page
    client.force_login(cast.experts[0])
    a = app.expert_assignments.get(expert=cast.experts[0], voided=False)
    page = client.get(reverse("funding:expert_review", args=[a.pk])).content.decode()
    assert reverse("funding:expert_sheet_pdf", args=[a.pk]) in page


def test_document_text_with_markup_stays_literal():
    from jigai.web.pdf import Document

    doc = Document(
        title="标题<b>&", issuer="<a href='http://evil.example/'>单位</a>", doc_no="文号", compress=False
    )
    doc.fields([("企业", "<img src=x>")])
    doc.signatures(["经办人"], seal="单位（盖章）")
    pdf = doc.render()
    assert b"/URI" not in pdf and b"evil.example" not in pdf
    assert "标题<b>&" in _shown_text(pdf)
