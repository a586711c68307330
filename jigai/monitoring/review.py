"""Year-end review (年度目标完成情况考核, 四（三）“将各地目标完成情况作为财政奖补的重要参考依据”): each
city's completion of every indicator it has a target for, a composite completion and the ranking that the
fiscal rewards refer to; exported to Excel and PDF.

Read from the precomputed rollups of the year's last month with figures (December once the year is
complete; before that the page says the figures are provisional). The composite is the plain mean of the
indicators' completion, each capped at REVIEW_CAP so one indicator far over target cannot hide others
missed; lower-is-better indicators count target / actual.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Max
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from jigai.accounts.permissions import require
from jigai.accounts.scope import is_province_level
from jigai.core.excel import DECIMAL, INT, TEXT, Column, Spec, export_rows
from jigai.regions.models import Region, RegionLevel
from jigai.web.pdf import paragraph

from .models import Indicator, MonthlyRollup
from .models.choices import Direction
from .models.warnings import LEVEL_SHORT, WarningStatus

REVIEW_CAP = Decimal("1.2")  # a completion counts at most 120 % in the composite
HUNDRED = Decimal(100)
CLAUSE = "四（三）"


@dataclass
class ReviewCell:
    indicator: Indicator
    actual: Decimal | None
    target: Decimal
    completion: Decimal | None  # percent, direction applied
    level: str = ""

    @property
    def done(self) -> bool:
        return self.completion is not None and self.completion >= HUNDRED

    @property
    def level_label(self) -> str:
        return LEVEL_SHORT.get(self.level, "")


@dataclass
class ReviewRow:
    region: Region
    cells: dict[int, ReviewCell] = field(default_factory=dict)
    score: Decimal | None = None  # composite completion, percent
    rank: int | None = None

    @property
    def n_targets(self) -> int:
        return len(self.cells)

    @property
    def n_done(self) -> int:
        return sum(1 for c in self.cells.values() if c.done)

    def cell_list(self, indicators: list[Indicator]) -> list[ReviewCell | None]:
        return [self.cells.get(i.pk) for i in indicators]


@dataclass
class Review:
    year: int
    month: int | None
    years: list[int]
    indicators: list[Indicator]
    rows: list[ReviewRow]
    level_label: str

    @property
    def final(self) -> bool:
        return self.month == 12

    @property
    def period_label(self) -> str:
        if self.month is None:
            return f"{self.year}年（暂无数据）"
        return (
            f"{self.year}年全年"
            if self.final
            else f"{self.year}年1—{self.month}月（年度未结束，数据为阶段性）"
        )


def completion_of(indicator: Indicator, actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Completion in percent: actual / target, or target / actual when lower is better."""
    if actual is None or target is None:
        return None
    if indicator.direction == Direction.DOWN:
        ratio = (target / actual) if actual > 0 else None
    else:
        ratio = (actual / target) if target != 0 else None
    return None if ratio is None else (ratio * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _level_for(actor: Any) -> tuple[str, str]:
    if is_province_level(actor):
        return RegionLevel.CITY, "各市（含济源示范区）"
    if getattr(actor, "role", "") == "city":
        return RegionLevel.COUNTY, "各县（市、区）"
    return RegionLevel.COUNTY, "本县（市、区）"


def year_review(*, actor: Any, year: Any = None) -> Review:
    """The review of `year` (default: the latest year with figures) for the regions one level below the
    actor (the province: the cities; a city: its counties; a county: itself), scoped by region."""
    require(actor, "dashboard.view")
    level, label = _level_for(actor)
    scoped = MonthlyRollup.objects.restrict(actor).filter(region_level=level)
    # order_by() first: the model's default ordering would otherwise join the DISTINCT (110 ms → 5 ms)
    years = list(scoped.filter(has_data=True).order_by("-year").values_list("year", flat=True).distinct())
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = years[0] if years else timezone.localdate().year
    month = scoped.filter(year=y, has_data=True).aggregate(m=Max("month"))["m"]
    rows_by_region: dict[str, ReviewRow] = {}
    indicators: dict[int, Indicator] = {}
    if month is not None:
        rollups = (
            scoped.filter(year=y, month=month, target__isnull=False, indicator__active=True)
            .select_related("indicator", "region")
            .order_by("region_id", "indicator__sort_order")
        )
        levels = dict(
            ((w.region_id, w.indicator_id), w.level)
            for w in WarningStatus.objects.restrict(actor)
            .filter(year=y, month=month, region_level=level)
            .only("region_id", "indicator_id", "level")
        )
        for r in rollups:
            indicators[r.indicator_id] = r.indicator
            row = rows_by_region.setdefault(r.region_id, ReviewRow(region=r.region))
            row.cells[r.indicator_id] = ReviewCell(
                indicator=r.indicator,
                actual=r.actual,
                target=r.target,
                completion=completion_of(r.indicator, r.actual, r.target),
                level=levels.get((r.region_id, r.indicator_id), ""),
            )
    rows = list(rows_by_region.values())
    for row in rows:
        row.score = composite(row)
    ranked = sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.region.code))
    for n, row in enumerate(ranked, start=1):
        row.rank = n if row.score is not None else None
    return Review(
        year=y,
        month=month,
        years=years,
        indicators=sorted(indicators.values(), key=lambda i: (i.sort_order, i.code)),
        rows=ranked,
        level_label=label,
    )


