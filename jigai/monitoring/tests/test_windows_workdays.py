"""Entry windows count working days (issue 12 "Days that count"): the default window of a month, a window
or a reopening given by hand that would end on a day off, and the working-day counts on the windows page.
The calendar is the seeded one (jigai.workdays, from chinese-calendar): 2025 国庆 + 中秋 off 10-01…10-08 with
Sunday 09-28 and Saturday 10-11 worked; 2026 元旦 off 01-01…01-03 with Sunday 01-04 worked; 2026 春节 off
02-15…02-23 with Saturdays 02-14 and 02-28 worked."""

from __future__ import annotations

import datetime as dt

import pytest

from jigai.audit.models import AuditEvent
from jigai.core.errors import InvalidInput
from jigai.monitoring.models import EntryWindow, WindowReopening
from jigai.monitoring.services import values as svc
from jigai.workdays.services import is_working_day, next_working_day

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_default_window_after_national_day_opens_after_the_holiday_and_counts_the_worked_saturday():
    # September 2025's figures: October opens with 国庆 + 中秋 (1–8 Oct off). First working day: Thu 9 Oct;
    # ten working days with the worked Saturday 11 Oct: 9, 10, 11, 13–17, 20, 21 Oct.
    assert svc.default_window(2025, 9) == (D(2025, 10, 9), D(2025, 10, 21))
    # Without the 调休 Saturday (counting weekdays only) it would end on the 22nd.
    assert is_working_day(D(2025, 10, 11)) and D(2025, 10, 11).weekday() == 5


def test_the_default_window_after_new_year_opens_on_the_worked_sunday():
    # December 2025's figures: 1–3 Jan 2026 off, Sunday 4 Jan worked — the window opens that Sunday.
    opens_on, closes_on = svc.default_window(2025, 12)
    assert opens_on == D(2026, 1, 4) and opens_on.weekday() == 6
    assert closes_on == D(2026, 1, 15)  # 4, 5–9, 12–15 Jan


def test_an_ordinary_month_is_ten_working_days_from_the_first(settings):
    assert svc.default_window(2026, 10) == (D(2026, 11, 2), D(2026, 11, 13))  # 1 Nov 2026 is a Sunday
    settings.JIGAI_MONITORING_WINDOW_WORKING_DAYS = 5
    assert svc.default_window(2026, 10) == (D(2026, 11, 2), D(2026, 11, 6))


def test_window_set_without_dates_sets_the_default_and_audits_it(people):
    w = svc.window_set(actor=people.province, year=2025, month=9)
    assert (w.opens_on, w.closes_on, w.working_days) == (D(2025, 10, 9), D(2025, 10, 21), 10)
    event = AuditEvent.objects.get(target_type="monitoring.entrywindow", action="create")
    assert event.after["closes_on"] == "2025-10-21" and event.comment == "10个工作日"


def test_a_window_across_spring_festival_counts_working_days_from_its_opening(people):
    # Opens Mon 9 Feb 2026: 9–13 Feb (5), Saturday 14 Feb worked (6), 春节 15–23 Feb off, 24–27 Feb (10).
    w = svc.window_set(actor=people.province, year=2026, month=1, opens_on=D(2026, 2, 9))
    assert w.closes_on == D(2026, 2, 27)
    assert w.working_days == 10
    # The same dates counted by weekdays alone would give 10 + 5 holiday weekdays − 1 worked Saturday.
    assert (w.closes_on - w.opens_on).days + 1 == 19


def test_a_closing_day_in_the_holiday_is_refused_with_the_working_days_either_side(people):
    with pytest.raises(InvalidInput) as e:
        svc.window_set(
            actor=people.province, year=2026, month=1, opens_on=D(2026, 2, 2), closes_on=D(2026, 2, 17)
        )
    message = " ".join(e.value.errors["closes_on"])
    assert "2026-02-17（春节）不是工作日" in message
    assert "2026-02-14" in message  # the worked Saturday before the holiday
    assert "2026-02-24" in message  # the first working day after it
    with pytest.raises(InvalidInput) as e:  # a plain Sunday too
        svc.window_set(
            actor=people.province, year=2026, month=10, opens_on=D(2026, 11, 2), closes_on=D(2026, 11, 8)
        )
    assert "2026-11-08（周日）不是工作日" in " ".join(e.value.errors["closes_on"])
    assert not EntryWindow.objects.exists()
    assert not AuditEvent.objects.filter(target_type="monitoring.entrywindow").exists()
    # A worked Saturday is a working day: a window may close on it.
    w = svc.window_set(
        actor=people.province, year=2026, month=1, opens_on=D(2026, 2, 2), closes_on=D(2026, 2, 14)
    )
    assert w.working_days == 11  # 2–6 and 9–13 Feb, and the worked Saturday 14 Feb


def test_closing_before_opening_and_a_closing_without_an_opening_are_refused(people):
    with pytest.raises(InvalidInput) as e:
        svc.window_set(
            actor=people.province, year=2026, month=10, opens_on=D(2026, 11, 10), closes_on=D(2026, 11, 9)
        )
    assert "closes_on" in e.value.errors
    with pytest.raises(InvalidInput) as e:
        svc.window_set(actor=people.province, year=2026, month=10, closes_on=D(2026, 11, 9))
    assert "opens_on" in e.value.errors


def test_a_reopening_must_end_on_a_working_day(people, region, open_window):
    open_window(2025, 1, closes=dt.date.today() - dt.timedelta(days=1))
    today = dt.date.today()
    day_off = today + dt.timedelta(days=1)
    while is_working_day(day_off):
        day_off += dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as e:
        svc.window_reopen(
            actor=people.province, region=region("410102"), year=2025, month=1, reason="补报", until=day_off
        )
    assert f"{day_off:%Y-%m-%d}" in " ".join(e.value.errors["until"])
    assert "不是工作日" in " ".join(e.value.errors["until"])
    assert not WindowReopening.objects.exists()
    until = next_working_day(day_off)
    r = svc.window_reopen(
        actor=people.province, region=region("410102"), year=2025, month=1, reason="补报", until=until
    )
    assert r.working_days == sum(
        is_working_day(today + dt.timedelta(days=i)) for i in range((until - today).days + 1)
    )


def test_the_windows_page_shows_working_days_and_the_form_sets_the_default(client, people, region):
    client.force_login(people.province)
    response = client.post(
        "/monitoring/windows/",
        {"action": "window", "w-year": "2025", "w-month": "9", "w-opens_on": "", "w-closes_on": ""},
    )
    assert response.status_code == 302
    w = EntryWindow.objects.get(year=2025, month=9)
    assert (w.opens_on, w.closes_on) == (D(2025, 10, 9), D(2025, 10, 21))
    EntryWindow.objects.create(year=2026, month=1, opens_on=D(2026, 2, 9), closes_on=D(2026, 2, 27))
    body = client.get("/monitoring/windows/").content.decode()
    assert "工作日</th>" in body
    assert body.count('<td class="num">10个工作日</td>') == 2  # 19 calendar days across 春节: 10 working days
    refused = client.post(
        "/monitoring/windows/",
        {
            "action": "window",
            "w-year": "2025",
            "w-month": "9",
            "w-opens_on": "2025-09-29",
            "w-closes_on": "2025-10-03",
        },
    )
    assert refused.status_code == 200
    assert "2025-10-03（国庆节）不是工作日" in refused.content.decode()
    w.refresh_from_db()
    assert w.closes_on == D(2025, 10, 21)
