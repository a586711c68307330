"""The land pages and API as each role meets them: the lists, the county's and the city's forms, the exports,
the enterprise read-only, other roles refused; the API with the same services."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jigai.funding.tests import factories as ff
from jigai.land.models import CaseStatus, FeeRate, LandCase, LandNeed

from . import factories as lf

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    lf.rates("410300", "300.00", "100.00")
    return lf.users()


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _sheet(response) -> list[tuple]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_pages_answer_each_role(cast):
    case = lf.case(lf.zero_project("410305"), cast["county"], to="passed", city=cast["city"])
    owner = ff.enterprise_user(ent=case.project.enterprise)
    pages = ["land:case_list", "land:waiver", "land:rate_list"]
    for user in (cast["county"], cast["city"], cast["province"], cast["leader"], owner):
        c = _client(user)
        for name in pages:
            assert c.get(reverse(name)).status_code == 200, (user.role, name)
        assert c.get(reverse("land:case_detail", args=[case.pk])).status_code == 200
    for user in (cast["bank"], cast["finance"]):
        c = _client(user)
        for name in [*pages, "land:priority", "land:case_export"]:
            assert c.get(reverse(name)).status_code == 403, (user.role, name)
    assert _client(cast["county2"]).get(reverse("land:case_detail", args=[case.pk])).status_code == 404
    assert _client(owner).get(reverse("land:priority")).status_code == 403
    assert Client().get(reverse("land:case_list")).status_code == 302


def test_county_registers_and_completes_city_checks_on_the_pages(cast):
    project = lf.zero_project("410305", area="2500.50", name="涂装线零增地改造")
    county, city = _client(cast["county"]), _client(cast["city"])
    page = county.get(reverse("land:case_register"))
    assert "涂装线零增地改造" in page.content.decode()
    r = county.post(
        reverse("land:case_register"), {"project": project.pk, "zone": "", "added_floor_area": ""}
    )
    case = LandCase.objects.get(project=project)
    assert r.status_code == 302 and r.url == reverse("land:case_detail", args=[case.pk])
    today = dt.date.today().isoformat()
    url = reverse("land:case_move", args=[case.pk, "start"])
    assert county.post(url, {"start-on": today}).status_code == 302
    # the city has no completion form, and its post is refused without change
    assert (
        'data-testid="move-complete"'
        not in city.get(reverse("land:case_detail", args=[case.pk])).content.decode()
    )
    r = city.post(reverse("land:case_move", args=[case.pk, "complete"]), {"complete-on": today})
    assert r.status_code == 400 and "不能执行" in r.content.decode()
    assert LandCase.objects.get(pk=case.pk).status == CaseStatus.STARTED
    county.post(reverse("land:case_move", args=[case.pk, "complete"]), {"complete-on": today})
    # a check without the unit is shown back on its field
    r = city.post(reverse("land:case_move", args=[case.pk, "pass"]), {"pass-on": today})
    assert r.status_code == 400 and "请填写核验单位" in r.content.decode()
    r = city.post(
        reverse("land:case_move", args=[case.pk, "pass"]), {"pass-on": today, "pass-checking_unit": "市局"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PASSED and case.waived_total == Decimal("1000200.00")  # 2500.5 × 400
    html = city.get(reverse("land:waiver")).content.decode()
    assert "100.02 万元（1,000,200 元）" in html
    detail = city.get(reverse("land:case_detail", args=[case.pk])).content.decode()
    assert "2020-01-01" in detail and "300 元" in detail


def test_enterprise_reads_its_case_without_forms(cast):
    case = lf.case(lf.zero_project("410305"), cast["county"], to="completed")
    owner = ff.enterprise_user(ent=case.project.enterprise)
    html = _client(owner).get(reverse("land:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="move-' not in html and "已竣工" in html
    r = _client(owner).post(reverse("land:case_move", args=[case.pk, "pass"]), {"pass-on": "2026-01-01"})
    assert r.status_code == 403


def test_exports(cast):
    case = lf.case(lf.zero_project("410305", area="10.00"), cast["county"], to="passed", city=cast["city"])
    need_project = lf.zero_project("410305", zero_new_land=False, added_floor_area=None)
    LandNeed.objects.create(project=need_project, area=Decimal("3000"))
    c = _client(cast["city"])
    rows = _sheet(c.get(reverse("land:case_export")))
    assert rows[0][0] == "企业名称" and rows[1][1] == case.project.name
    year = dt.date.today().year
    sums = _sheet(c.get(reverse("land:waiver_export"), {"year": year}))
    assert sums[1][1] == "洛阳市" and Decimal(str(sums[1][-1])) == Decimal("4000")
    detail = _sheet(c.get(reverse("land:waiver_cases_export"), {"year": year}))
    assert len(detail) == 2
    priority = _sheet(c.get(reverse("land:priority_export")))
    assert priority[1][3] == need_project.name
    rates = _sheet(c.get(reverse("land:rate_export")))
    assert len(rates) == 3  # header + the two Luoyang rates


def test_city_enters_a_rate_on_the_page(cast):
    c = _client(cast["city"])
    data = {"city": "410300", "zone": "", "kind": "premium", "per_m2": "350.00", "valid_from": "2026-01-01"}
    assert c.post(reverse("land:rate_list"), data).status_code == 302
    assert FeeRate.objects.filter(city_id="410300", per_m2=Decimal("350.00")).exists()
    r = c.post(reverse("land:rate_list"), {**data, "city": "410100"})  # not its city: not even offered
    assert r.status_code == 400
    assert _client(cast["county"]).post(reverse("land:rate_list"), data).status_code == 403


def test_api_same_services(cast):
    project = lf.zero_project("410305", area="100.00")
    county, city = _client(cast["county"]), _client(cast["city"])
    r = county.post("/api/v1/land/cases", {"project_id": project.pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    today = dt.date.today().isoformat()
    for action in ("start", "complete"):
        r = county.post(
            f"/api/v1/land/cases/{pk}/moves/{action}", {"on": today}, content_type="application/json"
        )
        assert r.status_code == 200, r.content
    r = city.post(f"/api/v1/land/cases/{pk}/moves/pass", {"on": today}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "checking_unit"
    r = city.post(
        f"/api/v1/land/cases/{pk}/moves/pass",
        {"on": today, "checking_unit": "市局"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["waived_total"] == "40000.00"
    r = county.post(f"/api/v1/land/cases/{pk}/moves/pass", {"on": today}, content_type="application/json")
    assert r.status_code == 409
    figures = city.get("/api/v1/land/figures", {"year": dt.date.today().year}).json()
    assert figures == [
        {
            "region_code": "410300",
            "region_name": "洛阳市",
            "year": dt.date.today().year,
            "projects": 1,
            "added_floor_area": "100.00",
            "premium_waived": "30000.00",
            "municipal_waived": "10000.00",
            "amount_waived": "40000.00",
        }
    ]
    assert _client(cast["county2"]).get(f"/api/v1/land/cases/{pk}").status_code == 404
    assert _client(cast["bank"]).get("/api/v1/land/cases").status_code == 403
    assert city.get("/api/v1/land/cases").json()["total"] == 1
    r = city.post(
        "/api/v1/land/rates",
        {"city": "410300", "kind": "municipal", "per_m2": "120.00", "valid_from": today},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["per_m2"] == "120.00"
    assert city.get("/api/v1/land/rates").json()["total"] == 3
    need_project = lf.zero_project("410305", zero_new_land=False, added_floor_area=None)
    r = county.post(
        "/api/v1/land/needs", {"project_id": need_project.pk, "area": "2000"}, content_type="application/json"
    )
    assert r.status_code == 201
    assert [row["project_id"] for row in city.get("/api/v1/land/priority").json()] == [need_project.pk]


def test_list_pages_do_not_query_per_row(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(name):
        c = _client(cast["city"])
        c.get(reverse(name))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _ in range(n):
            lf.case(lf.zero_project("410305"), cast["county"], to="passed", city=cast["city"])
            project = lf.zero_project("410305", zero_new_land=False, added_floor_area=None)
            LandNeed.objects.create(project=project, area=Decimal("1000"))

    add(1)
    before = {
        name: count(name) for name in ("land:case_list", "land:waiver", "land:priority", "land:rate_list")
    }
    add(4)
    after = {name: count(name) for name in before}
    assert after == before
