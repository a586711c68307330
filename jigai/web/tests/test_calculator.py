"""The public calculator page (/calculator): plain form POSTs without JavaScript, the htmx partial, row
editing, field errors in Chinese, and the engine's answer shown in 万元 and 元."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jigai.web.calculator_forms import CalculatorForm, percent
from jigai.web.templatetags.money import money, wan, yuan

URL = reverse("web:calculator")

E01 = {
    "item": "3.1.1",
    "as_of": "2022-06-30",
    "applicant.in_henan": "on",
    "facts.project_type": "intelligent",
    "facts.equipment_investment": "900",  # 万元 (the calculator takes amounts in 万元)
    "facts.software_investment": "300",
}

E07 = {
    "item": "3.2.1-insurance",
    "as_of": "2022-10-01",
    "applicant.in_henan": "on",
    "facts.recognitions": ["provincial"],
    "facts.insured_amount": "2000",  # 万元; the premiums stay in 元 (their policy documents)
    "rows:facts.periods": "3",
    "facts.periods[0].start": "2022-01-01",
    "facts.periods[0].months": "12",
    "facts.periods[0].premium": "700000",
    "facts.periods[1].start": "2023-01-01",
    "facts.periods[1].months": "12",
    "facts.periods[1].premium": "500000",
    "facts.periods[2].start": "2024-01-01",
    "facts.periods[2].months": "24",
    "facts.periods[2].premium": "900000",
}


def text(response) -> str:
    """The page's visible text, tags removed, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def field_block(response, name: str) -> str:
    """The HTML of the form block holding the input `name` (its label, input and error lines)."""
    html = response.content.decode()
    start = html.index(f'name="{name}"')
    begin = html.rfind('<div class="calc-field">', 0, start)
    end = html.index("</div>", start)
    return html[begin:end]


def test_get_renders_the_form_for_anyone(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "政策计算器" in body
    assert '<optgroup label="三（一）技术改造项目">' in body
    assert '<optgroup label="三（四）试点示范">' in body
    assert 'value="auto"' in body
    assert 'name="as_of"' in body and 'name="applicant.in_henan"' in body and 'name="applicant.uscc"' in body
    assert 'name="other_provincial_support"' in body
    # the default item 3.1.1 asks only its own facts
    assert 'name="facts.equipment_investment"' in body
    assert 'name="facts.machine_purchase_investment"' not in body
    assert 'hx-post="/calculator"' in body


def test_as_of_defaults_to_today(client):
    from django.utils import timezone

    assert f'value="{timezone.localdate().isoformat()}"' in field_block(client.get(URL), "as_of")


def test_get_with_item_shows_only_that_items_facts(client):
    body = client.get(URL, {"item": "3.2.1-insurance"}).content.decode()
    assert 'name="facts.insured_amount"' in body
    assert 'name="facts.periods[0].premium"' in body
    assert 'name="rows:facts.periods" value="1"' in body
    assert 'name="facts.equipment_investment"' not in body


def test_post_e01_shows_ceiling_in_wan_and_yuan_with_the_clause(client):
    response = client.post(URL, E01)
    assert response.status_code == 200
    page = text(response)
    assert "符合支持条件" in page
    assert "360 万元" in page
    assert "3,600,000 元" in page
    assert "三（一）1" in page
    assert "批准后拨付" in page  # the schedule, in Chinese
    assert "12,000,000 元" in page  # the explanation lines
    # the entered values stay in the form
    block = field_block(response, "facts.equipment_investment")
    assert 'value="900"' in block and "（万元）" in block and "= 9,000,000 元" in block


def test_not_eligible_shows_the_reasons_in_chinese(client):
    response = client.post(URL, {**E01, "facts.project_type": "service"})
    page = text(response)
    assert "不符合支持条件" in page
    assert "项目类型不在支持范围" in page
    assert "0 万元" in page


def test_limits_applied_in_chinese(client):
    response = client.post(
        URL, {**E01, "facts.equipment_investment": "4100.00005", "facts.software_investment": "200"}
    )
    page = text(response)
    assert "1,000 万元" in page and "10,000,000 元" in page
    assert "条款补助上限" in page


def test_bad_money_shows_chinese_error_next_to_the_field_and_no_result(client):
    response = client.post(URL, {**E01, "facts.equipment_investment": "九百万"})
    assert response.status_code == 200
    block = field_block(response, "facts.equipment_investment")
    assert 'aria-invalid="true"' in block
    assert "请输入以万元为单位的金额" in block
    assert 'value="九百万"' in block  # what was typed is kept for correction
    assert "calc-outcome" not in response.content.decode()
    assert "请先更正表单中标出的内容" in text(response)


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "请填写此项"), ("-5", "金额不能为负数"), ("1.2345678", "最多 6 位小数"), ("12a", "以万元为单位")],
)
def test_money_input_checks(client, value, message):
    response = client.post(URL, {**E01, "facts.software_investment": value})
    assert message in field_block(response, "facts.software_investment")
    assert "calc-outcome" not in response.content.decode()


