"""The pages per role: who sees what, the live sum, the entry form's warning and the letter's upload."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jigai.monitoring.models import LetterStatus, MonthlyValue, Target, TargetLetter
from jigai.monitoring.services import targets as tsvc
from jigai.regions.selectors import cities

pytestmark = pytest.mark.django_db
Y = dt.date.today().year


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("url", ["/monitoring/indicators/", "/monitoring/values/", "/monitoring/reconcile/"])
def test_read_pages_answer_every_government_role(client, people, url):
    for user in (people.province, people.leader, people.zz, people.zy):
        assert _get(client, user, url).status_code == 200, (user.role, url)


def test_the_indicator_page_lists_every_indicator_with_its_clause(client, people):
    body = _get(client, people.province, "/monitoring/indicators/").content.decode()
    assert "“两化”融合发展指数" in body and "二（三）" in body and "系统计算" in body


def test_target_page_live_sum_and_publish(client, people, ind):
    client.force_login(people.province)
    page = client.get(f"/monitoring/targets/?year={Y}&indicator=sme_cloud")
    assert page.status_code == 200 and 'id="value_419001"' in page.content.decode()
    live = client.post(
        "/monitoring/targets/sum/",
        {"year": Y, "indicator": "sme_cloud", "parent_value": "100", "value_410100": "60"},
    )
    assert "少 <strong>40" in live.content.decode()
    data = {"year": Y, "indicator": "sme_cloud", "action": "save", "parent_value": "1800"}
    data.update({f"value_{c.pk}": "100" for c in cities()})
    assert client.post("/monitoring/targets/", data).status_code == 302
    assert Target.objects.filter(year=Y, indicator__code="sme_cloud").count() == 19
    assert client.post("/monitoring/targets/publish/", {"year": Y}).status_code == 302
    assert TargetLetter.objects.filter(year=Y, status=LetterStatus.PENDING).count() == 18


def test_city_signs_its_letter_on_the_page_and_others_get_404(client, people, ind):
    sme = ind("sme_cloud")
    tsvc.target_set(
        actor=people.province, year=Y, indicator=sme, region=cities()[0].parent, value=Decimal(1800)
    )
    for c in cities():
        tsvc.target_set(actor=people.province, year=Y, indicator=sme, region=c, value=Decimal(100))
    tsvc.targets_publish(actor=people.province, year=Y)
    letter = TargetLetter.objects.get(year=Y, region_id="410100")
    assert _get(client, people.ly, f"/monitoring/letters/{letter.pk}/").status_code == 404
    client.force_login(people.zz)
    assert 'id="confirm-letter"' in client.get(f"/monitoring/letters/{letter.pk}/").content.decode()
    resp = client.post(
        f"/monitoring/letters/{letter.pk}/",
        {
            "action": "confirm",
            "signed_on": dt.date.today().isoformat(),
            "signatories": "张三",
            "signed_file": SimpleUploadedFile("l.pdf", b"%PDF-1.4 x"),
        },
    )
    assert resp.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CONFIRMED


def test_entry_page_shows_the_warning_and_saves_with_a_note(client, people, open_window):
    today = dt.date.today()
    open_window(2025, 1)
    open_window(2025, 2)
    client.force_login(people.zy)
    url = "/monitoring/entry/?year=2025&month=1"
    assert 'id="value_sme_cloud"' in client.get(url).content.decode()
    assert client.post(url, {"value_sme_cloud": "10"}).status_code == 302
    url2 = "/monitoring/entry/?year=2025&month=2"
    again = client.post(url2, {"value_sme_cloud": "5"})
    assert again.status_code == 200 and "低于上月累计" in again.content.decode()
    assert client.post(url2, {"value_sme_cloud": "5", "note_sme_cloud": "统计口径调整"}).status_code == 302
    assert MonthlyValue.objects.get(month=2, region_id="410102").warning_note == "统计口径调整"
    assert today  # the window fixture opens around today


def test_window_page_is_the_provinces(client, people):
    assert _get(client, people.province, "/monitoring/windows/").status_code == 200
    assert _get(client, people.zz, "/monitoring/windows/").status_code == 403
    assert _get(client, people.province, "/monitoring/entry/").status_code == 302  # to the windows
