"""Monthly entry (一（二）, 四（三）): entry windows that lock by date, the province reopening one region's
month with a reason, entry by counties and cities of the indicators they report with consistency checks
that need a note, the province publishing a month (as-reported figures frozen) and correcting afterwards
(both figures and the difference kept)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import AccessDenied, Conflict, InvalidInput
from jigai.regions.models import Region, RegionLevel
from jigai.workdays.models import CalendarDay, DayKind
from jigai.workdays.services import add_working_days, is_working_day, next_working_day

from ..models import (
    Aggregation,
    EntryWindow,
    Indicator,
    MonthlyValue,
    ReportedBy,
    Source,
    ValueStatus,
    WindowReopening,
)
from .common import refresh, require_within

VALUE_FIELDS = [
    "indicator",
    "region",
    "year",
    "month",
    "value",
    "source",
    "status",
    "warning",
    "warning_note",
]
WINDOW_FIELDS = ["year", "month", "opens_on", "closes_on", "published_at"]
NOTE_NEEDED = "数据存在异常提示，请填写异常说明后再保存。"


# ------------------------------------------------------------------------------------------- windows
# Entry windows count working days (issue 12 "Days that count", jigai.workdays: 法定节假日 and 调休 working
# Saturdays as data). 四（三） asks for a 统计监测服务机制 with 日常跟踪督导 but names no entry period; the
# department's rule is the one the demo and the form's default follow: a month's figures are entered from the
# first working day of the next month for 10 working days (setting JIGAI_MONITORING_WINDOW_WORKING_DAYS).
WINDOW_WORKING_DAYS = 10
WEEKDAY_NAMES = "一二三四五六日"


def window_working_days() -> int:
    """How many working days a default entry window lasts (setting, default 10)."""
    return int(getattr(settings, "JIGAI_MONITORING_WINDOW_WORKING_DAYS", WINDOW_WORKING_DAYS))


def default_window(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The default window of `year`-`month`'s figures: opens on the first working day of the next month and
    closes on the last of `window_working_days()` working days (e.g. 2025-09 data: 国庆 and 中秋 run to
    10-08, so it opens 10-09 and — with the worked Saturday 10-11 — closes 10-21)."""
    first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    opens_on = next_working_day(first)
    return opens_on, add_working_days(opens_on, window_working_days())


