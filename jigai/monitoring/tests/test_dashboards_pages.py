"""The early-warning list and the thresholds page: per role and region, the gap, the export, the province
editing the bands through the page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jigai.accounts.tests.factories import make_user
from jigai.monitoring import warnings as w
from jigai.monitoring.models import Indicator
from jigai.monitoring.models.warnings import WarningThreshold

from .dash_factories import SUM, rollup

pytestmark = pytest.mark.django_db
LIST = "/monitoring/warnings/"


@pytest.fixture
def june():
    rollup(SUM, "410300", 2026, 6, 540, 1200)  # 洛阳 amber, gap 60
    rollup(SUM, "410100", 2026, 6, 300, 1200)  # 郑州 red, gap 300
    rollup(SUM, "410700", 2026, 6, 700, 1200)  # 新乡 green
    rollup(SUM, "410305", 2026, 6, 100, 400)  # 涧西区 red
    rollup(SUM, "410102", 2026, 6, 200, 400)  # 中原区 green
    w.refresh_warnings(year=2026, month=6, escalate=False)


def test_province_sees_the_cities_behind_worst_first(client, june):
    client.force_login(make_user("province"))
    r = client.get(LIST)
    assert r.status_code == 200
    wl = r.context["w"]
    assert [(s.region_id, s.level) for s in wl.behind] == [("410100", "red"), ("410300", "amber")]
    assert wl.behind[0].gap == Decimal("300")
    assert wl.counts == {"green": 1, "amber": 1, "red": 1}
    body = r.content.decode()
    assert 'id="table-behind"' in body and 'id="table-matrix"' in body


def test_city_sees_its_counties_only(client, june):
    client.force_login(make_user("city", "410300"))
    wl = client.get(LIST).context["w"]
    assert [s.region_id for s in wl.behind] == ["410305"]
    assert {r.code for r in wl.matrix_regions} == {"410305"}
    # asking for the cities shows only its own city, never the others
    wl = client.get(LIST, {"region_level": "city"}).context["w"]
    assert {r.code for r in wl.matrix_regions} == {"410300"}


def test_county_sees_itself(client, june):
    client.force_login(make_user("county", "410102"))
    wl = client.get(LIST).context["w"]
    assert {r.code for r in wl.matrix_regions} == {"410102"} and wl.behind == []


def test_filters_level_and_indicator(client, june):
    client.force_login(make_user("province"))
    wl = client.get(LIST, {"level": "red"}).context["w"]
    assert [s.region_id for s in wl.behind] == ["410100"]
    wl = client.get(LIST, {"indicator": "informatization_index"}).context["w"]
    assert wl.behind == []


def test_warning_export(client, june):
    client.force_login(make_user("leader"))
    r = client.get(reverse("monitoring:warning_export"))
    assert r.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(r.streaming_content))).worksheets[0].iter_rows(values_only=True)
    )
    assert [row[0] for row in rows[1:]] == ["郑州市", "洛阳市"]


@pytest.mark.parametrize("role", ["enterprise", "expert", "bank"])
def test_warnings_refused_to_other_roles(client, role):
    client.force_login(make_user(role))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("monitoring:warning_thresholds")).status_code == 403


def test_no_data_message(client):
    client.force_login(make_user("province"))
    assert "暂无预警数据" in client.get(LIST).content.decode()


def test_province_sets_a_threshold_on_the_page(client, june):
    client.force_login(make_user("province"))
    url = reverse("monitoring:warning_thresholds")
    assert "threshold-form" in client.get(url).content.decode()
    indicator = Indicator.objects.get(code=SUM)
    r = client.post(
        url, {"indicator": indicator.pk, "green_from": "0.9", "amber_from": "0.5", "note": "试行"}
    )
    assert r.status_code == 302
    assert WarningThreshold.objects.get(indicator=indicator).amber_from == Decimal("0.500")
    wl = client.get(LIST).context["w"]
    assert [(s.region_id, s.level) for s in wl.behind] == [("410100", "amber")]  # 50 % now amber, 90 % green
    # a wrong band shows on the form and changes nothing
    r = client.post(url, {"indicator": indicator.pk, "green_from": "0.5", "amber_from": "0.9"})
    assert r.status_code == 200 and "黄色下限不能高于绿色下限" in r.content.decode()
    assert WarningThreshold.objects.get(indicator=indicator).green_from == Decimal("0.900")
    r = client.post(url, {"action": "delete", "indicator": indicator.pk})
    assert r.status_code == 302 and not WarningThreshold.objects.filter(indicator=indicator).exists()


@pytest.mark.parametrize("role", ["city", "county", "leader"])
def test_others_read_the_thresholds_but_cannot_post(client, role):
    user = make_user(role)
    client.force_login(user)
    url = reverse("monitoring:warning_thresholds")
    r = client.get(url)
    assert r.status_code == 200 and "threshold-form" not in r.content.decode()
    r = client.post(url, {"green_from": "0.5", "amber_from": "0.1"})
    assert r.status_code == 403
    assert WarningThreshold.objects.get(indicator__isnull=True).green_from == Decimal("0.950")