def test_money_with_thousands_separators_is_accepted(client):
    response = client.post(
        URL, {**E01, "facts.equipment_investment": "1,000", "facts.software_investment": "200.000000"}
    )
    assert "360 万元" in text(response)


def test_missing_choice_and_bad_date(client):
    response = client.post(URL, {**E01, "facts.project_type": "", "as_of": "2022-02-30"})
    assert "请选择一项" in field_block(response, "facts.project_type")
    assert "年-月-日" in field_block(response, "as_of")


def test_engine_error_is_shown_beside_its_field(client):
    # the form accepts the shape of a credit code; its check character is the engine's to verify
    response = client.post(URL, {**E01, "applicant.uscc": "91410100maeuhuxq72"})
    block = field_block(response, "applicant.uscc")
    assert 'aria-invalid="true"' in block
    assert re.search(r'class="field-error"[^>]*>[^<]*\S', block)
    assert "calc-outcome" not in response.content.decode()
    # a valid code goes through (lower case is upper-cased)
    assert "360 万元" in text(client.post(URL, {**E01, "applicant.uscc": "91410100maeuhuxq71"}))


def test_engine_error_in_a_row_lands_on_that_rows_input(client):
    # the form checks that months is a whole number; its range (1–120) is the engine's rule
    response = client.post(URL, {**E07, "facts.periods[1].months": "0"})
    block = field_block(response, "facts.periods[1].months")
    assert 'aria-invalid="true"' in block and "1 到 120" in block
    assert 'aria-invalid="true"' not in field_block(response, "facts.periods[0].months")
    assert "calc-outcome" not in response.content.decode()


def test_engine_error_on_as_of(client):
    response = client.post(URL, {**E01, "as_of": "2000-01-01"})
    block = field_block(response, "as_of")
    assert 'aria-invalid="true"' in block and "早于政策最早生效日期" in block


def test_insurance_rows_are_evaluated(client):
    page = text(client.post(URL, E07))
    assert "124 万元" in page and "1,240,000 元" in page
    assert "保费补贴期限上限" in page
    assert "三（二）1" in page


def test_add_row_without_javascript(client):
    data = {**E07, "add_row": "facts.periods"}
    response = client.post(URL, data)
    body = response.content.decode()
    assert 'name="rows:facts.periods" value="4"' in body
    assert 'name="facts.periods[3].premium"' in body
    assert 'value="900000"' in field_block(response, "facts.periods[2].premium")  # existing rows kept
    assert "calc-outcome" not in body  # editing the form does not calculate


def test_remove_row_without_javascript_renumbers_the_rest(client):
    response = client.post(URL, {**E07, "remove_row": "facts.periods[0]"})
    body = response.content.decode()
    assert 'name="rows:facts.periods" value="2"' in body
    assert 'name="facts.periods[2].premium"' not in body
    assert 'value="500000"' in field_block(response, "facts.periods[0].premium")
    assert 'value="900000"' in field_block(response, "facts.periods[1].premium")


