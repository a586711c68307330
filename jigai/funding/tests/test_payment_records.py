"""Payment records carry the payee's account and the bank's receipt (回单): the account is validated and
masked for everyone but finance; the receipt is judged by content, stored under a server-chosen name and
downloaded by finance and the province only; the plan's totals cover the whole filtered set; Excel export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.tests.factories import make_user
from jigai.audit.models import AuditEvent
from jigai.core.errors import DomainError
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Payment
from jigai.funding.models.payments import mask_account
from jigai.funding.services.payments import create_stages
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db
D = Decimal
RECEIPT = b"%PDF-1.4\n% receipt\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def awarded(app, granted):
    Application.objects.filter(pk=app.pk).update(
        status=AppStatus.AWARDED, granted_amount=D(granted), decided_at=timezone.now() - dt.timedelta(days=5)
    )
    app.refresh_from_db()
    create_stages(app)
    return app


def enter(cast, stage, **kw):
    data = {
        "paid_on": timezone.localdate(),
        "amount": stage.planned_amount,
        "voucher_no": "V-1",
        "payee_name": "华创公司",
        "payee_bank": "中国银行郑州分行",
        "payee_account": "4100-1234-5678-9012",
    }
    data.update(kw)
    return services.payment_enter(actor=cast.finance[0], stage=stage, **data)


@pytest.fixture
def stage(cast, guideline, ent_user):
    return awarded(f.submitted(ent_user, guideline), "3000000").payment_stages.get()


def test_the_account_is_stored_without_separators_and_masked(cast, stage):
    p = enter(cast, stage)
    assert (p.payee_name, p.payee_bank, p.payee_account) == (
        "华创公司",
        "中国银行郑州分行",
        "4100123456789012",
    )
    assert p.payee_account_masked == "4100 **** **** 9012"
    assert mask_account("12345678") == "********"
    # the trail has the masked account only
    event = AuditEvent.objects.filter(action="pay").latest("seq")
    assert "4100123456789012" not in str(event.after) and "9012" in str(event.after)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"payee_account": "6222-abc-1234"}, "payee_account", "8 至 32 位数字"),
        ({"payee_account": "1234567"}, "payee_account", "8 至 32 位数字"),
        ({"payee_account": "1" * 33}, "payee_account", "8 至 32 位数字"),
        ({"payee_bank": ""}, "payee_bank", "请填写开户银行"),
        ({"payee_name": " "}, "payee_name", "请填写收款单位"),
        ({"payee_account": ""}, "payee_account", "请填写银行账号"),
    ],
)
def test_an_incomplete_or_wrong_account_is_refused(cast, stage, fields, field, message):
    with pytest.raises(DomainError, match=message) as exc:
        enter(cast, stage, **fields)
    assert exc.value.field == field
    assert not Payment.objects.exists()


def test_the_receipt_is_stored_under_a_server_chosen_name(settings, tmp_path, cast, stage):
    settings.MEDIA_ROOT = tmp_path
    p = enter(cast, stage)
    upload = SimpleUploadedFile("../../../etc/passwd<script>.pdf", RECEIPT)
    p = services.payment_confirm(actor=cast.finance[1], payment=p, receipt=upload)
    p.refresh_from_db()
    assert p.status == "confirmed" and p.receipt_type == "PDF"
    assert p.receipt.name.startswith("funding/receipts/") and p.receipt.name.endswith(".pdf")
    assert "passwd" not in p.receipt.name and "script" not in p.receipt.name
    assert p.receipt.open("rb").read() == RECEIPT


def test_a_receipt_that_is_not_pdf_or_image_is_refused(settings, tmp_path, cast, stage):
    settings.MEDIA_ROOT = tmp_path
    p = enter(cast, stage)
    with pytest.raises(DomainError, match="回单格式不正确") as exc:
        services.payment_confirm(
            actor=cast.finance[1],
            payment=p,
            receipt=SimpleUploadedFile("回单.pdf", b"<html>not a pdf</html>"),
        )
    assert exc.value.field == "receipt"
    p.refresh_from_db()
    assert p.status == "entered" and not p.receipt


@pytest.fixture
def paid(settings, tmp_path, cast, stage):
    settings.MEDIA_ROOT = tmp_path
    p = enter(cast, stage)
    return services.payment_confirm(
        actor=cast.finance[1], payment=p, receipt=SimpleUploadedFile("r.png", PNG)
    )


@pytest.mark.parametrize("who", ["finance", "province"])
def test_finance_and_the_province_download_the_receipt(client, cast, paid, who):
    client.force_login(cast.finance[0] if who == "finance" else cast.province)
    r = client.get(reverse("funding:payment_receipt", args=[paid.pk]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert "attachment" in r["Content-Disposition"] and ".png" in r["Content-Disposition"]


@pytest.mark.parametrize("who", ["owner", "county", "city", "leader", "bank"])
def test_nobody_else_downloads_the_receipt(client, cast, ent_user, paid, who):
    user = {
        "owner": ent_user,
        "county": cast.county,
        "city": cast.city,
        "leader": make_user("leader"),
        "bank": make_user("bank"),
    }[who]
    client.force_login(user)
    assert client.get(reverse("funding:payment_receipt", args=[paid.pk])).status_code == (
        403 if who == "bank" else 404
    )


def test_the_page_enters_the_account_and_confirms_with_the_receipt(settings, tmp_path, client, cast, stage):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.finance[0])
    page = client.get(reverse("funding:payment_enter", args=[stage.pk])).content.decode()
    assert stage.application.enterprise.name in page  # the payee defaults to the enterprise
    r = client.post(
        reverse("funding:payment_enter", args=[stage.pk]),
        {
            "paid_on": timezone.localdate().isoformat(),
            "amount": "300",
            "voucher_no": "V-9",
            "payee_name": "华创公司",
            "payee_bank": "建设银行",
            "payee_account": "12ab",
        },
    )
    assert r.status_code == 200 and "8 至 32 位数字" in r.content.decode()
    assert not Payment.objects.exists()
    client.post(
        reverse("funding:payment_enter", args=[stage.pk]),
        {
            "paid_on": timezone.localdate().isoformat(),
            "amount": "300",
            "voucher_no": "V-9",
            "payee_name": "华创公司",
            "payee_bank": "建设银行",
            "payee_account": "6217 0000 1111 2222",
        },
    )
    p = Payment.objects.get()
    assert p.payee_account == "6217000011112222"
    client.force_login(cast.finance[1])
    page = client.get(reverse("funding:payment_list")).content.decode()
    assert "6217000011112222" in page  # finance sees the full account
    r = client.post(
        reverse("funding:payment_confirm", args=[p.pk]),
        {"receipt": SimpleUploadedFile("回单.pdf", RECEIPT)},
        follow=True,
    )
    assert "银行回单已保存" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "confirmed" and p.receipt_type == "PDF"
    page = client.get(reverse("funding:payment_list") + "?state=all").content.decode()
    assert reverse("funding:payment_receipt", args=[p.pk]) in page


def test_totals_cover_the_whole_filtered_set(client, cast, guideline):
    from jigai.funding.views import _helpers

    stages = []
    for n in range(3):
        user = f.enterprise_user("410102")
        stages.append(awarded(f.submitted(user, guideline), str(1000000 * (n + 1))).payment_stages.get())
    enter(cast, stages[0], amount=D("1000000"))
    p = enter(cast, stages[1], amount=D("2000000"))
    services.payment_confirm(actor=cast.finance[1], payment=p)
    client.force_login(cast.finance[0])
    old = _helpers.PAGE_SIZE
    _helpers.PAGE_SIZE = 1  # one row per page: the totals still cover every stage
    try:
        page = client.get(reverse("funding:payment_list") + "?state=all")
    finally:
        _helpers.PAGE_SIZE = old
    html = page.content.decode()
    assert 'data-testid="total-planned">600 万元' in html
    assert "已拨付 200 万元；待复核 100 万元" in html
    unpaid = client.get(reverse("funding:payment_list")).content.decode()
    assert 'data-testid="total-planned">400 万元' in unpaid  # the filter narrows the totals


def test_the_plan_exports_to_excel(client, cast, stage):
    from openpyxl import load_workbook

    enter(cast, stage, voucher_no="V-X")
    client.force_login(cast.finance[1])
    r = client.get(reverse("funding:payment_export") + "?state=all")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    assert "银行账号" in header and "计划拨付（元）" in header
    body = [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]
    row = next(r for r in body if r["申报编号"] == stage.application.tracking_no)
    assert row["凭证号"] == "V-X" and row["银行账号"] == "4100123456789012" and row["状态"] == "已录入待复核"
    client.force_login(cast.province)
    assert client.get(reverse("funding:payment_export")).status_code == 403


def test_messages_say_the_amount_in_wan(cast, stage):
    with pytest.raises(DomainError, match=r"计划拨付 300 万元（3,000,000 元）"):
        enter(cast, stage, amount=D("3000001"))
