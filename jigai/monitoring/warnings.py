"""Early warning and automatic supervision (预警与督办, 四（三）“加强督查督办”).

Every region × indicator with a year target is green, amber or red by where its year-to-date figure stands
against the straight path to the year-end target (MonthlyRollup.expected: target × month / 12 for sum
indicators, the target itself for a level). The bands are data (WarningThreshold, the province edits
them). The statuses are computed when the rollups refresh (services.rollups calls refresh_warnings), never
when a page is drawn; a city red two months running gets a supervision ticket, opened through
jigai.supervision.services.open_ticket (idempotent by key), to the city, with the gap and a deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import InvalidInput, NotFound

from .models import Indicator, MonthlyRollup
from .models.choices import Direction
from .models.warnings import DEFAULT_AMBER_FROM, DEFAULT_GREEN_FROM, Level, WarningStatus, WarningThreshold

# A ticket opened for a red streak asks for a written answer within this many days (working days come in
# a later issue).
TICKET_DAYS = 15
TICKET_KIND = "warning"
LEVELS_WARNED = ("city", "county", "province")
Q4 = Decimal("0.0001")


@dataclass(frozen=True)
class Bands:
    green_from: Decimal
    amber_from: Decimal


def ticket_key(year: int, indicator_code: str, city_code: str) -> str:
    """One open ticket per city, indicator and year: a streak that goes on reuses it (open_ticket returns
    the open one); a problem that comes back after the province closed it opens a new one."""
    return f"warning:{year}:{indicator_code}:{city_code}"


# ------------------------------------------------------------------------------------------ the rule


def classify(
    *, actual: Decimal, expected: Decimal, direction: str, bands: Bands
) -> tuple[str, Decimal | None, Decimal]:
    """(level, progress, gap) of a year-to-date figure against its path. progress = actual / expected
    (expected / actual when lower is better); gap = how far behind the path, in the indicator's unit (0
    when on or ahead of it). Nothing expected yet (path ≤ 0) is on track."""
    if direction == Direction.DOWN:
        gap = max(actual - expected, Decimal(0))
        progress = (expected / actual) if actual > 0 else None
    else:
        gap = max(expected - actual, Decimal(0))
        progress = (actual / expected) if expected > 0 else None
    if progress is None:
        return Level.GREEN, None, gap
    progress = progress.quantize(Q4, rounding=ROUND_HALF_UP)
    if progress >= bands.green_from:
        return Level.GREEN, progress, gap
    if progress >= bands.amber_from:
        return Level.AMBER, progress, gap
    return Level.RED, progress, gap


COUNT_UNITS = ("个", "家", "项")


def path_of(indicator: Indicator, expected: Decimal) -> Decimal:
    """The path a region is held to: for a count (个, 家, 项) only the whole units due so far — a target of
    one green park a year does not make a city red in April for not having a third of one."""
    if indicator.unit in COUNT_UNITS:
        return expected.to_integral_value(rounding=ROUND_FLOOR)
    return expected


def default_bands() -> Bands:
    row = WarningThreshold.objects.filter(indicator__isnull=True).order_by("pk").first()
    if row is None:
        return Bands(DEFAULT_GREEN_FROM, DEFAULT_AMBER_FROM)
    return Bands(row.green_from, row.amber_from)


def bands_by_indicator() -> tuple[Bands, dict[int, Bands]]:
    """The default bands and each indicator's own, where the province set one."""
    own = {
        t.indicator_id: Bands(t.green_from, t.amber_from)
        for t in WarningThreshold.objects.filter(indicator__isnull=False)
    }
    return default_bands(), own


# ------------------------------------------------------------------------------------------ refreshing


def _indicator_filter(indicator_codes: Iterable[str] | None) -> Q:
    codes = [c for c in (indicator_codes or []) if c]
    return Q(indicator__code__in=codes) if codes else Q()


