"""Money the way officers write it on the funding pages: amounts typed in 万元 are kept as exact yuan,
shown back in 万元 with the yuan beside them; item names and refusal reasons reach users in Chinese, never
as codes (issue 9)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jigai.core.forms import WAN_MESSAGE
from jigai.funding.models import Application, Guideline
from jigai.funding.tests import factories as f
from jigai.funding.tests.test_payments import awarded

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b3\.\d\.\d(-[a-z]+)?\b|[A-Z]{3,}_[A-Z_]+")  # an item code or a reason code


def _text(html: str) -> str:
    """What a user reads: the page without tags, attributes and scripts (option values carry the codes)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    # The audit history lists the stored values as they are (jigai.audit, not a page of this work).
    html = re.sub(r'<table class="audit-history">.*?</table>', "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_requested_amount_is_typed_in_wan_and_stored_in_yuan(client, cast, guideline, ent_user):
    project = f.project(ent_user.enterprise)
    client.force_login(ent_user)
    params = {"guideline": guideline.pk, "item": "3.1.1", "target": f"project:{project.pk}"}
    r = client.post(reverse("funding:apply"), {**params, "requested_amount": "1.2345678"})
    assert r.status_code == 200 and WAN_MESSAGE in r.content.decode()
    assert not Application.objects.exists()
    r = client.post(reverse("funding:apply"), {**params, "requested_amount": "299.5"})
    app = Application.objects.get()
    assert r.status_code == 302 and app.requested_amount == Decimal("2995000")
    edit = client.get(reverse("funding:application_edit", args=[app.pk])).content.decode()
    assert 'value="299.5"' in edit and "= 2,995,000 元" in edit and "申请金额（万元" in edit
    r = client.post(reverse("funding:application_edit", args=[app.pk]), {"requested_amount": "1,000.0001"})
    app.refresh_from_db()
    assert r.status_code == 302 and app.requested_amount == Decimal("10000001")
    detail = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    assert "1,000.0001 万元（10,000,001 元）" in detail  # the exact amount, 万元 then 元


def test_guideline_budget_is_typed_in_wan(client, cast):
    client.force_login(cast.province)
    now = timezone.localtime()
    data = {
        "year": now.year,
        "title": "万元预算指南",
        "items": ["3.1.1"],
        "opens_at": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "notice_days": 5,
        "budget_3.1": "-5",
    }
    r = client.post(reverse("funding:guideline_create"), data)
    assert r.status_code == 200 and WAN_MESSAGE in r.content.decode()
    data["budget_3.1"] = "54,379.0015"
    r = client.post(reverse("funding:guideline_create"), data)
    g = Guideline.objects.get(title="万元预算指南")
    assert r.status_code == 302 and g.budgets.get(item_group="3.1").amount == Decimal("543790015")
    page = client.get(reverse("funding:guideline_detail", args=[g.pk])).content.decode()
    assert "54,379.0015 万元（543,790,015 元）" in page
    form = client.get(reverse("funding:guideline_edit", args=[g.pk])).content.decode()
    assert 'value="54379.0015"' in form


def test_payment_is_typed_in_wan(client, cast, guideline, ent_user):
    stage = awarded(f.submitted(ent_user, guideline), "3000000").payment_stages.get()
    client.force_login(cast.finance[0])
    url = reverse("funding:payment_enter", args=[stage.pk])
    page = client.get(url).content.decode()
    wan = f"{stage.planned_amount / 10000:f}".rstrip("0").rstrip(".")
    assert f'value="{wan}"' in page and "金额（万元）" in page
    r = client.post(
        url, {"paid_on": timezone.localdate().isoformat(), "amount": "三百", "voucher_no": "V1", **f.PAYEE}
    )
    assert r.status_code == 200 and WAN_MESSAGE in r.content.decode()
    body = {"paid_on": timezone.localdate().isoformat(), "amount": wan, "voucher_no": "V1", **f.PAYEE}
    r = client.post(url, body)
    assert r.status_code == 302 and stage.payments.get().amount == stage.planned_amount


def test_item_names_are_chinese_on_the_pages(client, cast, guideline, ent_user):
    app = f.submitted(
        ent_user, guideline, item="3.2.1-insurance", target=f.insured_product(ent_user.enterprise)
    )
    client.force_login(cast.county)
    for url in (reverse("funding:queue"), reverse("funding:application_detail", args=[app.pk])):
        page = client.get(url).content.decode()
        assert re.search(r"首台（套）重大技术装备保费补贴（\s*三（二）1\s*）", _text(page)), url
        assert not CODE.search(_text(page)), (url, CODE.search(_text(page)))


def test_refusal_reasons_are_chinese_only(client, cast, guideline, ent_user):
    project = f.project(ent_user.enterprise, category="service")
    client.force_login(ent_user)
    params = {"guideline": guideline.pk, "item": "3.1.1", "target": f"project:{project.pk}"}
    preview = client.get(reverse("funding:apply_preview"), params).content.decode()
    assert "项目类型不在支持范围" in preview
    assert "PROJECT_TYPE_NOT_COVERED" not in preview and not CODE.search(_text(preview))
    apply_page = client.get(reverse("funding:apply")).content.decode()
    assert "3.2.1-insurance" not in _text(apply_page)
