"""Exports: the work queue and the award list to Excel (xlsxwriter, streamed), the award list to PDF
(reportlab with its built-in CID font STSong-Light: Chinese without shipping a font file).

Every text that goes into a reportlab Paragraph passes through jigai.web.pdf.paragraph, which escapes it:
an enterprise name such as `<a href="http://…">x</a>` is shown literally, never read as markup."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from jigai.core.excel import DATE, DECIMAL, MONEY, TEXT, Column, Spec, export_rows
from jigai.web.pdf import paragraph

from . import calc
from .models import Application, NoticeEntry, PublicNotice

QUEUE_SPEC = Spec(
    "专项资金申报",
    [
        Column("tracking_no", "申报编号", TEXT, width=22),
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("uscc", "统一社会信用代码", TEXT, width=22),
        Column("region", "所在地区", TEXT, width=14),
        Column("item", "申报事项", TEXT, width=34),
        Column("status", "状态", TEXT, width=14),
        Column("requested", "申请金额（元）", MONEY),
        Column("ceiling", "测算上限（元）", MONEY),
        Column("score", "专家平均分", DECIMAL),
        Column("city_rank", "市级推荐排序", TEXT),
        Column("granted", "安排金额（元）", MONEY),
        Column("submitted", "提交日期", DATE),
    ],
)

AWARD_SPEC = Spec(
    "拟支持项目名单",
    [
        Column("no", "序号", TEXT, width=6),
        Column("tracking_no", "申报编号", TEXT, width=22),
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("uscc", "统一社会信用代码", TEXT, width=22),
        Column("region", "所在地区", TEXT, width=14),
        Column("item", "申报事项", TEXT, width=34),
        Column("score", "专家平均分", DECIMAL),
        Column("granted", "拟安排金额（元）", MONEY),
    ],
)


def _queue_rows(apps: Iterable[Application]) -> Iterable[dict[str, Any]]:
    for a in apps:
        yield {
            "tracking_no": a.tracking_no,
            "enterprise": a.enterprise.name,
            "uscc": a.enterprise.uscc,
            "region": a.enterprise.region.name,
            "item": calc.item_label(a.item),
            "status": a.get_status_display(),
            "requested": a.requested_amount,
            "ceiling": a.ceiling,
            "score": a.score_avg,
            "city_rank": str(a.city_rank or ""),
            "granted": a.granted_amount,
            "submitted": timezone.localtime(a.submitted_at).date() if a.submitted_at else None,
        }


def queue_xlsx(apps: Iterable[Application]) -> FileResponse:
    return export_rows(
        QUEUE_SPEC, _queue_rows(apps), filename=f"专项资金申报-{timezone.localdate():%Y%m%d}.xlsx"
    )


def award_rows(entries: Iterable[NoticeEntry], *, masked: bool) -> list[dict[str, Any]]:
    from .screens import notice_row  # the masking rule lives there once

    rows = []
    for n, e in enumerate(entries, start=1):
        r = notice_row(e, masked=masked)
        rows.append(
            {
                "no": str(n),
                "tracking_no": r.tracking_no,
                "enterprise": r.enterprise,
                "uscc": r.uscc,
                "region": r.region,
                "item": r.item_label,
                "score": e.application.score_avg,
                "granted": r.granted_amount,
            }
        )
    return rows


def award_xlsx(notice: PublicNotice, entries: Iterable[NoticeEntry]) -> FileResponse:
    return export_rows(AWARD_SPEC, award_rows(entries, masked=False), filename=f"{notice.title}.xlsx")


def award_pdf(notice: PublicNotice, entries: Iterable[NoticeEntry], *, masked: bool) -> HttpResponse:
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
    rows = award_rows(entries, masked=masked)
    total = sum((r["granted"] for r in rows), Decimal("0"))
    header = [c.header for c in AWARD_SPEC.columns]
    data: list[list[Any]] = [[paragraph(h, cell_style) for h in header]]
    for r in rows:
        data.append(
            [
                r["no"],
                r["tracking_no"],
                paragraph(r["enterprise"], cell_style),
                r["uscc"],
                paragraph(r["region"], cell_style),
                paragraph(r["item"], cell_style),
                "" if r["score"] is None else f"{r['score']}",
                f"{r['granted']:,.0f}",
            ]
        )
    data.append(["", "", paragraph("合计", cell_style), "", "", "", "", f"{total:,.0f}"])
    table = Table(
        data, repeatRows=1, colWidths=[10 * mm, 40 * mm, 55 * mm, 40 * mm, 22 * mm, 60 * mm, 18 * mm, 28 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("ALIGN", (6, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=notice.title,
        author="技改通",
    )
    period = (
        f"公示期：{notice.starts_on:%Y年%m月%d日} 至 {notice.ends_on:%Y年%m月%d日}"
        f"（{notice.guideline.notice_days} 个工作日）"
    )
    doc.build(
        [
            paragraph(notice.title, title_style),
            Spacer(1, 4 * mm),
            paragraph(
                period + "。对公示项目如有异议，请在公示期内以书面形式向省工业和信息化厅提出。", body_style
            ),
            Spacer(1, 3 * mm),
            table,
        ]
    )
    response = HttpResponse(buf.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{notice.title}.pdf")
    return response