def test_nested_rows_invoices_of_a_product(client):
    data = {
        "item": "3.2.2-award",
        "as_of": "2023-04-01",
        "applicant.in_henan": "on",
        "rows:facts.products": "1",
        "facts.products[0].name": "工业控制软件",
        "facts.products[0].recognized_on": "2022-03-15",
        "rows:facts.products[0].invoices": "1",
        "facts.products[0].invoices[0].date": "2022-03-15",
        "facts.products[0].invoices[0].amount": "2500000",
    }
    added = client.post(URL, {**data, "add_row": "facts.products[0].invoices"}).content.decode()
    assert 'name="facts.products[0].invoices[1].amount"' in added
    page = text(
        client.post(
            URL,
            {
                **data,
                "rows:facts.products[0].invoices": "2",
                "facts.products[0].invoices[1].date": "2023-03-14",
                "facts.products[0].invoices[1].amount": "1200000",
            },
        )
    )
    assert "74 万元" in page and "740,000 元" in page


def test_half_filled_row_asks_for_the_rest(client):
    data = {**E07, "facts.periods[1].months": ""}
    response = client.post(URL, data)
    assert "请填写此项" in field_block(response, "facts.periods[1].months")


def test_qualification_rows_for_leading_goose(client):
    data = {
        "item": "3.1.2",
        "as_of": "2023-05-10",
        "applicant.in_henan": "on",
        "rows:applicant.qualifications": "1",
        "applicant.qualifications[0].kind": "leading_goose",
        "applicant.qualifications[0].valid_from": "2022-01-01",
        "applicant.qualifications[0].valid_to": "2024-12-31",
        "facts.equipment_investment": "5500",
        "facts.software_investment": "1200",
    }
    page = text(client.post(URL, data))
    assert "2,000 万元" in page and "20,000,000 元" in page
    expired = text(client.post(URL, {**data, "as_of": "2025-02-01"}))
    assert "不符合支持条件" in expired and "资格在申报日期不在有效期内" in expired


def test_other_provincial_support_is_not_supported_again(client):
    page = text(client.post(URL, {**E01, "other_provincial_support": "on"}))
    assert "不符合支持条件" in page and "不再重复支持" in page


def test_choosing_an_item_rerenders_the_facts_and_keeps_the_applicant(client):
    response = client.post(URL, {**E01, "item": "3.1.4", "choose": "1"})
    body = response.content.decode()
    assert 'name="facts.machine_purchase_investment"' in body
    assert 'name="facts.project_type"' not in body
    assert 'value="2022-06-30"' in field_block(response, "as_of")
    assert "calc-outcome" not in body


