"""Printable documents and payment records in a real Chromium (issue 9): the province downloads the 立项通知
PDF of a decided award from the decision page; finance enters a payment with the payee's account and the
checker confirms it with the bank's receipt (回单) uploaded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from jigai.funding import services
from jigai.funding.models import AppStatus, Payment, PublicNotice
from jigai.funding.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIPT = b"%PDF-1.4\n% bank receipt\n%%EOF\n"


def _as(browser: Browser, base: str, user, errors: list[str]) -> Page:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # irreversible steps ask first (data-confirm)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return page


def _award(cast, ent_user):
    g = f.guideline(actor=cast.province)
    app = f.to_status(f.submitted(ent_user, g), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(actor=cast.province, guideline=g, item_group="3.1", method="score")
    services.allocation_decide(actor=cast.province, allocation=alloc)
    notice = services.notice_publish(actor=cast.province, guideline=g)
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    notice.refresh_from_db()
    services.notice_finalize(actor=cast.province, notice=notice)
    app.refresh_from_db()
    return app


def test_notice_pdf_and_payment_with_account_and_receipt(browser: Browser, live_server, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    errors: list[str] = []
    cast = f.Cast()
    ent_user = f.enterprise_user("410102")
    app = _award(cast, ent_user)
    assert app.status == AppStatus.AWARDED

    # The province opens the decision page and downloads the award's 立项通知.
    p = _as(browser, base, cast.province, errors)
    p.goto(f"{base}/funding/decision/{app.guideline_id}/")
    link = p.get_by_test_id(f"notice-pdf-{app.pk}")
    expect(link).to_have_text("立项通知")
    r = p.context.request.get(base + link.get_attribute("href"))
    assert r.status == 200 and r.headers["content-type"] == "application/pdf"
    assert r.body().startswith(b"%PDF")
    p.context.close()

    # One finance user enters the payment with the payee's account …
    maker, checker = cast.finance
    m = _as(browser, base, maker, errors)
    m.goto(f"{base}/funding/payments/")
    m.get_by_role("link", name="录入拨付").first.click()
    expect(m.get_by_label("收款单位")).to_have_value(ent_user.enterprise.name)
    m.get_by_label("凭证号").fill("豫财企〔2026〕99号")
    m.get_by_label("开户银行").fill("中国工商银行郑州中原支行")
    m.get_by_label("银行账号").fill("6222 0212 3456 7890")
    m.get_by_role("button", name="录入").click()
    expect(m.locator(".flash-success")).to_contain_text("等待另一位财政人员复核")
    m.context.close()

    # … the other confirms it with the bank's receipt.
    receipt = tmp_path / "回单.pdf"
    receipt.write_bytes(RECEIPT)
    c = _as(browser, base, checker, errors)
    c.goto(f"{base}/funding/payments/")
    payment = Payment.objects.get(stage__application=app)
    expect(c.get_by_test_id(f"account-{payment.pk}")).to_have_text("6222021234567890")
    c.get_by_test_id(f"receipt-{payment.pk}").set_input_files(str(receipt))
    c.get_by_test_id(f"confirm-{payment.pk}").click()
    expect(c.locator(".flash-success")).to_contain_text("银行回单已保存")
    c.goto(f"{base}/funding/payments/?state=all")
    with c.expect_download() as download:
        c.get_by_test_id(f"receipt-link-{payment.pk}").click()
    assert open(download.value.path(), "rb").read() == RECEIPT
    c.context.close()

    payment.refresh_from_db()
    assert (payment.status, payment.payee_account, payment.receipt_type) == (
        "confirmed",
        "6222021234567890",
        "PDF",
    )
    assert errors == []
