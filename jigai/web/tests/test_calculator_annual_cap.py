"""The calculator page asks, for the items with an enterprise annual cap (三（二）1、2), what the
enterprise's other awards of the year already take of it, and shows the cut."""

from __future__ import annotations

from django.urls import reverse

from jigai.web.tests.test_calculator import E01, field_block, text

URL = reverse("web:calculator")

AWARD = {
    "item": "3.2.1-award",
    "as_of": "2022-06-30",
    "applicant.in_henan": "on",
    "rows:facts.products": "1",
    "facts.products[0].name": "甲",
    "facts.products[0].recognitions": ["national"],
    "facts.products[0].sales_invoice_amount": "60000000",
}


def test_the_field_is_asked_only_for_items_with_an_annual_cap(client):
    assert 'name="annual_cap_used"' in client.get(URL, {"item": "3.2.1-award"}).content.decode()
    assert 'name="annual_cap_used"' in client.get(URL, {"item": "3.2.2-award"}).content.decode()
    assert 'name="annual_cap_used"' in client.get(URL, {"item": "auto"}).content.decode()
    assert 'name="annual_cap_used"' not in client.get(URL, {"item": "3.1.1"}).content.decode()


def test_what_is_left_of_the_cap_is_the_ceiling(client):
    page = text(client.post(URL, {**AWARD, "annual_cap_used": "400"}))
    assert "100 万元" in page and "单个企业年度上限" in page
    assert (
        "已占用 4,000,000 元，单个企业年度上限 5,000,000 元，剩余 1,000,000 元 → 本次不超过 1,000,000 元"
        in page
    )


def test_nothing_left_is_not_eligible(client):
    page = text(client.post(URL, {**AWARD, "annual_cap_used": "500"}))
    assert "不符合支持条件" in page and "已达单个企业年度上限" in page


def test_blank_means_nothing_used(client):
    page = text(client.post(URL, {**AWARD, "annual_cap_used": ""}))
    assert "300 万元" in page


def test_a_bad_amount_is_shown_beside_the_field(client):
    response = client.post(URL, {**AWARD, "annual_cap_used": "-5"})
    block = field_block(response, "annual_cap_used")
    assert 'aria-invalid="true"' in block and "金额不能为负数" in block
    assert "calc-outcome" not in response.content.decode()


def test_items_without_a_cap_ignore_it(client):
    # a value left over from another item stays on the page (not dropped silently); 3.1.1 ignores it
    response = client.post(URL, {**E01, "annual_cap_used": "900"})
    assert 'value="900"' in field_block(response, "annual_cap_used")
    assert "360 万元" in text(response)