def composite(row: ReviewRow) -> Decimal | None:
    """The mean completion of the row's indicators, each capped at REVIEW_CAP (a missing figure counts 0)."""
    if not row.cells:
        return None
    cap = REVIEW_CAP * HUNDRED
    total = sum((min(c.completion or Decimal(0), cap) for c in row.cells.values()), Decimal(0))
    return (total / len(row.cells)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------------ exports

REVIEW_SPEC = Spec(
    "年度目标完成情况",
    [
        Column("rank", "综合排名", INT, width=8),
        Column("region", "地区", TEXT, width=18),
        Column("score", "综合完成率（%）", DECIMAL),
        Column("indicator", "指标", TEXT, width=30),
        Column("clause", "政策条款", TEXT, width=10),
        Column("unit", "单位", TEXT, width=8),
        Column("target", "年度目标", DECIMAL),
        Column("actual", "实际完成", DECIMAL),
        Column("completion", "完成率（%）", DECIMAL),
        Column("done", "是否完成", TEXT, width=8),
        Column("level", "预警", TEXT, width=6),
    ],
)


def _flat(review: Review) -> list[dict[str, Any]]:
    out = []
    for row in review.rows:
        for i in review.indicators:
            c = row.cells.get(i.pk)
            if c is None:
                continue
            out.append(
                {
                    "rank": row.rank,
                    "region": row.region.name,
                    "score": row.score,
                    "indicator": i.name,
                    "clause": i.clause,
                    "unit": i.unit,
                    "target": c.target,
                    "actual": c.actual,
                    "completion": c.completion,
                    "done": "是" if c.done else "否",
                    "level": c.level_label,
                }
            )
    return out


def review_xlsx(review: Review) -> FileResponse:
    return export_rows(REVIEW_SPEC, _flat(review), filename=f"{review.year}年度目标完成情况考核.xlsx")


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def review_pdf(review: Review) -> HttpResponse:
    """The review as an A4 landscape PDF: the ranking, then each region's indicators (CJK font built into
    reportlab, every text through jigai.web.pdf.paragraph)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title_style = ParagraphStyle("t", fontName=font, fontSize=15, leading=20, alignment=1)
    body_style = ParagraphStyle("b", fontName=font, fontSize=9, leading=12)
    cell_style = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=11)
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 8.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    summary: list[list[Any]] = [
        [paragraph(h, cell_style) for h in ("排名", "地区", "考核指标数", "完成指标数", "综合完成率（%）")]
    ]
    for row in review.rows:
        summary.append(
            [
                str(row.rank or "—"),
                paragraph(row.region.name, cell_style),
                str(row.n_targets),
                str(row.n_done),
                _fmt(row.score),
            ]
        )
    detail: list[list[Any]] = [
        [
            paragraph(h, cell_style)
            for h in ("地区", "指标", "条款", "单位", "年度目标", "实际完成", "完成率（%）", "是否完成")
        ]
    ]
    for r in _flat(review):
        detail.append(
            [
                paragraph(r["region"], cell_style),
                paragraph(r["indicator"], cell_style),
                paragraph(r["clause"], cell_style),
                paragraph(r["unit"], cell_style),
                _fmt(r["target"]),
                _fmt(r["actual"]),
                _fmt(r["completion"]),
                r["done"],
            ]
        )
    t1 = Table(summary, repeatRows=1, colWidths=[15 * mm, 50 * mm, 30 * mm, 30 * mm, 35 * mm])
    t1.setStyle(style)
    t2 = Table(
        detail,
        repeatRows=1,
        colWidths=[35 * mm, 70 * mm, 22 * mm, 18 * mm, 32 * mm, 32 * mm, 28 * mm, 20 * mm],
    )
    t2.setStyle(style)
    buf = io.BytesIO()
    title = f"{review.year}年度技术改造目标完成情况考核"
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="技改通",
    )
    note = (
        f"统计期：{review.period_label}。{review.level_label}。依据豫政办〔2022〕8号{CLAUSE}，"
        f"各地目标完成情况作为财政奖补的重要参考依据。"
        f"综合完成率为各考核指标完成率（单项最高按{int(REVIEW_CAP * 100)}%计）的算术平均。"
    )
    doc.build(
        [
            paragraph(title, title_style),
            Spacer(1, 4 * mm),
            paragraph(note, body_style),
            Spacer(1, 3 * mm),
            t1,
            Spacer(1, 6 * mm),
            paragraph("分项完成情况", body_style),
            Spacer(1, 2 * mm),
            t2,
        ]
    )
    response = HttpResponse(buf.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{title}.pdf")
    return response
