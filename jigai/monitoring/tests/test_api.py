import pytest

from jigai.monitoring.models import TargetLetter, TargetStatus
from jigai.regions.selectors import cities

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_indicators_targets_and_letters_through_the_api(client, people):
    client.force_login(people.province)
    listed = client.get("/api/v1/monitoring/indicators/").json()
    assert {"ti_investment_growth", "green_factories", "design_centres"} <= {i["code"] for i in listed}
    assert (
        _post(
            client,
            "/api/v1/monitoring/targets/",
            {"year": 2026, "indicator": "green_parks", "region": "410000", "value": "36"},
        ).status_code
        == 200
    )
    for c in cities():
        r = _post(
            client,
            "/api/v1/monitoring/targets/",
            {"year": 2026, "indicator": "green_parks", "region": c.pk, "value": "1"},
        )
        assert r.status_code == 200 and r.json()["status"] == TargetStatus.DRAFT
    refused = client.post("/api/v1/monitoring/targets/publish/?year=2026")
    assert refused.status_code == 422  # 18 ≠ 36
    _post(
        client,
        "/api/v1/monitoring/targets/",
        {"year": 2026, "indicator": "green_parks", "region": "410000", "value": "18"},
    )
    assert client.post("/api/v1/monitoring/targets/publish/?year=2026").status_code == 200
    client.force_login(people.zz)
    letter = TargetLetter.objects.get(year=2026, region_id="410100")
    change = _post(client, f"/api/v1/monitoring/letters/{letter.pk}/change/", {"reason": "基数偏高"})
    assert change.status_code == 200 and change.json()["status"] == "change_requested"
    mine = client.get("/api/v1/monitoring/targets/?year=2026").json()
    assert {t["region"] for t in mine} == {"410100"}
    client.force_login(people.ly)
    other = _post(client, f"/api/v1/monitoring/letters/{letter.pk}/change/", {"reason": "x"})
    assert other.status_code == 404
