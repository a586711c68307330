"""Counting working days, and the administrator's edits of the calendar.

Notice periods (公示期, 三 末段 and the guideline), review deadlines and entry windows all count working
days here, so a period that spans 国庆 or 春节 ends when an officer expects it to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction

from jigai.accounts.permissions import require
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import DomainError, NotFound

from .models import CalendarDay, CalendarYear, DayKind, YearSource

_VERSION_KEY = "jigai:workdays:version"
# (version, year) → {date: kind}; a process keeps the years it has read until an edit bumps the version.
_YEARS: dict[tuple[int, int], dict[dt.date, str]] = {}


def _version() -> int:
    return cache.get_or_set(_VERSION_KEY, 1, timeout=None) or 1


def _bump() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, timeout=None)
    _YEARS.clear()


def _exceptions(year: int) -> dict[dt.date, str]:
    key = (_version(), year)
    found = _YEARS.get(key)
    if found is None:
        found = dict(CalendarDay.objects.filter(day__year=year).values_list("day", "kind"))
        _YEARS[key] = found
    return found


def is_working_day(day: dt.date) -> bool:
    kind = _exceptions(day.year).get(day)
    if kind == DayKind.HOLIDAY:
        return False
    if kind == DayKind.WORKDAY:
        return True
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` working days beginning on `start` (a start on a day off begins
    on the next working day)."""
    day = next_working_day(start)
    counted = 1
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end`, both included (0 when end < start)."""
    n, day = 0, start
    while day <= end:
        n += is_working_day(day)
        day += dt.timedelta(days=1)
    return n


def year_known(year: int) -> bool:
    return CalendarYear.objects.filter(year=year).exists()


def seed_from_package(years: list[int] | None = None) -> list[int]:
    """Load the years the chinese-calendar package covers (only those not entered by hand). Returns the
    years loaded. Idempotent."""
    import chinese_calendar

    covered = sorted(
        {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    )
    wanted = [y for y in covered if years is None or y in years]
    manual = set(CalendarYear.objects.filter(source=YearSource.MANUAL).values_list("year", flat=True))
    loaded = []
    with transaction.atomic():
        for year in wanted:
            if year in manual:
                continue
            rows = []
            for table, kind in (
                (chinese_calendar.holidays, DayKind.HOLIDAY),
                (chinese_calendar.workdays, DayKind.WORKDAY),
            ):
                for day, name in table.items():
                    if day.year != year:
                        continue
                    weekend = day.weekday() >= 5
                    # Only the days that break the weekday rule: holidays on weekdays, worked weekends.
                    if (kind == DayKind.HOLIDAY and not weekend) or (kind == DayKind.WORKDAY and weekend):
                        rows.append(CalendarDay(day=day, kind=kind, name=_holiday_name(name)))
            CalendarDay.objects.filter(day__year=year).delete()
            CalendarDay.objects.bulk_create(rows)
            CalendarYear.objects.update_or_create(
                year=year, defaults={"source": YearSource.PACKAGE, "note": ""}
            )
            loaded.append(year)
    _bump()
    return loaded


_NAMES = {
    "new year": "元旦",
    "spring festival": "春节",
    "tomb-sweeping": "清明节",
    "labour day": "劳动节",
    "dragon boat": "端午节",
    "national day": "国庆节",
    "mid-autumn": "中秋节",
}


def _holiday_name(value: Any) -> str:
    text = str(value or "")
    return next((label for key, label in _NAMES.items() if key in text.lower()), text[:30])


def _parse_day(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError("日期格式应为 YYYY-MM-DD。", field="day") from None


def set_day(*, actor: Any, day: Any, kind: str, name: str = "") -> CalendarDay:
    """Mark a day as a holiday or a 调休 working day (system administrator)."""
    require(actor, "dictionary.manage")
    day = _parse_day(day)
    if kind not in DayKind.values:
        raise DomainError("请选择“法定节假日（休）”或“调休工作日（班）”。", field="kind")
    weekend = day.weekday() >= 5
    if kind == DayKind.WORKDAY and not weekend:
        raise DomainError("调休工作日应为周六或周日（周一至周五本来就是工作日）。", field="kind")
    if kind == DayKind.HOLIDAY and weekend:
        raise DomainError("周六、周日本来就是休息日，无需标记为节假日。", field="kind")
    with transaction.atomic():
        existing = CalendarDay.objects.filter(day=day).first()
        before = snapshot(existing, ["day", "kind", "name"]) if existing else None
        row, _ = CalendarDay.objects.update_or_create(
            day=day, defaults={"kind": kind, "name": name.strip()[:30]}
        )
        year, created = CalendarYear.objects.get_or_create(
            year=day.year, defaults={"source": YearSource.MANUAL, "note": "系统管理员录入"}
        )
        if not created and year.source != YearSource.MANUAL:
            year.source = YearSource.MANUAL
            year.note = "数据包安排经系统管理员修改"
            year.save(update_fields=["source", "note", "updated_at"])
        audit_record(
            actor=actor,
            action="workdays.set_day",
            obj=row,
            before=before,
            after=snapshot(row, ["day", "kind", "name"]),
        )
        _bump()  # this process at once; other processes again after the commit (they may read in between)
        transaction.on_commit(_bump)
    return row


def clear_day(*, actor: Any, day: Any) -> None:
    """Let a day follow the weekday rule again."""
    require(actor, "dictionary.manage")
    day = _parse_day(day)
    with transaction.atomic():
        row = CalendarDay.objects.filter(day=day).first()
        if row is None:
            raise NotFound("该日期没有特别安排。")
        audit_record(
            actor=actor, action="workdays.clear_day", obj=row, before=snapshot(row, ["day", "kind", "name"])
        )
        row.delete()
        CalendarYear.objects.filter(year=day.year).update(
            source=YearSource.MANUAL, note="数据包安排经系统管理员修改"
        )
        _bump()  # this process at once; other processes again after the commit (they may read in between)
        transaction.on_commit(_bump)


def mark_year_complete(*, actor: Any, year: int, note: str = "") -> CalendarYear:
    """Record that a year's arrangement has been entered in full (for years the package does not cover)."""
    require(actor, "dictionary.manage")
    if not 2000 <= int(year) <= 2100:
        raise DomainError("年度应在 2000 至 2100 之间。", field="year")
    with transaction.atomic():
        row, _ = CalendarYear.objects.update_or_create(
            year=int(year), defaults={"source": YearSource.MANUAL, "note": (note or "系统管理员录入")[:200]}
        )
        audit_record(
            actor=actor,
            action="workdays.year_complete",
            obj=row,
            after=snapshot(row, ["year", "source", "note"]),
        )
        _bump()  # this process at once; other processes again after the commit (they may read in between)
        transaction.on_commit(_bump)
    return row