@transaction.atomic
def refresh_warnings(
    *, year: int, month: int, indicator_codes: Iterable[str] | None = None, escalate: bool = True
) -> int:
    """Recompute the warning of every region with a target for (year, month), keep the red streaks of the
    later months of the year right, and (escalate) open a ticket for each city red two months running.
    Called by the rollup refresh; returns the number of statuses written. Missing data is no error: a
    region without a target, a path or a figure simply has no warning."""
    codes = list(indicator_codes or [])
    default, own = bands_by_indicator()
    rollups = (
        MonthlyRollup.objects.filter(_indicator_filter(codes), year=year, month=month, has_data=True)
        .filter(
            region_level__in=LEVELS_WARNED, target__isnull=False, expected__isnull=False, actual__isnull=False
        )
        .select_related("indicator")
        .only(
            "indicator__id",
            "indicator__direction",
            "indicator__unit",
            "region_id",
            "region_level",
            "actual",
            "expected",
            "target",
        )
    )
    existing = {
        (w.indicator_id, w.region_id): w
        for w in WarningStatus.objects.filter(_indicator_filter(codes), year=year, month=month).only(
            "indicator_id", "region_id", "ticket_id"
        )
    }
    classified = []
    for r in rollups:
        level, progress, gap = classify(
            actual=r.actual,
            expected=path_of(r.indicator, r.expected),
            direction=r.indicator.direction,
            bands=own.get(r.indicator_id, default),
        )
        classified.append((r, level, progress, gap))
    red = [(r.indicator_id, r.region_id) for r, level, _, _ in classified if level == Level.RED]
    before = _red_months_before(year=year, month=month, pairs=red, default=default, own=own)
    rows = []
    for r, level, progress, gap in classified:
        streak = before.get((r.indicator_id, r.region_id), 0) + 1 if level == Level.RED else 0
        old = existing.get((r.indicator_id, r.region_id))
        rows.append(
            WarningStatus(
                year=year,
                month=month,
                indicator_id=r.indicator_id,
                region_id=r.region_id,
                region_level=r.region_level,
                level=level,
                actual=r.actual,
                expected=path_of(r.indicator, r.expected),
                target=r.target,
                progress=progress,
                gap=gap,
                red_streak=streak,
                ticket_id=old.ticket_id if old is not None and streak else None,
            )
        )
    WarningStatus.objects.filter(_indicator_filter(codes), year=year, month=month).delete()
    WarningStatus.objects.bulk_create(rows, batch_size=2000)
    _restreak_after(year=year, month=month, codes=codes)
    if escalate and month == _latest_month_of(year):
        escalate_red_streaks(year=year, month=month, indicator_codes=codes)
    return len(rows)


def _latest_month_of(year: int) -> int | None:
    """Only the month that is the current state opens tickets: refreshing a whole year (a target changed)
    must not open tickets for streaks long over."""
    return MonthlyRollup.objects.filter(
        year=year, has_data=True, region_level="city", target__isnull=False, actual__isnull=False
    ).aggregate(m=Max("month"))["m"]


def _red_months_before(
    *, year: int, month: int, pairs: list[tuple[int, str]], default: Bands, own: dict[int, Bands]
) -> dict[tuple[int, str], int]:
    """How many months right before `month` (same year) each (indicator, region) pair was red, read from
    the rollups themselves: right whatever order the months are refreshed in (a target published today
    makes the earlier months red too)."""
    if not pairs or month <= 1:
        return {}
    earlier = (
        MonthlyRollup.objects.filter(
            year=year,
            month__lt=month,
            indicator_id__in={i for i, _ in pairs},
            region_id__in={c for _, c in pairs},
            has_data=True,
            target__isnull=False,
            expected__isnull=False,
            actual__isnull=False,
        )
        .select_related("indicator")
        .only(
            "indicator__direction",
            "indicator__unit",
            "indicator_id",
            "region_id",
            "month",
            "actual",
            "expected",
        )
    )
    red_in: dict[tuple[int, str], set[int]] = {}
    for r in earlier:
        level, _, _ = classify(
            actual=r.actual,
            expected=path_of(r.indicator, r.expected),
            direction=r.indicator.direction,
            bands=own.get(r.indicator_id, default),
        )
        if level == Level.RED:
            red_in.setdefault((r.indicator_id, r.region_id), set()).add(r.month)
    result = {}
    for pair in pairs:
        months, n = red_in.get(pair, set()), 0
        while month - 1 - n in months:
            n += 1
        result[pair] = n
    return result


def _restreak_after(*, year: int, month: int, codes: list[str]) -> None:
    """A month refreshed again (a correction) changes the streaks of the months after it in the year."""
    later = list(
        WarningStatus.objects.filter(_indicator_filter(codes), year=year, month__gte=month)
        .order_by("month")
        .only("pk", "indicator_id", "region_id", "month", "level", "red_streak")
    )
    streak: dict[tuple[int, str], tuple[int, int]] = {}  # (indicator, region) → (month, streak)
    changed = []
    for w in later:
        key = (w.indicator_id, w.region_id)
        if w.month == month:
            streak[key] = (month, w.red_streak)
            continue
        last_month, last = streak.get(key, (0, 0))
        run = (last + 1 if last_month == w.month - 1 else 1) if w.level == Level.RED else 0
        streak[key] = (w.month, run)
        if run != w.red_streak:
            w.red_streak = run
            changed.append(w)
    if changed:
        WarningStatus.objects.bulk_update(changed, ["red_streak"], batch_size=2000)


