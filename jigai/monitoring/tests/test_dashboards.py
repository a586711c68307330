"""Dashboards of the province, a city and a county: what they show, per role and region (a county sees its
county, a city its counties, the province-level roles the province; another region answers 404)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jigai.accounts.tests.factories import make_user
from jigai.monitoring import warnings as w
from jigai.monitoring.dashboards import selectors

from .dash_factories import LEVEL, SUM, rollup

pytestmark = pytest.mark.django_db
DASH = "/monitoring/dash/"


@pytest.fixture
def figures():
    """June 2026: sme_cloud (sum, target per city) for the province, two cities and two counties of
    Luoyang, last year's June beside it; an index indicator for Luoyang."""
    rollup(SUM, "410000", 2026, 6, 9000, 20000, last_year=8000)
    rollup(SUM, "410300", 2026, 6, 620, 1200, last_year=500, share=6.89)  # green, 51.67 %
    rollup(SUM, "410100", 2026, 6, 540, 1200, last_year=600, share=6.0)  # amber, 45 %
    rollup(SUM, "410305", 2026, 6, 250, 400, last_year=200)  # 涧西区 62.5 %
    rollup(SUM, "410302", 2026, 6, 100, 400)  # 老城区 25 %
    rollup(LEVEL, "410300", 2026, 6, 58, 62)
    for m in range(1, 6):
        rollup(SUM, "410300", 2026, m, 100 * m, 1200, last_year=80 * m)
        rollup(SUM, "410300", 2025, m, 80 * m)
    rollup(SUM, "410300", 2025, 6, 500)
    w.refresh_warnings(year=2026, month=6, escalate=False)


def _get(client, user, url=DASH, **params):
    client.force_login(user)
    return client.get(url, params)


# ------------------------------------------------------------------------------------------ content


def test_province_dashboard_ranks_the_cities_and_draws_the_map(client, figures):
    r = _get(client, make_user("province"), indicator=SUM)
    assert r.status_code == 200
    d = r.context["d"]
    assert (d.region.code, d.year, d.month) == ("410000", 2026, 6)
    assert [c.region.code for c in d.children] == ["410300", "410100"]  # 51.67 % before 45 %
    assert [c.rank for c in d.children] == [1, 2]
    assert d.children[0].completion == Decimal("51.67")
    assert [c.level for c in d.children] == ["green", "amber"]
    body = r.content.decode()
    assert 'data-chart="map"' in body and 'id="chart-map"' in body
    assert 'data-chart="ranking"' in body and 'id="table-ranking"' in body
    # each chart's data is a JSON block (never an inline script), the same figures as the table
    ranking = json.loads(_json_block(body, "chart-ranking"))
    assert ranking["labels"] == ["洛阳市", "郑州市"] and ranking["values"] == [51.67, 45.0]
    geo = json.loads(_json_block(body, "chart-map"))
    assert {row["code"] for row in geo["rows"]} == {"410300", "410100"}
    assert geo["geo_url"] == reverse("monitoring:dash_map_geojson")
    assert len(geo["tiles"]) == 18  # the tile map covers every city, Jiyuan included
    assert "<script>" not in body


def _json_block(body: str, element_id: str) -> str:
    start = body.index(f'<script id="{element_id}" type="application/json">')
    start = body.index(">", start) + 1
    return body[start : body.index("</script>", start)]


def test_progress_yoy_share_and_trend(figures):
    d = selectors.dashboard(actor=make_user("city", "410300"), indicator_code=SUM)
    assert d.region.code == "410300"
    row = next(r for r in d.rows if r.indicator.code == SUM)
    assert (row.actual, row.target, row.completion, row.share) == (
        Decimal("620"),
        Decimal("1200"),
        Decimal("51.67"),
        Decimal("6.89"),
    )
    assert row.yoy == Decimal("24.0000")  # 620 over 500
    assert row.level == "green"
    # the trend: this year's months, last year's, the straight path
    assert [t.actual for t in d.trend[:6]] == [Decimal(v) for v in (100, 200, 300, 400, 500, 620)]
    assert d.trend[5].last_year == Decimal("500")
    assert d.trend[5].expected == Decimal("600")
    assert d.trend[6].actual is None
    # the counties, ranked, each drilling further down
    assert [c.region.code for c in d.children] == ["410305", "410302"]
    assert "region=410305" in d.children[0].url
    # the four programmes side by side are always there (二（一）-（四）)
    assert [g.clause for g in d.programmes] == ["二（一）", "二（二）", "二（三）", "二（四）"]
    sme = [r.indicator.code for g in d.programmes for r in g.rows]
    assert SUM in sme  # 中小企业上云 belongs to 二（二）智能化


def test_county_dashboard_links_to_its_projects(client, figures):
    county = make_user("county", "410305")
    r = _get(client, county, indicator=SUM)
    assert r.status_code == 200
    d = r.context["d"]
    assert d.region.code == "410305" and d.children == []
    assert [x.code for x in d.chain] == ["410000", "410300", "410305"]
    assert d.projects_url == reverse("registry:project_list") + "?region=410305"
    assert d.projects_url.replace("&", "&amp;") in r.content.decode()


def test_the_period_falls_back_to_the_latest_with_figures(figures):
    d = selectors.dashboard(actor=make_user("province"), year="2026", month="11")
    assert (d.year, d.month) == (2026, 6)
    d = selectors.dashboard(actor=make_user("city", "410300"), year="2026", month="3", indicator_code=SUM)
    assert (d.year, d.month) == (2026, 3)
    assert d.rows[0].actual == Decimal("300")


