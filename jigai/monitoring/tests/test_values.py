import datetime as dt
from decimal import Decimal

import pytest

from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput
from jigai.monitoring.models import MonthlyRollup, MonthlyValue, ValueStatus
from jigai.monitoring.services import values as svc
from jigai.monitoring.services.values import EntryRow
from jigai.workdays.services import next_working_day

pytestmark = pytest.mark.django_db
Y = 2026


def _enter(user, region, month, code, value, note="", ind=None):
    return svc.values_enter(
        actor=user, region=region, year=Y, month=month, rows=[EntryRow(ind(code), Decimal(value), note)]
    )


def test_county_enters_what_it_reports_and_the_rollup_adds_up_to_city_and_province(
    people, ind, region, open_window
):
    open_window(Y, 1)
    open_window(Y, 2)
    _enter(people.zy, region("410102"), 1, "sme_cloud", "10", ind=ind)
    _enter(people.zy, region("410102"), 2, "sme_cloud", "21", ind=ind)
    county = MonthlyRollup.objects.get(indicator__code="sme_cloud", region_id="410102", year=Y, month=2)
    city = MonthlyRollup.objects.get(indicator__code="sme_cloud", region_id="410100", year=Y, month=2)
    prov = MonthlyRollup.objects.get(indicator__code="sme_cloud", region_id="410000", year=Y, month=2)
    assert county.actual == 21 and county.month_value == 11
    assert city.actual == 21 and prov.actual == 21 and city.share == 100
    assert AuditEvent.objects.filter(target_type="monitoring.monthlyvalue", action="create").count() == 2


def test_a_county_cannot_enter_a_city_indicator_nor_another_county(people, ind, region, open_window):
    open_window(Y, 1)
    with pytest.raises(InvalidInput) as e:
        _enter(people.zy, region("410102"), 1, "informatization_index", "60", ind=ind)
    assert "value_informatization_index" in e.value.errors
    with pytest.raises(AccessDenied):
        _enter(people.zy, region("410305"), 1, "sme_cloud", "5", ind=ind)
    with pytest.raises(AccessDenied):  # the province publishes, it does not enter
        _enter(people.province, region("410102"), 1, "sme_cloud", "5", ind=ind)
    # the city enters its own city-level indicator
    _enter(people.zz, region("410100"), 1, "informatization_index", "60", ind=ind)


def test_warnings_need_a_note_before_saving(people, ind, region, open_window):
    for m in (1, 2, 3):
        open_window(Y, m)
    zy = region("410102")
    _enter(people.zy, zy, 1, "sme_cloud", "10", ind=ind)
    _enter(people.zy, zy, 2, "sme_cloud", "20", ind=ind)
    with pytest.raises(InvalidInput) as e:  # year-to-date below last month's
        _enter(people.zy, zy, 3, "sme_cloud", "15", ind=ind)
    assert "低于上月累计" in " ".join(e.value.errors["note_sme_cloud"])
    with pytest.raises(InvalidInput) as e:  # the month's 80 against last month's 10: a jump
        _enter(people.zy, zy, 3, "sme_cloud", "100", ind=ind)
    assert "超过" in " ".join(e.value.errors["note_sme_cloud"])
    assert not MonthlyValue.objects.filter(region=zy, month=3).exists()
    saved = _enter(people.zy, zy, 3, "sme_cloud", "100", "新增一批企业集中上云", ind=ind)[0]
    assert saved.warning and saved.warning_note == "新增一批企业集中上云"


def test_the_window_locks_by_date_and_the_province_reopens_one_region(people, ind, region, open_window):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    open_window(Y, 1, closes=yesterday)
    with pytest.raises(Conflict) as e:
        _enter(people.zy, region("410102"), 1, "sme_cloud", "10", ind=ind)
    assert "截止" in e.value.message
    with pytest.raises(AccessDenied):
        svc.window_reopen(
            actor=people.zz, region=region("410102"), year=Y, month=1, reason="补报", until=dt.date.today()
        )
    with pytest.raises(InvalidInput):
        svc.window_reopen(
            actor=people.province, region=region("410102"), year=Y, month=1, reason="", until=dt.date.today()
        )
    svc.window_reopen(
        actor=people.province,
        region=region("410102"),
        year=Y,
        month=1,
        reason="系统故障补报",
        until=next_working_day(dt.date.today()),  # a reopening ends on a working day
    )
    _enter(people.zy, region("410102"), 1, "sme_cloud", "10", ind=ind)
    with pytest.raises(Conflict):  # only that region's month is open again
        _enter(people.jx, region("410305"), 1, "sme_cloud", "10", ind=ind)
    assert AuditEvent.objects.filter(action="unlock", comment="系统故障补报").exists()


def test_publish_freezes_as_reported_and_a_correction_keeps_both(people, ind, region, open_window):
    open_window(Y, 1)
    v = _enter(people.zy, region("410102"), 1, "sme_cloud", "10", ind=ind)[0]
    with pytest.raises(AccessDenied):
        svc.month_publish(actor=people.zz, year=Y, month=1)
    assert svc.month_publish(actor=people.province, year=Y, month=1) == 1
    v.refresh_from_db()
    assert v.status == ValueStatus.PUBLISHED and v.as_reported == 10
    with pytest.raises(Conflict):  # the county can no longer change it
        _enter(people.zy, region("410102"), 1, "sme_cloud", "12", ind=ind)
    with pytest.raises(InvalidInput):
        svc.value_correct(actor=people.province, value=v, new_value=Decimal(12), reason="")
    svc.value_correct(actor=people.province, value=v, new_value=Decimal(12), reason="统计局修订")
    v.refresh_from_db()
    assert (v.value, v.as_reported, v.correction_difference) == (12, 10, 2)
    assert (
        MonthlyRollup.objects.get(indicator__code="sme_cloud", region_id="410100", year=Y, month=1).actual
        == 12
    )


def test_the_api_enters_with_the_same_rules(people, ind, open_window, client):
    open_window(Y, 1)
    client.force_login(people.zy)
    ok = client.post(
        "/api/v1/monitoring/values/",
        {"indicator": "sme_cloud", "region": "410102", "year": Y, "month": 1, "value": "7"},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["value"] == "7"
    bad = client.post(
        "/api/v1/monitoring/values/",
        {"indicator": "sme_cloud", "region": "410305", "year": Y, "month": 1, "value": "7"},
        content_type="application/json",
    )
    assert bad.status_code == 403
    listed = client.get(f"/api/v1/monitoring/values/?year={Y}&month=1")
    assert [r["region"] for r in listed.json()] == ["410102"]


def test_the_workbench_tile_counts_open_months_not_yet_entered(people, ind, region, open_window):
    from jigai.monitoring import selectors

    today = dt.date.today()
    open_window(Y, 1)
    assert selectors.months_to_enter(actor=people.zy, today=today) == 1
    _enter(people.zy, region("410102"), 1, "sme_cloud", "10", ind=ind)
    assert selectors.months_to_enter(actor=people.zy, today=today) == 0
    assert selectors.months_to_enter(actor=people.zz, today=today) == 1  # the city's own indicators