def test_htmx_request_returns_the_partial(client):
    response = client.post(URL, E01, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="calculator"')
    assert "<html" not in body
    assert "360 万元" in text(response)
    assert "HX-Request" in response["Vary"]
    full = client.post(URL, E01).content.decode()
    assert "<html" in full


def test_htmx_item_change_returns_the_partial_with_new_fields(client):
    response = client.post(URL, {**E01, "item": "3.3.3", "choose": "1"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'name="facts.assessment_rank"' in body


def test_auto_shows_the_options_best_first(client):
    data = {
        "item": "auto",
        "as_of": "2023-06-01",
        "applicant.in_henan": "on",
        "rows:applicant.qualifications": "2",
        "applicant.qualifications[0].kind": "leading_goose",
        "applicant.qualifications[0].valid_from": "2023-01-01",
        "applicant.qualifications[0].valid_to": "2025-12-31",
        "applicant.qualifications[1].kind": "national_little_giant",
        "applicant.qualifications[1].valid_from": "2022-07-01",
        "applicant.qualifications[1].valid_to": "2025-06-30",
        "facts.project_type": "intelligent",
        "facts.equipment_investment": "3000",
        "facts.software_investment": "500",
    }
    response = client.post(URL, data)
    page = text(response)
    assert "自动推荐：各事项结果" in page
    assert "1,050 万元" in page and "10,500,000 元" in page
    options = page[page.index("自动推荐：各事项结果") :]
    assert options.index("三（一）2") < options.index("三（一）1") < options.index("三（一）3")


def test_auto_with_nothing_filled_says_so(client):
    page = text(client.post(URL, {"item": "auto", "as_of": "2023-06-01", "applicant.in_henan": "on"}))
    assert "请至少填写一个支持项目所需的全部事实" in page


def test_no_item_chosen(client):
    response = client.post(URL, {"item": "", "as_of": "2023-06-01"})
    assert "请选择申报事项" in text(response)


def test_crafted_row_counts_are_bounded(client):
    response = client.post(URL, {**E07, "rows:facts.periods": "100000", "add_row": "facts.periods"})
    assert response.status_code == 200
    assert 'name="facts.periods[50].premium"' not in response.content.decode()


def test_form_builds_the_contract_case():
    from django.http import QueryDict

    from jigai.policy import QUALIFICATION_LABELS, item_catalog

    data = QueryDict(mutable=True)
    for key, value in E07.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    form = CalculatorForm(item_catalog(), data, qualification_labels=QUALIFICATION_LABELS)
    case = form.to_case()
    assert case == {
        "id": "calculator",
        "item": "3.2.1-insurance",
        "as_of": "2022-10-01",
        "applicant": {"in_henan": True, "qualifications": []},
        "other_provincial_support": False,
        "facts": {
            "recognitions": ["provincial"],
            "insured_amount": "20000000",
            "periods": [
                {"start": "2022-01-01", "months": 12, "premium": "700000"},
                {"start": "2023-01-01", "months": 12, "premium": "500000"},
                {"start": "2024-01-01", "months": 24, "premium": "900000"},
            ],
        },
    }


def test_money_display_helpers():
    assert wan("3600000") == "360 万元"
    assert wan("3703703") == "370.37 万元"  # the overview figure; |money keeps the exact one
    assert money("3703703") == "370.3703 万元（3,703,703 元）"
    assert wan("543790015") == "54,379 万元" and wan("194305196") == "19,430.52 万元"
    assert wan("10500000") == "1,050 万元"
    assert wan("0") == "0 万元"
    assert yuan("3600000") == "3,600,000 元"
    assert money("3600000") == "360 万元（3,600,000 元）"
    assert yuan(None) == yuan("") == wan("not a number") == money(None) == "—"
    assert percent("0.30") == "30%" and percent("0.05") == "5%"


_KEYS = [
    "item",
    "as_of",
    "applicant.in_henan",
    "applicant.uscc",
    "other_provincial_support",
    "rows:applicant.qualifications",
    "applicant.qualifications[0].kind",
    "applicant.qualifications[0].valid_from",
    "facts.project_type",
    "facts.equipment_investment",
    "facts.software_investment",
    "facts.recognitions",
    "facts.insured_amount",
    "rows:facts.periods",
    "facts.periods[0].start",
    "facts.periods[0].months",
    "facts.periods[1].premium",
    "rows:facts.products",
    "rows:facts.products[0].invoices",
    "facts.products[0].invoices[0].amount",
    "facts.assessment_rank",
    "facts.accepted",
    "add_row",
    "remove_row",
    "choose",
]
_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "on",
            "true",
            "auto",
            "3.1.1",
            "3.2.1-insurance",
            "3.2.2-award",
            "3.3.3",
            "2",
            "-1",
            "99999",
            "2022-06-30",
            "1e5",
            "0.001",
            "facts.periods",
            "facts.periods[0]",
            "facts.products[0].invoices",
            "applicant.qualifications[0]",
            "provincial",
            "leading_goose",
        ]
    ),
    st.text(max_size=20),
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=12))
def test_any_posted_form_gets_a_page_never_a_server_error(client, data):
    response = client.post(URL, data)
    assert response.status_code == 200
