"""The green-development ranking: the scoring rule as data, scoring within the industry division, approval and
publication (only published lists are public), entering and importing the figures."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from jigai.accounts.tests.factories import make_enterprise
from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput
from jigai.registry.excel.base import run_import
from jigai.registry.excel.importers import IMPORTERS
from jigai.supervision import selectors, services
from jigai.supervision.models import GreenData, GreenRanking, RankingStatus
from jigai.supervision.services.ranking import clean_weights, intensity, rule_in_force, score_rows

pytestmark = pytest.mark.django_db
W = [
    {"indicator": "energy", "weight": "0.5", "direction": "lower"},
    {"indicator": "water", "weight": "0.3", "direction": "lower"},
    {"indicator": "emission", "weight": "0.2", "direction": "lower"},
]
D = Decimal


def test_weights_validated_whole():
    assert clean_weights(W)[0] == {"indicator": "energy", "weight": "0.5", "direction": "lower"}
    for bad in (
        [],
        [{"indicator": "energy", "weight": "0.5"}],  # sums to 0.5
        [{"indicator": "nosuch", "weight": "1"}],
        [{"indicator": "energy", "weight": "0.5"}, {"indicator": "energy", "weight": "0.5"}],
        [{"indicator": "energy", "weight": "-1"}, {"indicator": "water", "weight": "2"}],
        [{"indicator": "energy", "weight": "1", "direction": "sideways"}],
        [{"indicator": "energy", "weight": "abc"}],
    ):
        with pytest.raises(InvalidInput):
            clean_weights(bad)


def test_scores_within_each_division_and_shared_ranks():
    weights = clean_weights(W)
    rows = [
        (1, "34", {"energy": D("0.1"), "water": D("5"), "emission": D("0.2")}),  # best at everything
        (2, "34", {"energy": D("0.5"), "water": D("10"), "emission": D("1.0")}),  # worst at everything
        (3, "34", {"energy": D("0.3"), "water": D("7.5"), "emission": D("0.6")}),  # the middle
        (4, "26", {"energy": D("9"), "water": D("90"), "emission": D("9")}),  # alone in its division
        (5, "26", {"energy": D("9"), "water": D("90"), "emission": D("9")}),  # equal: same rank
    ]
    out = {s.enterprise_id: s for s in score_rows(rows, weights)}
    assert (out[1].score, out[1].rank) == (D("100.00"), 1)
    assert (out[3].score, out[3].rank) == (D("50.00"), 2)
    assert (out[2].score, out[2].rank) == (D("0.00"), 3)
    assert out[4].rank == out[5].rank == 1 and out[4].score == D("100.00")


def test_higher_is_better_direction():
    weights = clean_weights([{"indicator": "energy", "weight": "1", "direction": "higher"}])
    rows = [(1, "34", {"energy": D("1")}), (2, "34", {"energy": D("3")})]
    out = {s.enterprise_id: s.rank for s in score_rows(rows, weights)}
    assert out == {2: 1, 1: 2}


def test_intensity_is_per_ten_thousand_yuan():
    assert intensity(D("500"), D("10000000")) == D("0.5000")  # 500 t over 1,000 万元


def test_rule_in_force_is_the_latest_dated_one(people):
    today = timezone.localdate()
    old = services.rule_create(
        actor=people.province, name="旧", valid_from=today - dt.timedelta(days=400), weights=W
    )
    new = services.rule_create(
        actor=people.province, name="新", valid_from=today - dt.timedelta(days=10), weights=W
    )
    services.rule_create(
        actor=people.province, name="未来", valid_from=today + dt.timedelta(days=10), weights=W
    )
    assert rule_in_force(today) == new
    assert rule_in_force(today - dt.timedelta(days=100)) == old
    with pytest.raises(AccessDenied):
        services.rule_create(actor=people.city, name="x", valid_from=today, weights=W)


def _figures(province, year):
    ents = [make_enterprise("410305", industry_division="34") for _ in range(3)]
    ents.append(make_enterprise("410102", industry_division="26"))
    ents.append(make_enterprise("410102", industry_division=""))  # no division: not ranked
    energy = ["100", "300", "200", "50", "10"]
    for ent, e in zip(ents, energy, strict=True):
        services.green_data_save(
            actor=province,
            enterprise=ent,
            year=year,
            values={"value_added": D("10000000"), "energy_use": e, "water_use": "1000", "emissions": "500"},
        )
    return ents


def test_compute_publish_and_public_visibility(people):
    year = timezone.localdate().year - 1
    with pytest.raises(Conflict):  # no rule yet
        services.ranking_compute(actor=people.province, year=year)
    services.rule_create(actor=people.province, name="规则", valid_from=timezone.localdate(), weights=W)
    with pytest.raises(Conflict):  # no data yet
        services.ranking_compute(actor=people.province, year=year)
    ents = _figures(people.province, year)
    ranking = services.ranking_compute(actor=people.province, year=year)
    entries = {e.enterprise_id: e for e in ranking.entries.all()}
    assert set(entries) == {e.pk for e in ents[:4]}
    assert entries[ents[0].pk].rank == 1 and entries[ents[1].pk].rank == 3 and entries[ents[3].pk].rank == 1
    assert entries[ents[0].pk].energy_intensity == D("0.1000")
    # A draft is not public and not visible to a city.
    assert not selectors.public_rankings().exists()
    assert not selectors.ranking_list(actor=people.city).exists()
    with pytest.raises(AccessDenied):
        services.ranking_move(actor=people.city, ranking=ranking, action="publish")
    services.ranking_move(actor=people.province, ranking=ranking, action="publish")
    ranking.refresh_from_db()
    assert ranking.status == RankingStatus.PUBLISHED and ranking.approved_by == people.province
    assert list(selectors.public_rankings()) == [ranking]
    assert list(selectors.ranking_list(actor=people.city)) == [ranking]
    # A new list for the year replaces the published one on the public site.
    second = services.ranking_compute(actor=people.province, year=year)
    services.ranking_move(actor=people.province, ranking=second, action="publish")
    assert list(selectors.public_rankings()) == [second]
    assert GreenRanking.objects.get(pk=ranking.pk).status == RankingStatus.WITHDRAWN
    with pytest.raises(InvalidInput):  # withdrawing needs a reason
        services.ranking_move(actor=people.province, ranking=second, action="withdraw")
    services.ranking_move(actor=people.province, ranking=second, action="withdraw", comment="数据有误")
    assert not selectors.public_rankings().exists()
    assert AuditEvent.objects.filter(action="publish", target_type="supervision.greenranking").count() == 2


def test_green_data_checks_and_corrections(people):
    year = timezone.localdate().year - 1
    values = {"value_added": D("0"), "energy_use": "1", "water_use": "1", "emissions": "1"}
    with pytest.raises(InvalidInput) as exc:
        services.green_data_save(actor=people.province, enterprise=people.ent, year=year, values=values)
    assert "value_added" in exc.value.errors
    with pytest.raises(InvalidInput):
        services.green_data_save(actor=people.province, enterprise=people.ent, year=1990, values=values)
    with pytest.raises(AccessDenied):
        services.green_data_save(actor=people.city, enterprise=people.ent, year=year, values=values)
    values["value_added"] = D("100000")
    services.green_data_save(actor=people.province, enterprise=people.ent, year=year, values=values)
    values["energy_use"] = "2"
    services.green_data_save(actor=people.province, enterprise=people.ent, year=year, values=values)
    row = GreenData.objects.get()
    assert row.energy_use == D("2.00")
    assert AuditEvent.objects.filter(target_type="supervision.greendata", action="update").exists()


def _workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "统一社会信用代码",
            "年度",
            "工业增加值（万元）",
            "综合能耗（吨标准煤）",
            "用水量（立方米）",
            "二氧化碳排放量（吨）",
        ]
    )
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_all_or_nothing_and_corrects_existing(people):
    importer = IMPORTERS["green_data"]
    year = timezone.localdate().year - 1
    other = make_enterprise("410102", industry_division="34")
    bad = _workbook([[people.ent.uscc, year, 1000, 50, 800, 90], ["91410000NOSUCH0000", year, 1000, 1, 1, 1]])
    result = run_import(actor=people.province, importer=importer, data=bad)
    assert not result.ok and result.error_file and not GreenData.objects.exists()
    good = _workbook([[people.ent.uscc, year, 1000, 50, 800, 90], [other.uscc, year, "2500.5", 10, 20, 30]])
    result = run_import(actor=people.province, importer=importer, data=good)
    assert result.ok and result.created == 2, result.message
    row = GreenData.objects.get(enterprise=people.ent)
    assert row.value_added == D("10000000.00")  # 1000 万元 in yuan
    again = _workbook([[people.ent.uscc, year, 1000, 60, 800, 90]])
    assert run_import(actor=people.province, importer=importer, data=again).ok
    assert GreenData.objects.get(enterprise=people.ent).energy_use == D("60.00")
    assert GreenData.objects.count() == 2
    dup = _workbook([[other.uscc, year, 1, 1, 1, 1], [other.uscc, year, 1, 1, 1, 1]])
    assert not run_import(actor=people.province, importer=importer, data=dup).ok
    with pytest.raises(AccessDenied):
        run_import(actor=people.city, importer=importer, data=good)
