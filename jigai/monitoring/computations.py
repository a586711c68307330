"""Figures Jigai computes from its own records (the pages say "系统计算" with the rule beside the value):
investment completed by category from the project library's monthly progress (三（一）), counts of new
platforms, products, titles and qualifications (二、三（四）), awards granted and paid (三).

`COMPUTATIONS[key]` is a `Computation`: `by_region(year, month) -> {region code: Decimal}` gives the
year-to-date figure (1 January … the month's last day) of every region that has one, filed at the region
of the enterprise (its county as a rule) — the rollup sums them up the tree; calling it
`COMPUTATIONS[key](year, month, region)` answers one region and everything below it. Money is converted
from yuan to 万元, the indicators' unit.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from jigai.funding.models import Application, Payment, PaymentStatus
from jigai.registry.models import (
    LibraryStatus,
    Platform,
    ProductRecognition,
    ProgressReport,
    Project,
    ProjectCategory,
    Qualification,
    QualificationKind,
    QualificationStatus,
    Title,
)

WAN = Decimal(10000)


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def year_span(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """1 January … the last day of `month`: the year-to-date window."""
    return datetime.date(year, 1, 1), month_end(year, month)


@dataclass(frozen=True)
class Computation:
    label: str  # the rule in words, shown beside a computed figure
    query: Callable[[int, int], QuerySet]  # (year, month) → rows with "code" and "v"
    money: bool = False
    # For a sum of monthly amounts: (year, last month) → rows with "code", "m" (the month) and "v" (that
    # month's own amount), so the year-to-date figures of every month come from one query (by_months).
    monthly: Callable[[int, int], QuerySet] | None = None

    def _convert(self, value: Any) -> Decimal:
        value = Decimal(value or 0)
        return (value / WAN).quantize(Decimal("0.0001")) if self.money else value

    def by_months(
        self, year: int, months: Iterable[int], regions: Iterable[str] | None = None
    ) -> dict[int, dict[str, Decimal]]:
        """{month: by_region(year, month, regions)} for the months asked — one query per month, or one in
        all when the computation sums monthly amounts (the same exact sums, added up month by month)."""
        months = sorted(set(months))
        if not months:
            return {}
        if self.monthly is None:
            return {m: self.by_region(year, m, regions) for m in months}
        qs = self.monthly(year, months[-1])
        if regions is not None:
            qs = qs.filter(code__in=list(regions))
        own: dict[int, dict[str, Decimal]] = {}
        for row in qs:
            own.setdefault(row["m"], {})[row["code"]] = Decimal(row["v"] or 0)
        out: dict[int, dict[str, Decimal]] = {}
        running: dict[str, Decimal] = {}
        for m in range(1, months[-1] + 1):
            for code, v in own.get(m, {}).items():
                running[code] = running.get(code, Decimal(0)) + v
            if m in months:
                out[m] = {code: self._convert(v) for code, v in running.items()}
        return out

    def by_region(self, year: int, month: int, regions: Iterable[str] | None = None) -> dict[str, Decimal]:
        """{region code: year-to-date figure}; `regions` limits it to the figures filed at those regions
        (a refresh after one record changed reads one county's rows, not the province's)."""
        out: dict[str, Decimal] = {}
        qs = self.query(year, month)
        if regions is not None:
            qs = qs.filter(code__in=list(regions))
        for row in qs:
            out[row["code"]] = self._convert(row["v"])
        return out

    def __call__(self, year: int, month: int, region: Any) -> Decimal:
        """The figure of `region` and everything below it (the region's path is a prefix of theirs)."""
        from jigai.regions.models import Region

        codes = set(Region.objects.filter(path__startswith=region.path).values_list("code", flat=True))
        return sum((v for c, v in self.by_region(year, month).items() if c in codes), Decimal(0))


def _investment_rows(category: str | None, year: int, month: int) -> QuerySet:
    start, _ = year_span(year, month)
    qs = ProgressReport.objects.filter(
        project__library_status=LibraryStatus.IN_LIBRARY,
        month__gte=start,
        month__lte=datetime.date(year, month, 1),
    )
    if category:
        qs = qs.filter(project__category=category)
    return qs


def _investment(category: str | None) -> Callable[[int, int], QuerySet]:
    def query(year: int, month: int) -> QuerySet:
        return (
            _investment_rows(category, year, month)
            .values(code=F("project__enterprise__region_id"))
            .annotate(v=Sum("investment_completed"))
        )

    return query


def _investment_monthly(category: str | None) -> Callable[[int, int], QuerySet]:
    def query(year: int, month: int) -> QuerySet:
        return (
            _investment_rows(category, year, month)
            .values(code=F("project__enterprise__region_id"), m=ExtractMonth("month"))
            .annotate(v=Sum("investment_completed"))
        )

    return query


def _library(label: str, category: str | None) -> Computation:
    return Computation(label, _investment(category), money=True, monthly=_investment_monthly(category))


def _qualifications(kind: str, levels: tuple[str, ...] = ()) -> Callable[[int, int], QuerySet]:
    """New this year: verified qualifications whose validity starts in the year-to-date window."""

    def query(year: int, month: int) -> QuerySet:
        start, end = year_span(year, month)
        qs = Qualification.objects.filter(
            kind=kind, status=QualificationStatus.VERIFIED, valid_from__gte=start, valid_from__lte=end
        )
        if levels:
            qs = qs.filter(level__in=levels)
        return qs.values(code=F("enterprise__region_id")).annotate(v=Count("id"))

    return query


def _titles(kinds: tuple[str, ...] = ()) -> Callable[[int, int], QuerySet]:
    def query(year: int, month: int) -> QuerySet:
        start, end = year_span(year, month)
        qs = Title.objects.filter(awarded_on__gte=start, awarded_on__lte=end)
        if kinds:
            qs = qs.filter(kind__in=kinds)
        return qs.values(code=F("enterprise__region_id")).annotate(v=Count("id"))

    return query


def _new_platforms(year: int, month: int) -> QuerySet:
    start, end = year_span(year, month)
    qs = Platform.objects.filter(listed_on__gte=start, listed_on__lte=end)
    return qs.values(code=F("enterprise__region_id")).annotate(v=Count("id"))


def _new_products(year: int, month: int) -> QuerySet:
    start, end = year_span(year, month)
    qs = ProductRecognition.objects.filter(recognized_on__gte=start, recognized_on__lte=end)
    return qs.values(code=F("product__enterprise__region_id")).annotate(v=Count("product_id", distinct=True))


def _machine_replacement(year: int, month: int) -> QuerySet:
    start, end = year_span(year, month)
    qs = Project.objects.filter(
        is_machine_replacement=True,
        library_status=LibraryStatus.IN_LIBRARY,
        in_library_at__date__gte=start,
        in_library_at__date__lte=end,
    )
    return qs.values(code=F("enterprise__region_id")).annotate(v=Count("id"))


def _awards_granted(year: int, month: int) -> QuerySet:
    start, end = year_span(year, month)
    qs = Application.objects.filter(
        granted_amount__gt=0, decided_at__date__gte=start, decided_at__date__lte=end
    )
    return qs.values(code=F("enterprise__region_id")).annotate(v=Sum("granted_amount"))


def _awards_paid(year: int, month: int) -> QuerySet:
    start, end = year_span(year, month)
    qs = Payment.objects.filter(status=PaymentStatus.CONFIRMED, paid_on__gte=start, paid_on__lte=end)
    return qs.values(code=F("stage__application__enterprise__region_id")).annotate(v=Sum("amount"))


COMPUTATIONS: dict[str, Computation] = {
    "lib_investment": _library("入库项目月度进展“本月完成投资”1–N月合计", None),
    "lib_investment_high_end": _library("高端化入库项目月度完成投资1–N月合计", ProjectCategory.HIGH_END),
    "lib_investment_intelligent": _library(
        "智能化入库项目月度完成投资1–N月合计", ProjectCategory.INTELLIGENT
    ),
    "lib_investment_green": _library("绿色化入库项目月度完成投资1–N月合计", ProjectCategory.GREEN),
    "lib_investment_service": _library("服务化入库项目月度完成投资1–N月合计", ProjectCategory.SERVICE),
    "new_platforms": Computation("本年列入名单或认定的平台数（平台库）", _new_platforms),
    "new_products": Computation("本年获首台（套）、首版次认定的产品数（产品库）", _new_products),
    "verified_titles": Computation("本年认定的试点示范称号数（称号库）", _titles()),
    "title_green_factory": Computation("本年认定的国家级绿色工厂（称号库）", _titles(("green_factory",))),
    "qualification_national_little_giant": Computation(
        "本年起有效、已核验的国家级专精特新“小巨人”资质数",
        _qualifications(QualificationKind.NATIONAL_LITTLE_GIANT),
    ),
    "qualification_provincial_specialized": Computation(
        "本年起有效、已核验的省级专精特新中小企业资质数",
        _qualifications(QualificationKind.PROVINCIAL_SPECIALIZED),
    ),
    "qualification_service_manufacturing": Computation(
        "本年起有效、已核验的服务型制造示范企业资质数",
        _qualifications(QualificationKind.SERVICE_MANUFACTURING),
    ),
    "qualification_industrial_design_center": Computation(
        "本年起有效、已核验的省级以上工业设计中心资质数",
        _qualifications(QualificationKind.INDUSTRIAL_DESIGN_CENTER, ("provincial", "national")),
    ),
    "machine_replacement": Computation("本年入库的“机器换人”示范项目数（项目库）", _machine_replacement),
    "awards_granted": Computation("本年决策安排的专项资金金额（申报库）", _awards_granted, money=True),
    "awards_paid": Computation("本年复核确认的拨付金额（拨付记录）", _awards_paid, money=True),
}
