"""融资与用地（四（二））on the monitoring dashboards (issue 11 figures, issue 10 dashboards): the
province sees every city, a city its counties, a county itself; the figures are the financing and land
selectors' (confirmed outcomes only), of the dashboard's year; each block downloads the same rows as Excel;
the API carries them as yuan strings; a city never sees another city's figures; a role that may not read
them is told so."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jigai.accounts.tests.factories import make_user
from jigai.financing import services as fs
from jigai.financing.tests.factories import Cast, published
from jigai.funding.tests import factories as ff
from jigai.land.tests import factories as lf
from jigai.monitoring.dashboards import selectors
from jigai.registry.models import LibraryStatus

from .dash_factories import SUM, rollup

pytestmark = pytest.mark.django_db
DASH = "/monitoring/dash/"
EXPORT = "/monitoring/dash/export/"
API = "/api/v1/monitoring/dashboard/"
TODAY = timezone.localdate()
D = Decimal


def _loan(actor, entry, amount, stage="disbursed"):
    return fs.outcome_record(
        actor=actor,
        entry=entry,
        stage=stage,
        on_date=TODAY,
        amount=D(amount),
        product="技改贷" if stage == "disbursed" else "",
        rate=D("3.5") if stage == "disbursed" else None,
    )


class Scene:
    """This year: 郑州 (中原区 410102) lists 500 万元 and gets 200 万元 disbursed by 测试银行 (confirmed)
    plus 70 万元 entered, not confirmed; 洛阳 (涧西区 410305) lists 500 万元 and gets 900 万元 approved by
    测试担保公司 (confirmed). Land: one zero-new-land case checked 合格 in each city (洛阳 1000 ㎡ at
    321.45 + 118.30 元/㎡: 439,750 元; 郑州 10 ㎡ at 200 + 100: 3,000 元)."""

    def __init__(self) -> None:
        c = self.cast = Cast()
        zz = published(c)
        ly = published(c, other=True)
        fs.outcome_check(actor=c.city, outcome=_loan(c.bank, zz, "2000000"), confirm=True)
        _loan(c.bank, zz, "700000")  # entered, not confirmed
        approved = _loan(c.other_bank, ly, "9000000", stage="approved")
        fs.outcome_check(actor=c.other_city, outcome=approved, confirm=True)
        lf.rates("410300", "321.45", "118.30")
        lf.rates("410100", "200.00", "100.00")
        lf.case(lf.zero_project("410305", area="1000.00"), c.other_county, to="passed", city=c.other_city)
        lf.case(lf.zero_project("410102", area="10.00"), c.county, to="passed", city=c.city)


@pytest.fixture
def scene() -> Scene:
    return Scene()


def _get(client, user, url=DASH, **params):
    client.force_login(user)
    return client.get(url, params)


def _rows(block):
    return {str(r["key"]): r for r in block.rows}


def _json_block(body: str, element_id: str) -> dict:
    start = body.index(f'<script id="{element_id}" type="application/json">')
    start = body.index(">", start) + 1
    return json.loads(body[start : body.index("</script>", start)])


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.worksheets[0].iter_rows(values_only=True))


# ------------------------------------------------------------------------------------------ the page


def test_province_sees_every_city_with_its_figures(client, scene):
    r = _get(client, scene.cast.province)
    assert r.status_code == 200
    f = r.context["d"].finance
    assert f.year == TODAY.year
    region = f.financing["financing_region"]
    rows = _rows(region)
    assert len(rows) == 18 and "419001" in rows  # every city, Jiyuan included, zeros where nothing
    zz, ly = rows["410100"], rows["410300"]
    assert (zz["projects"], zz["needed"], zz["approved"], zz["disbursed"], zz["unconfirmed"]) == (
        1,
        D("5000000"),
        D(0),
        D("2000000"),
        D("700000"),
    )
    assert (ly["needed"], ly["approved"], ly["disbursed"]) == (D("5000000"), D("9000000"), D(0))
    assert rows["410500"]["needed"] == 0 and rows["410500"]["projects"] == 0
    assert "region=410300" in ly["url"]  # drills down to the city's dashboard
    assert (region.total["needed"], region.total["approved"], region.total["disbursed"]) == (
        D("10000000"),
        D("9000000"),
        D("2000000"),
    )
    by_inst = {r["label"]: r for r in f.financing["financing_institution"].rows}
    assert by_inst["测试银行"]["disbursed"] == D("2000000") and by_inst["测试银行"]["needed"] is None
    assert by_inst["测试担保公司"]["approved"] == D("9000000")
    by_kind = {r["label"]: r for r in f.financing["financing_programme"].rows}
    assert set(by_kind) == {"贷款", "担保", "基金投资", "融资租赁"}
    assert by_kind["贷款"]["needed"] == D("10000000") and by_kind["担保"]["needed"] == 0
    months = f.financing["financing_month"].rows
    assert [m["key"] for m in months] == list(range(1, 13))
    assert months[TODAY.month - 1]["disbursed"] == D("2000000")
    land = {r["region_code"]: r for r in f.land.rows}
    assert len(land) == 18
    assert (land["410300"]["projects"], land["410300"]["added_floor_area"]) == (1, D("1000.00"))
    assert (land["410300"]["premium_waived"], land["410300"]["municipal_waived"]) == (
        D("321450.00"),
        D("118300.00"),
    )
    assert land["410300"]["amount_waived"] == D("439750.00")
    assert f.land.total["amount_waived"] == D("442750.00") and f.land.total["projects"] == 2

    body = r.content.decode()
    assert "融资与用地（四（二））" in body and 'data-testid="dash-finance"' in body
    for key in (
        "financing_region",
        "financing_institution",
        "financing_programme",
        "financing_month",
        "land",
    ):
        assert f'id="table-{key}"' in body and f"chart={key}" in body
        assert f'data-source="chart-{key}"' in body  # each block with figures draws its chart
    # the headline figures in 万元 with the 元, the tables in 万元
    assert "200 万元（2,000,000 元）" in body and "44.28 万元" in body
    chart = _json_block(body, "chart-financing_region")
    assert chart["labels"][0] == "郑州市" and chart["series"][2]["values"][0] == 200.0
    assert [s["name"] for s in chart["series"]] == ["融资需求", "授信审批（已确认）", "放款（已确认）"]
    land_chart = _json_block(body, "chart-land")
    assert land_chart["stack"] is True
    ly_index = land_chart["labels"].index("洛阳市")
    assert land_chart["series"][0]["values"][ly_index] == 32.15  # 321,450 元
    assert land_chart["series"][1]["values"][ly_index] == 11.83  # 118,300 元
    assert "<script>" not in body  # the CSP: JSON blocks only, drawn by dash.js


def test_city_sees_its_counties_and_never_another_city(client, scene):
    c = scene.cast
    r = _get(client, c.city)  # 郑州
    assert r.status_code == 200
    f = r.context["d"].finance
    rows = _rows(f.financing["financing_region"])
    assert "410102" in rows and all(code.startswith("4101") for code in rows)
    assert (rows["410102"]["needed"], rows["410102"]["disbursed"]) == (D("5000000"), D("2000000"))
    total = f.financing["financing_region"].total
    assert (total["needed"], total["approved"], total["disbursed"]) == (D("5000000"), D(0), D("2000000"))
    assert [r["label"] for r in f.financing["financing_institution"].rows] == ["测试银行"]
    assert {r["region_code"] for r in f.land.rows if r["projects"]} == {"410102"}
    assert f.land.total["amount_waived"] == D("3000.00")
    body = r.content.decode()
    assert "融资与用地（四（二））" in body
    assert "测试担保公司" not in body and "900 万元" not in body and "43.98 万元" not in body
    # another city's dashboard (and its downloads) answer 404, as the rest of the dashboard
    assert _get(client, c.city, region="410300").status_code == 404
    assert _get(client, c.city, EXPORT, region="410300", chart="financing_region").status_code == 404
    # the city's own download holds its figures only
    sheet = _sheet(_get(client, c.city, EXPORT, chart="financing_institution"))
    assert [row[0] for row in sheet[1:]] == ["测试银行", "合计"]


def test_county_sees_itself(client, scene):
    r = _get(client, scene.cast.other_county)  # 涧西区
    f = r.context["d"].finance
    rows = f.financing["financing_region"].rows
    assert [(x["key"], x["label"]) for x in rows] == [("410305", "涧西区")]
    assert (rows[0]["needed"], rows[0]["approved"]) == (D("5000000"), D("9000000"))
    assert rows[0]["url"] == ""  # itself: nothing below to drill into
    assert [(x["region_code"], x["amount_waived"]) for x in f.land.rows] == [("410305", D("439750.00"))]
    assert "融资与用地（四（二））" in r.content.decode()


def test_province_drilling_into_a_city_sees_that_city_only(client, scene):
    d = selectors.dashboard(actor=scene.cast.province, region_code="410300")
    region = d.finance.financing["financing_region"]
    assert all(str(x["key"]).startswith("4103") for x in region.rows)
    assert (region.total["needed"], region.total["approved"], region.total["disbursed"]) == (
        D("5000000"),
        D("9000000"),
        D(0),
    )
    assert [x["label"] for x in d.finance.financing["financing_institution"].rows] == ["测试担保公司"]
    assert d.finance.land.total["amount_waived"] == D("439750.00")


def test_an_enterprise_registered_at_the_city_shows_as_its_own_row(client, scene):
    c = scene.cast
    ent_user = ff.enterprise_user("410100")
    project = ff.project(ent_user.enterprise, library_status=LibraryStatus.IN_LIBRARY)
    entry = fs.whitelist_propose(
        actor=c.city, project=project, amount=D("1000000"), term_months=12, kind="lease"
    )
    fs.whitelist_move(actor=c.province, entry=entry, action="approve")
    fs.whitelist_publish(actor=c.province, published_on=TODAY, entries=[entry.pk])
    f = selectors.dashboard(actor=c.city).finance
    own = _rows(f.financing["financing_region"])["410100"]
    assert own["label"] == "郑州市（市本级）" and own["needed"] == D("1000000") and own["url"] == ""
    assert f.financing["financing_region"].total["needed"] == D("6000000")


def test_the_section_shows_without_monthly_figures_and_follows_the_dashboard_year(client, scene):
    province = scene.cast.province
    r = _get(client, province)
    body = r.content.decode()
    assert "暂无汇总数据" in body and "融资与用地（四（二））" in body  # no rollups yet: the section is there
    # figures of last year only: the dashboard's year is last year, and so is the section's (nothing then)
    rollup(SUM, "410000", TODAY.year - 1, 12, 100, 200)
    d = _get(client, province).context["d"]
    assert d.year == TODAY.year - 1 and d.finance.year == TODAY.year - 1
    assert d.finance.financing["financing_region"].total["needed"] == 0
    assert d.finance.land.total["projects"] == 0
    sheet = _sheet(_get(client, province, EXPORT, chart="financing_region"))
    assert sheet[-1][0] == "合计" and sheet[-1][2] == 0


# ------------------------------------------------------------------------------------------ downloads, API


def test_each_block_downloads_the_same_figures(client, scene):
    province = scene.cast.province
    d = _get(client, province).context["d"]
    for key, block in d.finance.financing.items():
        r = _get(client, province, EXPORT, chart=key)
        assert str(TODAY.year) in r["Content-Disposition"]
        sheet = _sheet(r)
        assert sheet[0][0] == block.group_label and sheet[0][2] == "融资需求（元）"
        assert [row[0] for row in sheet[1:]] == [x["label"] for x in block.rows] + ["合计"]
        for row, figures in zip(sheet[1:], [*block.rows, block.total], strict=True):
            assert row[1] == figures["projects"]
            assert row[2] == (None if figures["needed"] is None else float(figures["needed"]))
            assert (row[3], row[4], row[5]) == (
                float(figures["approved"]),
                float(figures["disbursed"]),
                float(figures["unconfirmed"]),
            )
    sheet = _sheet(_get(client, province, EXPORT, chart="financing_region"))
    zz = next(row for row in sheet if row[0] == "郑州市")
    assert zz[1:] == (1, 5000000.0, 0.0, 2000000.0, 700000.0)
    assert sheet[-1][1:] == (2, 10000000.0, 9000000.0, 2000000.0, 700000.0)
    sheet = _sheet(_get(client, province, EXPORT, chart="land"))
    assert sheet[0] == (
        "地区",
        "核验合格项目数",
        "新增建筑面积（㎡）",
        "免收土地出让金（元）",
        "免收市政设施配套费（元）",
        "减免合计（元）",
    )
    ly = next(row for row in sheet if row[0] == "洛阳市")
    assert ly[1:] == (1, 1000.0, 321450.0, 118300.0, 439750.0)
    assert sheet[-1] == ("合计", 2, 1010.0, 323450.0, 119300.0, 442750.0)


def test_api_carries_the_figures_as_yuan_strings(client, scene):
    data = _get(client, scene.cast.province, API).json()
    finance = data["finance"]
    assert finance["year"] == TODAY.year
    blocks = {b["key"]: b for b in finance["financing"]}
    assert set(blocks) == {
        "financing_region",
        "financing_institution",
        "financing_programme",
        "financing_month",
    }
    zz = next(r for r in blocks["financing_region"]["rows"] if r["key"] == "410100")
    assert (zz["needed"], zz["disbursed"], zz["unconfirmed"]) == ("5000000.00", "2000000.00", "700000.00")
    assert blocks["financing_region"]["total"]["approved"] == "9000000.00"
    assert blocks["financing_institution"]["rows"][0]["needed"] is None
    land = finance["land"]
    ly = next(r for r in land["rows"] if r["region_code"] == "410300")
    assert (ly["amount_waived"], ly["added_floor_area"]) == ("439750.00", "1000.00")
    assert land["total"]["amount_waived"] == "442750.00"
    # a city: its own figures only
    data = _get(client, scene.cast.other_city, API).json()
    assert data["finance"]["financing"][0]["total"]["disbursed"] == "0.00"
    assert data["finance"]["financing"][0]["total"]["approved"] == "9000000.00"


# ------------------------------------------------------------------------------------------ roles


def test_finance_is_told_it_does_not_read_them(client, scene):
    finance = make_user("finance")
    r = _get(client, finance)
    assert r.status_code == 200
    f = r.context["d"].finance
    assert f.financing is None and f.land is None
    body = r.content.decode()
    assert "融资与用地（四（二））" in body
    assert "您的角色不查看融资对接数据" in body and "您的角色不查看用地数据" in body
    assert _get(client, finance, EXPORT, chart="financing_region").status_code == 403
    assert _get(client, finance, EXPORT, chart="land").status_code == 403
    data = _get(client, finance, API).json()
    assert data["finance"]["financing"] is None and data["finance"]["land"] is None


def test_leader_reads_the_province(client, scene):
    f = _get(client, make_user("leader")).context["d"].finance
    assert f.financing["financing_region"].total["disbursed"] == D("2000000")
    assert f.land.total["amount_waived"] == D("442750.00")


@pytest.mark.parametrize("chart", ["financing_region", "land"])
def test_bank_has_no_dashboard(client, scene, chart):
    bank = scene.cast.bank
    assert _get(client, bank).status_code == 403
    assert _get(client, bank, EXPORT, chart=chart).status_code == 403
    assert _get(client, bank, API).status_code == 403


def test_query_count_does_not_grow_with_the_figures(client, scene, django_assert_max_num_queries):
    province = scene.cast.province
    client.force_login(province)
    client.get(DASH)
    with django_assert_max_num_queries(25):
        assert client.get(DASH).status_code == 200
