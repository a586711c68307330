import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput
from jigai.monitoring.models import LetterStatus, MonthlyRollup, Target, TargetLetter, TargetStatus
from jigai.monitoring.services import targets as svc
from jigai.regions.selectors import cities

pytestmark = pytest.mark.django_db
YEAR = 2026
PDF = b"%PDF-1.4 signed"


def _province_sets(people, ind, total=Decimal(1800), per_city=Decimal(100)):
    sme = ind("sme_cloud")
    svc.target_set(actor=people.province, year=YEAR, indicator=sme, region=cities()[0].parent, value=total)
    for c in cities():
        svc.target_set(actor=people.province, year=YEAR, indicator=sme, region=c, value=per_city)
    return sme


def test_the_province_sets_every_city_jiyuan_included_and_publishes_when_they_add_up(people, ind):
    sme = _province_sets(people, ind)
    assert Target.objects.filter(year=YEAR, indicator=sme, region__level="city").count() == 18
    assert Target.objects.filter(region_id="419001").exists()
    letters = svc.targets_publish(actor=people.province, year=YEAR)
    assert len(letters) == 18
    assert set(Target.objects.filter(year=YEAR).values_list("status", flat=True)) == {TargetStatus.PUBLISHED}
    assert AuditEvent.objects.filter(action="publish", target_type="monitoring.targetletter").count() == 18
    # rollups carry the published target of the city
    row = MonthlyRollup.objects.get(indicator=sme, region_id="410100", year=YEAR, month=12)
    assert row.target == 100


def test_publish_is_refused_while_the_cities_do_not_add_up_to_the_province(people, ind):
    sme = _province_sets(people, ind, total=Decimal(1900))
    with pytest.raises(InvalidInput) as e:
        svc.targets_publish(actor=people.province, year=YEAR)
    assert "少 100" in e.value.errors["__all__"][0]
    assert not Target.objects.filter(indicator=sme, status=TargetStatus.PUBLISHED).exists()
    check = svc.sum_check(year=YEAR, indicator=sme, parent=cities()[0].parent)
    assert check.difference == -100 and not check.ok


def test_split_by_weights_adds_up_exactly(people, ind):
    sme = ind("sme_cloud")
    prov = cities()[0].parent
    svc.target_set(actor=people.province, year=YEAR, indicator=sme, region=prov, value=Decimal(30001))
    weights = {c.pk: Decimal(1 + i % 3) for i, c in enumerate(cities())}
    svc.target_split(actor=people.province, year=YEAR, indicator=sme, weights=weights)
    assert svc.sum_check(year=YEAR, indicator=sme, parent=prov).ok
    assert all(
        t.value == t.value.to_integral_value()
        for t in Target.objects.filter(indicator=sme, region__level="city")
    )


def test_cities_cannot_set_city_targets_and_only_their_own_counties(people, ind, region):
    sme = ind("sme_cloud")
    with pytest.raises(AccessDenied):
        svc.target_set(actor=people.zz, year=YEAR, indicator=sme, region=region("410300"), value=Decimal(1))
    with pytest.raises(AccessDenied):
        svc.target_set(actor=people.zz, year=YEAR, indicator=sme, region=region("410305"), value=Decimal(1))
    with pytest.raises(AccessDenied):
        svc.target_set(actor=people.zy, year=YEAR, indicator=sme, region=region("410102"), value=Decimal(1))
    # before the province published 郑州's target the city cannot break it down
    with pytest.raises(Conflict):
        svc.target_set(actor=people.zz, year=YEAR, indicator=sme, region=region("410102"), value=Decimal(1))


def test_city_confirms_with_a_letter_or_asks_for_a_change(people, ind):
    _province_sets(people, ind)
    svc.targets_publish(actor=people.province, year=YEAR)
    zz = TargetLetter.objects.get(year=YEAR, region_id="410100")
    with pytest.raises(InvalidInput) as e:
        svc.letter_confirm(
            actor=people.zz, letter=zz, signed_on=dt.date.today(), signatories="", signed_file=None
        )
    assert set(e.value.errors) == {"signatories", "signed_file"}
    with pytest.raises(AccessDenied):  # 洛阳 cannot sign 郑州's letter
        svc.letter_confirm(
            actor=people.ly,
            letter=zz,
            signed_on=dt.date.today(),
            signatories="张三",
            signed_file=SimpleUploadedFile("l.pdf", PDF),
        )
    svc.letter_confirm(
        actor=people.zz,
        letter=zz,
        signed_on=dt.date.today(),
        signatories="张三、李四",
        signed_file=SimpleUploadedFile("l.pdf", PDF),
    )
    zz.refresh_from_db()
    assert zz.status == LetterStatus.CONFIRMED and zz.signed_file
    assert Target.objects.get(region_id="410100").status == TargetStatus.CONFIRMED
    ly = TargetLetter.objects.get(year=YEAR, region_id="410300")
    with pytest.raises(InvalidInput):
        svc.letter_request_change(actor=people.ly, letter=ly, reason=" ")
    svc.letter_request_change(actor=people.ly, letter=ly, reason="洛阳上云基数偏低，请调减")
    assert Target.objects.get(region_id="410300").status == TargetStatus.CHANGE_REQUESTED
    assert AuditEvent.objects.filter(action="object", comment__contains="调减").exists()
    # the province changes 洛阳 and 郑州 (sum kept), publishes again: both letters pending again
    sme = ind("sme_cloud")
    svc.target_set(actor=people.province, year=YEAR, indicator=sme, region=ly.region, value=Decimal(80))
    svc.target_set(actor=people.province, year=YEAR, indicator=sme, region=zz.region, value=Decimal(120))
    svc.targets_publish(actor=people.province, year=YEAR)
    ly.refresh_from_db()
    assert ly.status == LetterStatus.PENDING
    assert Target.objects.get(region_id="410300").value == 80


def test_city_breaks_its_target_down_to_its_counties_the_same_way(people, ind, region):
    sme = _province_sets(people, ind)
    svc.targets_publish(actor=people.province, year=YEAR)
    counties = list(region("410100").children.filter(level="county"))
    for i, c in enumerate(counties):
        svc.target_set(
            actor=people.zz, year=YEAR, indicator=sme, region=c, value=Decimal(100 if i == 0 else 0)
        )
    letters = svc.targets_publish(actor=people.zz, year=YEAR)
    assert {lt.region_id for lt in letters} == {c.pk for c in counties}
    zy = TargetLetter.objects.get(year=YEAR, region_id="410102")
    svc.letter_confirm(
        actor=people.zy,
        letter=zy,
        signed_on=dt.date.today(),
        signatories="王五",
        signed_file=SimpleUploadedFile("l.pdf", PDF),
    )
    assert Target.objects.get(region_id="410102").status == TargetStatus.CONFIRMED
    # the county never saw the city's drafts of its own target, the city does
    svc.target_set(actor=people.zz, year=YEAR, indicator=sme, region=region("410102"), value=Decimal(100))
    assert not Target.objects.restrict(people.zy).filter(region_id="410102").exists()
    assert Target.objects.restrict(people.zz).filter(region_id="410102").exists()
    assert not Target.objects.restrict(people.ly).filter(region_id="410102").exists()
