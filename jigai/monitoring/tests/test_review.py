"""Year-end review (四（三）): completion per region and indicator, the composite and the ranking, Excel and
PDF, per role and region."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jigai.accounts.tests.factories import make_user
from jigai.monitoring import review
from jigai.monitoring.models import Indicator

from .dash_factories import LEVEL, SUM, rollup

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_end():
    """December 2025: two indicators with targets for three cities, one county of Luoyang."""
    rollup(SUM, "410300", 2025, 12, 1500, 1200)  # 125 % (counts 120)
    rollup(LEVEL, "410300", 2025, 12, 62, 62)  # 100 %
    rollup(SUM, "410100", 2025, 12, 1080, 1200)  # 90 %
    rollup(LEVEL, "410100", 2025, 12, 63, 62)  # 101.61 %
    rollup(SUM, "410700", 2025, 12, 600, 1200)  # 50 %, no index target
    rollup(SUM, "410305", 2025, 12, 300, 400)  # 涧西区 75 %
    rollup(SUM, "410200", 2025, 12, 900)  # no target: not reviewed
    rollup(SUM, "410300", 2026, 3, 300, 1300)  # the next year, provisional


def test_composite_caps_each_indicator_and_ranks(year_end):
    r = review.year_review(actor=make_user("province"), year=2025)
    assert (r.year, r.month, r.final) == (2025, 12, True)
    assert [row.region.code for row in r.rows] == ["410300", "410100", "410700"]
    scores = {row.region.code: row.score for row in r.rows}
    assert scores == {"410300": Decimal("110.00"), "410100": Decimal("95.81"), "410700": Decimal("50.00")}
    assert [row.rank for row in r.rows] == [1, 2, 3]
    luoyang = r.rows[0]
    assert (luoyang.n_targets, luoyang.n_done) == (2, 2)
    assert r.rows[1].n_done == 1  # 郑州: the index done, the sum not
    assert [i.code for i in r.indicators] == [SUM, LEVEL] or set(i.code for i in r.indicators) == {SUM, LEVEL}


def test_default_year_is_the_latest_and_a_running_year_is_provisional(year_end):
    r = review.year_review(actor=make_user("province"))
    assert (r.year, r.month, r.final) == (2026, 3, False)
    assert "阶段性" in r.period_label
    assert [row.region.code for row in r.rows] == ["410300"]


def test_lower_is_better_counts_target_over_actual():
    ind = Indicator(code="x", name="能耗", unit="吨", direction="down")
    assert review.completion_of(ind, Decimal("110"), Decimal("100")) == Decimal("90.91")
    up = Indicator(code="y", name="投资", unit="万元", direction="up")
    assert review.completion_of(up, Decimal("110"), Decimal("100")) == Decimal("110.00")
    assert review.completion_of(up, None, Decimal("100")) is None


def test_city_reviews_its_counties_county_itself(year_end):
    r = review.year_review(actor=make_user("city", "410300"), year=2025)
    assert [row.region.code for row in r.rows] == ["410305"]
    r = review.year_review(actor=make_user("county", "410305"), year=2025)
    assert [row.region.code for row in r.rows] == ["410305"]
    r = review.year_review(actor=make_user("county", "410102"), year=2025)
    assert r.rows == []  # 中原区 has nothing: it never sees Luoyang's county


@pytest.mark.parametrize("role", ["enterprise", "expert", "bank"])
def test_review_refused_to_other_roles(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("monitoring:review")).status_code == 403
    assert client.get(reverse("monitoring:review_pdf")).status_code == 403


def test_review_page(client, year_end):
    client.force_login(make_user("leader"))
    r = client.get(reverse("monitoring:review"), {"year": 2025})
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="table-review"' in body and "洛阳市" in body and "四（三）" in body
    assert "开封市" not in body  # no target, not reviewed


def test_review_excel(client, year_end):
    client.force_login(make_user("province"))
    r = client.get(reverse("monitoring:review_xlsx"), {"year": 2025})
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("综合排名", "地区", "综合完成率（%）")
    assert len(rows) == 1 + 5  # 2 + 2 + 1 region × indicator rows
    assert rows[1][1] == "洛阳市" and rows[1][0] == 1


def test_review_pdf(client, year_end):
    client.force_login(make_user("province"))
    r = client.get(reverse("monitoring:review_pdf"), {"year": 2025})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert len(r.content) > 2000


def test_review_pdf_with_no_data(client):
    client.force_login(make_user("province"))
    r = client.get(reverse("monitoring:review_pdf"))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