def test_empty_region_shows_a_message(client):
    r = _get(client, make_user("province"))
    assert r.status_code == 200
    assert "暂无汇总数据" in r.content.decode()


# ------------------------------------------------------------------------------------------ scope


@pytest.mark.parametrize(
    ("role", "region", "asked", "status"),
    [
        ("county", "410305", "410305", 200),
        ("county", "410305", "410300", 404),  # its city: above it
        ("county", "410305", "410302", 404),  # a sibling county
        ("county", "410305", "410000", 404),
        ("city", "410300", "410300", 200),
        ("city", "410300", "410305", 200),  # its county
        ("city", "410300", "410100", 404),  # another city
        ("city", "410300", "410102", 404),  # another city's county
        ("city", "410300", "410000", 404),
        ("province", None, "410305", 200),
        ("leader", None, "410000", 200),
        ("finance", None, "410300", 200),
        ("province", None, "999999", 404),
    ],
)
def test_dashboard_scope(client, figures, role, region, asked, status):
    user = make_user(role, region) if region else make_user(role)
    assert _get(client, user, region=asked).status_code == status
    assert (
        _get(client, user, reverse("monitoring:dash_export"), region=asked, chart="ranking").status_code
        == status
    )
    api = _get(client, user, "/api/v1/monitoring/dashboard/", region=asked)
    assert api.status_code == status


@pytest.mark.parametrize("role", ["enterprise", "expert", "bank"])
def test_other_roles_are_refused(client, figures, role):
    user = make_user(role)
    assert _get(client, user).status_code == 403
    assert _get(client, user, "/api/v1/monitoring/dashboard/").status_code == 403


def test_leader_and_finance_default_to_the_province(figures):
    for role in ("leader", "finance"):
        assert selectors.dashboard(actor=make_user(role)).region.code == "410000"


def test_anonymous_is_sent_to_sign_in(client):
    r = client.get(DASH)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


# ------------------------------------------------------------------------------------------ exports, API, map


@pytest.mark.parametrize("chart", ["progress", "ranking", "trend", "programmes", "map"])
def test_every_chart_downloads_its_table(client, figures, chart):
    r = _get(client, make_user("province"), reverse("monitoring:dash_export"), chart=chart, indicator=SUM)
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) > 1
    if chart in ("ranking", "map"):
        assert rows[1][1] == "洛阳市" and rows[2][1] == "郑州市"


def test_unknown_chart_is_404(client, figures):
    r = _get(client, make_user("province"), reverse("monitoring:dash_export"), chart="nope")
    assert r.status_code == 404


def test_api_returns_the_same_screen(client, figures):
    r = _get(client, make_user("city", "410300"), "/api/v1/monitoring/dashboard/", indicator=SUM)
    assert r.status_code == 200
    data = r.json()
    assert data["region"]["code"] == "410300" and (data["year"], data["month"]) == (2026, 6)
    row = next(x for x in data["rows"] if x["code"] == SUM)
    assert row["completion_pct"] == "51.67" and row["warning"] == "green"
    assert [c["region"]["code"] for c in data["children"]] == ["410305", "410302"]
    assert len(data["trend"]) == 12


def test_api_warnings_and_review(client, figures):
    user = make_user("province")
    r = _get(client, user, "/api/v1/monitoring/dashboard/warnings")
    assert r.status_code == 200
    data = r.json()
    # worst first: 郑州 at 90 % of its path, then 洛阳's index at 93.5 %
    assert [(x["region"]["code"], x["indicator"], x["level"]) for x in data["behind"]] == [
        ("410100", SUM, "amber"),
        ("410300", LEVEL, "amber"),
    ]
    r = _get(client, user, "/api/v1/monitoring/dashboard/review", year=2026)
    assert r.status_code == 200
    assert [x["region"]["code"] for x in r.json()["rows"]] == ["410300", "410100"]


def test_map_boundaries_are_served_offline(client, figures):
    from jigai.monitoring.dashboards import geo

    r = _get(client, make_user("leader"), reverse("monitoring:dash_map_geojson"))
    if not geo.geojson_path().is_file():  # the package is installed by `make install`
        assert r.status_code == 404
        return
    assert r.status_code == 200
    data = json.loads(r.content)
    codes = {f["properties"]["code"] for f in data["features"]}
    assert len(codes) == 18 and "419001" in codes
    names = {f["properties"]["code"]: f["properties"]["name"] for f in data["features"]}
    assert names["410300"] == "洛阳市"


def test_map_needs_a_dashboard_role(client):
    assert _get(client, make_user("enterprise"), reverse("monitoring:dash_map_geojson")).status_code == 403


def test_workbench_cards(client, figures):
    user = make_user("province")
    r = _get(client, user, reverse("monitoring:dash_card"), indicator=SUM)
    assert r.status_code == 200 and 'data-chart="ranking"' in r.content.decode()
    r = _get(client, user, reverse("monitoring:dash_card_trend"), indicator=SUM)
    assert r.status_code == 200 and 'data-chart="trend"' in r.content.decode()
    # a county has nothing to rank: its card shows the progress instead
    r = _get(client, make_user("county", "410305"), reverse("monitoring:dash_card"))
    assert 'data-chart="progress"' in r.content.decode()


def test_dashboard_query_count_does_not_grow_with_children(client, figures, django_assert_max_num_queries):
    user = make_user("province")
    client.force_login(user)
    client.get(DASH)
    with django_assert_max_num_queries(25):
        assert client.get(DASH, {"indicator": SUM}).status_code == 200
