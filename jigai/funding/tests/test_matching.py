"""免申即享 / proactive matching (issue 13): the open guideline matched with an enterprise's objects on
verified facts only; the missing fact named; one click starts the application; a 免申即享 award needs the
enterprise's and the county's confirmations and then joins the round; the annual cap still holds; the
county sees who qualifies and has not applied; notifications can be switched off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jigai.accounts.tests.factories import make_user
from jigai.core.errors import Conflict, DomainError
from jigai.funding.matching import services as matching
from jigai.funding.models import AppStatus, Match, MatchStatus, ProactiveAward, ProactiveStatus
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification
from jigai.registry.models import LibraryStatus

pytestmark = pytest.mark.django_db


def _round(**kw):
    return f.guideline(items=["3.1.1", "3.1.2", "3.4.1"], **kw)


def test_an_enterprise_is_matched_with_its_projects_and_told_so():
    g = _round()
    user = f.enterprise_user("410305")
    f.project(user.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    f.project(user.enterprise, equipment="5000000", software="0", library_status=LibraryStatus.IN_LIBRARY)
    f.project(user.enterprise, equipment="90000000", library_status=LibraryStatus.DRAFT)  # not in the library
    matches = matching.refresh_enterprise(user.enterprise)
    eligible = [m for m in matches if m.status == MatchStatus.ELIGIBLE]
    assert {m.item for m in eligible} >= {"3.1.1"} and all(m.guideline == g for m in matches)
    big = next(m for m in eligible if m.item == "3.1.1")
    assert big.ceiling > 0 and big.explanation
    assert not any("90000000" in m.object_label for m in matches)
    note = Notification.objects.get(recipient=user)
    assert "符合" in note.title
    # The nightly run again: no second message for the same matches.
    matching.refresh_enterprise(user.enterprise)
    assert Notification.objects.filter(recipient=user).count() == 1


def test_notifications_can_be_switched_off():
    _round()
    user = f.enterprise_user("410305")
    f.project(user.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    matching.set_notifications(actor=user, notify=False)
    matching.refresh_enterprise(user.enterprise)
    assert Match.objects.filter(enterprise=user.enterprise, status=MatchStatus.ELIGIBLE).exists()
    assert not Notification.objects.filter(recipient=user).exists()


def test_an_unverified_qualification_never_makes_a_match():
    g = f.guideline(items=["3.3.1-national-promotion", "3.1.1"])
    user = f.enterprise_user("410305")
    f.project(user.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    today = timezone.localdate()
    f.qualification(
        user.enterprise,
        "national_little_giant",
        valid_from=today - dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=300),
        verified=False,
    )
    matches = matching.refresh_enterprise(user.enterprise, guideline=g)
    assert not any(m.item.startswith("3.3") and m.status == MatchStatus.ELIGIBLE for m in matches)


def test_one_click_starts_the_application_with_the_registry_facts():
    g = _round()
    user = f.enterprise_user("410305")
    project = f.project(user.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    match = next(
        m
        for m in matching.refresh_enterprise(user.enterprise)
        if m.item == "3.1.1" and m.object_id == project.pk
    )
    app = matching.start_application(actor=user, match_id=match.pk)
    assert app.status == AppStatus.DRAFT and app.guideline == g and app.item == "3.1.1"
    other = f.enterprise_user("410305")
    with pytest.raises(DomainError):  # someone else's match: not found
        matching.start_application(actor=other, match_id=match.pk)


def _titled_enterprise():
    user = f.enterprise_user("410305")
    f.title(user.enterprise)  # a national green factory (三（四）1)
    return user


def test_a_proactive_award_needs_both_confirmations_then_joins_the_round():
    g = _round()
    g.proactive_items = ["3.4.1"]
    g.save(update_fields=["proactive_items"])
    user = _titled_enterprise()
    matches = matching.refresh_enterprise(user.enterprise, guideline=g)
    match = next((m for m in matches if m.item == "3.4.1"), None)
    if match is None or match.status != MatchStatus.ELIGIBLE:
        pytest.fail(
            f"the title should match 3.4.1: {[(m.item, m.status, m.missing, m.reasons) for m in matches]}"
        )
    award = ProactiveAward.objects.get(match=match)
    assert award.status == ProactiveStatus.PREPARED
    county = make_user("county", "410305")
    with pytest.raises(Conflict):  # not before the enterprise
        matching.proactive_confirm_county(actor=county, award_id=award.pk)
    with pytest.raises(DomainError) as e:
        matching.proactive_confirm_enterprise(
            actor=user,
            award_id=award.pk,
            payee_name="别的公司",
            bank_name="工商银行",
            bank_account="6222020200112233",
        )
    assert e.value.field == "payee_name"
    with pytest.raises(DomainError):
        matching.proactive_confirm_enterprise(
            actor=user,
            award_id=award.pk,
            payee_name=user.enterprise.name,
            bank_name="工商银行",
            bank_account="12ab",
        )
    matching.proactive_confirm_enterprise(
        actor=user,
        award_id=award.pk,
        payee_name=user.enterprise.name,
        bank_name="中国工商银行洛阳分行",
        bank_account="6222 0202 0011 2233",
    )
    other_county = make_user("county", "410102")
    with pytest.raises(DomainError):  # another county: not in its region
        matching.proactive_confirm_county(actor=other_county, award_id=award.pk)
    with pytest.raises(PermissionDenied):
        matching.proactive_confirm_county(actor=make_user("city", "410300"), award_id=award.pk)
    matching.proactive_confirm_county(actor=county, award_id=award.pk, comment="已核对称号文件")
    award.refresh_from_db()
    assert award.status == ProactiveStatus.JOINED
    app = award.application
    assert app.status == AppStatus.COUNTY_APPROVED and app.item == "3.4.1"  # next: the city, as any other
    assert (
        not app.payment_stages.filter(payments__isnull=False).exists()
        if hasattr(app, "payment_stages")
        else True
    )
    with pytest.raises(DomainError):
        matching.start_application(actor=user, match_id=match.pk)  # 免申即享: never applied for twice


def test_the_county_sees_who_qualifies_and_has_not_applied():
    g = _round()
    waiting = f.enterprise_user("410305")
    f.project(waiting.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    applied = f.enterprise_user("410305")
    project = f.project(applied.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    elsewhere = f.enterprise_user("410102")
    f.project(elsewhere.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    for u in (waiting, applied, elsewhere):
        matching.refresh_enterprise(u.enterprise, guideline=g)
    f.submitted(applied, g, item="3.1.1", target=project)
    county = make_user("county", "410305")
    names = {r["enterprise"].name for r in matching.not_applied(county)}
    assert waiting.enterprise.name in names
    assert applied.enterprise.name not in names and elsewhere.enterprise.name not in names
    with pytest.raises(PermissionDenied):
        matching.not_applied(waiting)


def test_the_pages(client):
    _round()
    user = f.enterprise_user("410305")
    f.project(user.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    matching.refresh_enterprise(user.enterprise)
    client.force_login(user)
    page = client.get("/funding/matches/")
    assert page.status_code == 200 and "一键申报" in page.content.decode()
    match = Match.objects.filter(
        enterprise=user.enterprise, status=MatchStatus.ELIGIBLE, item="3.1.1"
    ).first()
    started = client.post(f"/funding/matches/{match.pk}/apply/")
    assert started.status_code == 302 and "/edit/" in started["Location"]
    county = make_user("county", "410305")
    client.force_login(county)
    region = client.get("/funding/matches/region/")
    assert region.status_code == 200
    export = client.get("/funding/matches/region/export.xlsx")
    assert export.status_code == 200
    assert client.get("/funding/matches/").status_code == 403


def test_a_change_of_the_enterprise_data_matches_it_again(django_capture_on_commit_callbacks):
    _round()
    user = f.enterprise_user("410305")
    with django_capture_on_commit_callbacks(execute=True):
        f.project(user.enterprise, equipment="20000000", library_status=LibraryStatus.IN_LIBRARY)
    assert Match.objects.filter(enterprise=user.enterprise, status=MatchStatus.ELIGIBLE).exists()


def test_the_nightly_run_is_queued_once(settings):
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from jigai.funding.matching.tasks import TASK_PATH
    from jigai.jobs.testing import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
    out = StringIO()
    call_command("match", "--schedule", stdout=out)
    call_command("match", "--schedule", stdout=out)
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert "已安排" in out.getvalue() and "已有安排" in out.getvalue()
