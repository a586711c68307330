"""The working-day calendar: seeded holidays and 调休 days, edits by the system administrator only, and
the notice period counted by it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from jigai.accounts.models import User
from jigai.audit.models import AuditEvent
from jigai.core.errors import DomainError
from jigai.workdays import services
from jigai.workdays.models import CalendarDay, CalendarYear, YearSource

pytestmark = pytest.mark.django_db


def _user(role: str, username: str) -> User:
    return User.objects.create_user(
        username=username, password="x-Very-Long-9", role=role, region_id="410000"
    )


def test_seeded_years_know_national_day_and_the_worked_weekend():
    assert CalendarYear.objects.filter(year=2025, source=YearSource.PACKAGE).exists()
    assert not services.is_working_day(dt.date(2025, 10, 1))  # 国庆节, a Wednesday
    assert not services.is_working_day(dt.date(2025, 10, 8))  # 国庆 + 中秋 run to 8 October
    assert services.is_working_day(dt.date(2025, 9, 28))  # a Sunday worked (调休)
    assert services.is_working_day(dt.date(2025, 10, 9))
    day = CalendarDay.objects.get(day=dt.date(2025, 10, 1))
    assert day.name == "国庆节"


def test_a_notice_across_national_day_ends_after_the_holiday():
    # Five working days from Tue 30 Sep 2025: 30 Sep, 9 and 10 Oct, 11 Oct (a worked Saturday), 13 Oct.
    assert services.add_working_days(dt.date(2025, 9, 30), 5) == dt.date(2025, 10, 13)
    assert services.working_days_between(dt.date(2025, 10, 1), dt.date(2025, 10, 8)) == 0


def test_a_year_the_package_does_not_cover_counts_weekends_and_says_so():
    assert not services.year_known(2031)
    assert services.is_working_day(dt.date(2031, 10, 1))  # a Wednesday, no arrangement entered yet


def test_the_system_administrator_enters_a_year_and_it_counts_at_once():
    admin = _user("admin", "sysadm")
    services.set_day(actor=admin, day="2031-10-01", kind="holiday", name="国庆节")
    services.set_day(actor=admin, day=dt.date(2031, 9, 28), kind="workday", name="国庆节")  # a Sunday
    assert not services.is_working_day(dt.date(2031, 10, 1))
    assert services.is_working_day(dt.date(2031, 9, 28))
    assert CalendarYear.objects.get(year=2031).source == YearSource.MANUAL
    assert AuditEvent.objects.filter(action="workdays.set_day").count() == 2
    services.clear_day(actor=admin, day="2031-10-01")
    assert services.is_working_day(dt.date(2031, 10, 1))


def test_nonsense_is_refused_with_a_message_and_changes_nothing():
    admin = _user("admin", "sysadm")
    with pytest.raises(DomainError) as e:
        services.set_day(actor=admin, day="2031-10-01", kind="workday")  # a Wednesday is a working day anyway
    assert e.value.field == "kind"
    with pytest.raises(DomainError):
        services.set_day(actor=admin, day="not a date", kind="holiday")
    assert not CalendarDay.objects.filter(day__year=2031).exists()


@pytest.mark.parametrize("role", ["province", "county", "enterprise", "finance"])
def test_only_the_system_administrator_edits_the_calendar(role):
    other = _user(role, f"u-{role}")
    with pytest.raises(PermissionDenied):
        services.set_day(actor=other, day="2031-10-01", kind="holiday")


def test_the_calendar_page_for_the_administrator_and_no_one_else(client):
    admin = _user("admin", "sysadm")
    client.force_login(admin)
    page = client.get("/workdays/?year=2025")
    assert page.status_code == 200
    assert "国庆节" in page.content.decode()
    response = client.post("/workdays/", {"day": "2031-10-02", "kind": "holiday", "name": "国庆节"})
    assert response.status_code == 302
    assert not services.is_working_day(dt.date(2031, 10, 2))
    bad = client.post("/workdays/", {"day": "2031-10-04", "kind": "holiday"})  # a Saturday
    assert "本来就是休息日" in bad.content.decode()
    client.force_login(_user("province", "prov"))
    assert client.get("/workdays/").status_code == 403