def escalate_red_streaks(*, year: int, month: int, indicator_codes: Iterable[str] | None = None) -> list[Any]:
    """Open (or find, the key is idempotent) a supervision ticket for every city red two months running at
    (year, month) that has none yet; the ticket's id is kept on the month's warning row."""
    from jigai.supervision.services import open_ticket

    due = (
        WarningStatus.objects.filter(
            _indicator_filter(indicator_codes),
            year=year,
            month=month,
            region_level="city",
            level=Level.RED,
            red_streak__gte=2,
            ticket_id__isnull=True,
        )
        .select_related("indicator", "region")
        .order_by("region_id", "indicator__sort_order")
    )
    deadline = timezone.localdate() + dt.timedelta(days=TICKET_DAYS)
    tickets = []
    for w in due:
        ticket = open_ticket(
            key=ticket_key(year, w.indicator.code, w.region_id),
            kind=TICKET_KIND,
            region_code=w.region_id,
            subject=f"{w.region.name}{w.indicator.name}连续{w.red_streak}个月红色预警",
            detail=gap_text(w),
            deadline=deadline,
            opened_by=None,
            indicator_code=w.indicator.code,
        )
        w.ticket_id = ticket.pk
        w.save(update_fields=["ticket_id"])
        tickets.append(ticket)
    return tickets


def gap_text(w: WarningStatus) -> str:
    """The ticket's text: the figures, the gap and what is asked (四（三）督查督办)."""
    unit = w.indicator.unit
    share = f"，完成序时进度的{w.progress * 100:.1f}%" if w.progress is not None else ""
    return (
        f"{w.year}年1—{w.month}月{w.region.name}{w.indicator.name}累计{_num(w.actual)}{unit}，"
        f"按年度目标{_num(w.target)}{unit}的序时进度应达{_num(w.expected)}{unit}{share}，"
        f"差距{_num(w.gap)}{unit}，已连续{w.red_streak}个月处于红色预警。"
        f"依据豫政办〔2022〕8号四（三）“加强督查督办”，请分析原因、制定整改措施并按期答复。"
    )


def _num(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def refresh_warnings_all(*, escalate_latest: bool = True) -> int:
    """Every (year, month) that has rollups, in order (the demo and bulk refreshes). Only the latest month
    with warnings opens tickets: a backfill of past years must not flood the cities with old supervision
    (and a month with figures but no targets, e.g. the library's own for the current month, is not it)."""
    months = list(
        MonthlyRollup.objects.filter(has_data=True)
        .values_list("year", "month")
        .distinct()
        .order_by("year", "month")
    )
    total = 0
    for year, month in months:
        total += refresh_warnings(year=year, month=month, escalate=False)
    latest = latest_month()
    if escalate_latest and latest is not None:
        escalate_red_streaks(year=latest[0], month=latest[1])
    return total


def latest_month() -> tuple[int, int] | None:
    """The latest (year, month) with warnings."""
    year = WarningStatus.objects.aggregate(y=Max("year"))["y"]
    if year is None:
        return None
    month = WarningStatus.objects.filter(year=year).aggregate(m=Max("month"))["m"]
    return int(year), int(month)


# ------------------------------------------------------------------------------------------ thresholds


def threshold_set(
    *,
    actor: Any,
    indicator: Indicator | None,
    green_from: Decimal,
    amber_from: Decimal,
    note: str = "",
) -> WarningThreshold:
    """The province sets the bands (default row when `indicator` is None). Audited; the new bands apply
    from the next refresh (the latest month is refreshed at once so the lists agree with the bands)."""
    require(actor, "target.manage")
    errors: dict[str, list[str]] = {}
    for name, value in (("green_from", green_from), ("amber_from", amber_from)):
        if value is None or not (Decimal(0) <= value <= Decimal(2)):
            errors[name] = ["请输入 0 到 2 之间的比例（如 0.95 表示序时进度的 95%）。"]
    if not errors and amber_from > green_from:
        errors["amber_from"] = ["黄色下限不能高于绿色下限。"]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        row = WarningThreshold.objects.select_for_update().filter(indicator=indicator).order_by("pk").first()
        before = snapshot(row) if row else None
        if row is None:
            row = WarningThreshold(indicator=indicator)
        row.green_from, row.amber_from, row.note, row.updated_by = green_from, amber_from, note[:200], actor
        row.save()
        audit_record(
            actor=actor,
            action="monitoring.warning_threshold.set",
            obj=row,
            before=before,
            after=snapshot(row, ["indicator", "green_from", "amber_from", "note"]),
        )
        latest = latest_month()
        if latest is not None:
            refresh_warnings(
                year=latest[0],
                month=latest[1],
                indicator_codes=[indicator.code] if indicator is not None else None,
                escalate=False,
            )
    return row


def threshold_delete(*, actor: Any, indicator: Indicator) -> None:
    """The indicator goes back to the default bands."""
    require(actor, "target.manage")
    with transaction.atomic():
        row = WarningThreshold.objects.select_for_update().filter(indicator=indicator).first()
        if row is None:
            raise NotFound("该指标没有单独设置的预警阈值。")
        audit_record(actor=actor, action="monitoring.warning_threshold.delete", obj=row, before=snapshot(row))
        row.delete()
        latest = latest_month()
        if latest is not None:
            refresh_warnings(
                year=latest[0], month=latest[1], indicator_codes=[indicator.code], escalate=False
            )