def _previous_working_day(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _day_off(day: datetime.date) -> str:
    """What the day is: the holiday's name, or 周六/周日."""
    row = CalendarDay.objects.filter(day=day, kind=DayKind.HOLIDAY).first()
    if row is not None:
        return row.name or "法定节假日"
    return f"周{WEEKDAY_NAMES[day.weekday()]}"


def working_day_refusal(day: datetime.date, what: str) -> str:
    """Empty when `day` is a working day, else the Chinese message refusing it as a deadline (`what`:
    截止日期, 开放截止日期), naming the working day before and the one after.

    A date typed by hand is refused rather than moved: the next working day after 国庆 or 春节 can be a week
    later, and whether the officer wants the working day before the holiday or the one after is theirs to
    say — the message offers both (民法典第二百零三条 moves a period's last day past a 法定休假日; here the
    officer chooses the date, so they are asked)."""
    if is_working_day(day):
        return ""
    before = _previous_working_day(day - datetime.timedelta(days=1))
    after = next_working_day(day + datetime.timedelta(days=1))
    return (
        f"{what} {day:%Y-%m-%d}（{_day_off(day)}）不是工作日，请改为此前最后一个工作日 "
        f"{before:%Y-%m-%d} 或之后第一个工作日 {after:%Y-%m-%d}。"
    )


def window_set(
    *,
    actor: Any,
    year: int,
    month: int,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
) -> EntryWindow:
    """Open (or change) the entry window of a month's figures. Without `opens_on`: the default window
    (`default_window`); with `opens_on` but no `closes_on`: `window_working_days()` working days from it.
    A closing day that is not a working day is refused (`working_day_refusal`)."""
    require(actor, "monitoring.window")
    if not 1 <= month <= 12:
        raise InvalidInput({"month": ["月份应为 1–12。"]})
    if opens_on is None:
        if closes_on is not None:
            raise InvalidInput({"opens_on": ["已填写截止日期时，请同时填写开始日期。"]})
        opens_on, closes_on = default_window(year, month)
    elif closes_on is None:
        closes_on = add_working_days(opens_on, window_working_days())
    if closes_on < opens_on:
        raise InvalidInput({"closes_on": ["截止日期不能早于开始日期。"]})
    refusal = working_day_refusal(closes_on, "截止日期")
    if refusal:
        raise InvalidInput({"closes_on": [refusal]})
    with transaction.atomic():
        window = EntryWindow.objects.select_for_update().filter(year=year, month=month).first()
        before = snapshot(window, WINDOW_FIELDS) if window else None
        window = window or EntryWindow(year=year, month=month)
        window.opens_on, window.closes_on = opens_on, closes_on
        window.save()
        audit_record(
            actor=actor,
            action="update" if before else "create",
            obj=window,
            before=before,
            after=snapshot(window, WINDOW_FIELDS),
            comment=f"{window.working_days}个工作日",
        )
    return window


def window_reopen(
    *, actor: Any, region: Region, year: int, month: int, reason: str, until: datetime.date
) -> WindowReopening:
    """The province reopens one region's month after its window closed, with a reason, until a working day."""
    require(actor, "monitoring.reopen")
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = ["请填写重新开放的理由。"]
    if until is None or until < timezone.localdate():
        errors["until"] = ["开放截止日期不能早于今天。"]
    elif refusal := working_day_refusal(until, "开放截止日期"):
        errors["until"] = [refusal]
    if errors:
        raise InvalidInput(errors)
    window = EntryWindow.objects.filter(year=year, month=month).first()
    if window is None:
        raise Conflict("该月尚未设置填报窗口。", code="no_window")
    with transaction.atomic():
        reopening = WindowReopening.objects.create(
            year=year, month=month, region=region, reason=reason.strip(), until=until, by=actor
        )
        audit_record(
            actor=actor,
            action="unlock",
            obj=reopening,
            after={"region": region.pk, "year": year, "month": month, "until": until},
            comment=reason.strip(),
        )
    return reopening


@dataclass(frozen=True)
class EntryState:
    open: bool
    reason: str  # why it is closed, or how long it is open
    reopened_until: datetime.date | None = None


def entry_state(*, region: Region, year: int, month: int, today: datetime.date | None = None) -> EntryState:
    """Whether `region` may enter `year`-`month` today: inside the month's window, or reopened for it."""
    today = today or timezone.localdate()
    window = EntryWindow.objects.filter(year=year, month=month).first()
    if window is None:
        return EntryState(False, "该月尚未开放填报。")
    reopened = (
        WindowReopening.objects.filter(year=year, month=month, region=region, until__gte=today)
        .order_by("-until")
        .first()
    )
    if reopened is not None:
        return EntryState(True, f"省工信厅已重新开放至 {reopened.until:%Y-%m-%d}。", reopened.until)
    if window.is_published:
        return EntryState(False, "该月数据已发布，如需修改请联系省工信厅更正。")
    if today < window.opens_on:
        return EntryState(False, f"填报将于 {window.opens_on:%Y-%m-%d} 开始。")
    if window.is_locked_on(today):
        return EntryState(False, f"填报已于 {window.closes_on:%Y-%m-%d} 截止并锁定。")
    return EntryState(True, f"填报截止 {window.closes_on:%Y-%m-%d}。")


# --------------------------------------------------------------------------------------------- entry
def reports_at(indicator: Indicator, region: Region) -> bool:
    """Whether `region` is the level that enters `indicator` (Jiyuan, a city without counties, and the
    statistics zones enter the county-reported ones themselves)."""
    if not indicator.is_enterable or not indicator.active:
        return False
    if indicator.reported_by == ReportedBy.COUNTY:
        if region.level in (RegionLevel.COUNTY, RegionLevel.ZONE):
            return True
        return region.level == RegionLevel.CITY and _without_counties(region)
    return indicator.reported_by == region.level


def _without_counties(region: Region) -> bool:
    """Jiyuan: a city-level unit with no counties under it (asked once per region object)."""
    cached = getattr(region, "_monitoring_without_counties", None)
    if cached is None:
        cached = not region.children.filter(level=RegionLevel.COUNTY).exists()
        region._monitoring_without_counties = cached  # type: ignore[attr-defined]
    return cached


def enterable_indicators(region: Region) -> list[Indicator]:
    """The indicators `region` enters by hand (the imported and computed ones come by other ways)."""
    qs = Indicator.objects.filter(active=True, source=Source.ENTERED).select_related(
        "numerator", "denominator"
    )
    return [i for i in qs if reports_at(i, region)]


def _previous(indicator: Indicator, region: Region, year: int, month: int, back: int) -> Decimal | None:
    m = month - back
    if m < 1:
        return None
    row = MonthlyValue.objects.filter(indicator=indicator, region=region, year=year, month=m).first()
    return row.value if row else None


def consistency_warnings(
    *, indicator: Indicator, region: Region, year: int, month: int, value: Decimal
) -> list[str]:
    """The checks a figure must pass without a note: a year-to-date total below last month's, and a
    month-on-month jump over the indicator's threshold."""
    out: list[str] = []
    prev = _previous(indicator, region, year, month, 1)
    if prev is None:
        return out
    threshold = indicator.jump_threshold
    if indicator.aggregation == Aggregation.SUM:
        if value < prev:
            out.append(f"1–{month}月累计 {value.normalize():f} 低于上月累计 {prev.normalize():f}。")
            return out
        prev2 = _previous(indicator, region, year, month, 2)
        this_month = value - prev
        last_month = prev - (prev2 or Decimal(0)) if month > 2 else prev
        if last_month > 0 and abs(this_month - last_month) / last_month > threshold:
            pct = (this_month - last_month) / last_month * 100
            out.append(
                f"当月 {this_month.normalize():f} 较上月 {last_month.normalize():f} 变化 {pct:.1f}%，"
                f"超过 {threshold * 100:.0f}%。"
            )
    elif prev != 0 and abs(value - prev) / abs(prev) > threshold:
        pct = (value - prev) / abs(prev) * 100
        out.append(
            f"本月 {value.normalize():f} 较上月 {prev.normalize():f} 变化 {pct:.1f}%，"
            f"超过 {threshold * 100:.0f}%。"
        )
    return out


@dataclass
class EntryRow:
    indicator: Indicator
    value: Decimal | None
    note: str = ""


def values_enter(
    *,
    actor: Any,
    region: Region,
    year: int,
    month: int,
    rows: list[EntryRow],
    today: datetime.date | None = None,
) -> list[MonthlyValue]:
    """Enter the month's figures of one region, all or none. A figure with a consistency warning needs a
    note (InvalidInput on `note_<code>` with the warning otherwise)."""
    require(actor, "monitoring.enter")
    require_within(actor, region)
    state = entry_state(region=region, year=year, month=month, today=today)
    if not state.open:
        raise Conflict(state.reason, code="window_closed")
    errors: dict[str, list[str]] = {}
    checked: list[tuple[EntryRow, list[str]]] = []
    for row in rows:
        if row.value is None:
            continue
        ind = row.indicator
        if not reports_at(ind, region) or ind.source == Source.COMPUTED:
            errors[f"value_{ind.code}"] = [f"{region.name}不填报“{ind.name}”。"]
            continue
        if row.value < 0 and ind.aggregation == Aggregation.SUM:
            errors[f"value_{ind.code}"] = ["数值不能为负数。"]
            continue
        warnings = consistency_warnings(indicator=ind, region=region, year=year, month=month, value=row.value)
        if warnings and not row.note.strip():
            errors[f"note_{ind.code}"] = [NOTE_NEEDED, *warnings]
        checked.append((row, warnings))
    if errors:
        raise InvalidInput(errors, code="entry_invalid")
    if not checked:
        raise InvalidInput({"__all__": ["请至少填写一项数值。"]})
    saved: list[MonthlyValue] = []
    with transaction.atomic():
        for row, warnings in checked:
            saved.append(
                _store(
                    actor, row.indicator, region, year, month, row.value, Source.ENTERED, warnings, row.note
                )
            )
        refresh(sorted({r.indicator.code for r, _w in checked}), year, month)
    return saved


def value_enter(
    *,
    actor: Any,
    indicator: Indicator,
    region: Region,
    year: int,
    month: int,
    value: Decimal,
    note: str = "",
    today: datetime.date | None = None,
) -> MonthlyValue:
    """One figure (the API's entry): the same rules as the page's form."""
    try:
        return values_enter(
            actor=actor,
            region=region,
            year=year,
            month=month,
            rows=[EntryRow(indicator, value, note)],
            today=today,
        )[0]
    except InvalidInput as e:
        # one figure: name the fields "value" and "note"
        fixed = {
            ("note" if k.startswith("note_") else "value" if k.startswith("value_") else k): v
            for k, v in e.errors.items()
        }
        raise InvalidInput(fixed, code=e.code) from None


def _store(
    actor: Any,
    indicator: Indicator,
    region: Region,
    year: int,
    month: int,
    value: Decimal,
    source: str,
    warnings: list[str],
    note: str,
) -> MonthlyValue:
    obj = (
        MonthlyValue.objects.select_for_update()
        .filter(indicator=indicator, region=region, year=year, month=month)
        .first()
    )
    if obj is not None and obj.status == ValueStatus.PUBLISHED:
        raise Conflict(f"“{indicator.name}”该月数据已发布，只能由省工信厅更正。", code="published")
    before = snapshot(obj, VALUE_FIELDS) if obj else None
    obj = obj or MonthlyValue(indicator=indicator, region=region, year=year, month=month)
    obj.value = value
    obj.source = source
    obj.status = ValueStatus.REPORTED
    obj.warning = "；".join(warnings)[:300]
    obj.warning_note = note.strip() if warnings else ""
    obj.entered_by = actor
    obj.save()
    audit_record(
        actor=actor,
        action="update" if before else "create",
        obj=obj,
        before=before,
        after=snapshot(obj, VALUE_FIELDS),
    )
    return obj


# ------------------------------------------------------------------------------- publish and correct
def month_publish(*, actor: Any, year: int, month: int) -> int:
    """Publish a month: every figure of it is frozen as reported (as_reported); later changes are
    corrections by the province. Returns the number of figures published."""
    require(actor, "monitoring.publish")
    with transaction.atomic():
        window = EntryWindow.objects.select_for_update().filter(year=year, month=month).first()
        if window is None:
            raise Conflict("该月尚未设置填报窗口。", code="no_window")
        if window.is_published:
            raise Conflict("该月数据已发布。", code="already_published")
        before = snapshot(window, WINDOW_FIELDS)
        window.published_at, window.published_by = timezone.now(), actor
        window.save()
        values = MonthlyValue.objects.filter(year=year, month=month).exclude(status=ValueStatus.PUBLISHED)
        rows = list(values.only("pk", "value"))
        for v in rows:
            v.as_reported = v.value
            v.status = ValueStatus.PUBLISHED
        MonthlyValue.objects.bulk_update(rows, ["as_reported", "status"], batch_size=2000)
        audit_record(
            actor=actor,
            action="publish",
            obj=window,
            before=before,
            after=snapshot(window, WINDOW_FIELDS),
            comment=f"发布 {len(rows)} 项数据",
        )
    return len(rows)


def value_correct(*, actor: Any, value: MonthlyValue, new_value: Decimal, reason: str) -> MonthlyValue:
    """Correct a published figure: the as-reported figure stays, the correction (who, when, why) beside it."""
    require(actor, "monitoring.correct")
    if not (reason or "").strip():
        raise InvalidInput({"reason": ["请填写更正理由。"]})
    if new_value is None:
        raise InvalidInput({"new_value": ["请填写更正后的数值。"]})
    with transaction.atomic():
        obj = MonthlyValue.objects.select_for_update().get(pk=value.pk)
        if obj.status != ValueStatus.PUBLISHED:
            raise Conflict("只有已发布的数据需要更正；未发布的数据由填报单位直接修改。", code="not_published")
        if obj.indicator.source == Source.COMPUTED:
            raise AccessDenied("系统计算的数据随项目库自动更新，不能手工更正。", code="computed")
        before = snapshot(obj, [*VALUE_FIELDS, "as_reported", "corrected_reason"])
        obj.value = new_value
        obj.corrected_reason, obj.corrected_by, obj.corrected_at = reason.strip(), actor, timezone.now()
        obj.save()
        audit_record(
            actor=actor,
            action="update",
            obj=obj,
            before=before,
            after=snapshot(obj, [*VALUE_FIELDS, "as_reported", "corrected_reason"]),
            comment=f"更正：{reason.strip()}",
        )
        refresh([obj.indicator.code], obj.year, obj.month)
    return obj
