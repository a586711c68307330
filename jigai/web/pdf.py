"""The one door into reportlab's Paragraph: every value is escaped first.

A reportlab Paragraph parses its text as markup (<a href>, <img>, <b>, <font>, entities). A value typed by a
user — an enterprise name, a project title, a notice title — must never be read as markup: `<a href=...>`
would become a live outside link inside an official notice, and a stray `<` or `&` makes the build fail
(the page answers 500). So no code builds a Paragraph itself: it calls `paragraph(value, style)`, which
escapes `&`, `<`, `>` and quotes, and shows the value literally.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

_QUOTES = {'"': "&quot;", "'": "&#39;"}


def pdf_escape(value: Any) -> str:
    """The value as literal Paragraph text: None is empty, everything else str() and markup-escaped."""
    if value is None:
        return ""
    return escape(str(value), _QUOTES)


def paragraph(value: Any, style: Any) -> Any:
    """A reportlab Paragraph showing `value` literally (never as markup)."""
    from reportlab.platypus import Paragraph

    return Paragraph(pdf_escape(value), style)


# --------------------------------------------------------------------------------------- document toolkit
#
# Printable official documents (申报书, 审核表, 评分表, 立项通知, 拨付记录) laid out as a government
# document is: the issuing unit in red over a red rule (红头), the document number (文号), a centred
# title, body text, tables, signature and seal places, and the page number "— 1 —" at the foot.
#
# Font: reportlab embeds TrueType only; the CJK fonts on the system (fonts-noto-cjk) are OpenType/CFF,
# which it cannot embed. So the documents use reportlab's built-in CID font STSong-Light (Adobe-GB1, as the
# notice PDF does): every PDF reader shows it with its own Song face, and the text stays extractable.

CJK_FONT = "STSong-Light"
RED = "#C00000"


def cjk_font() -> str:
    """The registered CID font name (registered once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


class Document:
    """One printable document, built flowable by flowable; `render()` gives the PDF bytes.

        doc = Document(title="立项通知", issuer="河南省工业和信息化厅", doc_no="豫工信技改〔2026〕12号")
        doc.fields([("企业名称", name), ("安排金额", "360 万元")])
        doc.signatures(["经办人", "负责人"], seal="省工业和信息化厅（盖章）")
        pdf = doc.render()

    Every value passes through `paragraph` (escaped, never markup). `compress=False` writes the page
    streams uncompressed (tests read the text from them)."""

    def __init__(
        self,
        *,
        title: str,
        issuer: str = "",
        doc_no: str = "",
        subtitle: str = "",
        author: str = "技改通",
        compress: bool = True,
    ) -> None:
        from reportlab.lib.styles import ParagraphStyle

        font = cjk_font()
        self.title = title
        self.author = author
        self.compress = compress
        self.story: list[Any] = []
        self.styles = {
            "issuer": ParagraphStyle(
                "issuer", fontName=font, fontSize=22, leading=30, alignment=1, textColor=RED
            ),
            "docno": ParagraphStyle("docno", fontName=font, fontSize=11, leading=16, alignment=1),
            "title": ParagraphStyle(
                "title", fontName=font, fontSize=17, leading=26, alignment=1, spaceBefore=6, spaceAfter=4
            ),
            "subtitle": ParagraphStyle("subtitle", fontName=font, fontSize=10.5, leading=15, alignment=1),
            "heading": ParagraphStyle(
                "heading", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=3
            ),
            "body": ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, firstLineIndent=21),
            "plain": ParagraphStyle("plain", fontName=font, fontSize=10.5, leading=16),
            "cell": ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13),
            "small": ParagraphStyle("small", fontName=font, fontSize=8.5, leading=12),
            "right": ParagraphStyle("right", fontName=font, fontSize=10.5, leading=17, alignment=2),
        }
        if issuer:
            self.letterhead(issuer, doc_no)
        elif doc_no:
            self.story.append(paragraph(doc_no, self.styles["docno"]))
        self.story.append(paragraph(title, self.styles["title"]))
        if subtitle:
            self.story.append(paragraph(subtitle, self.styles["subtitle"]))
        self.space(3)

    # -- building blocks ---------------------------------------------------------------------------------

    def letterhead(self, issuer: str, doc_no: str = "") -> None:
        """The red header (红头): the issuing unit in red, the document number, a red rule under both."""
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import HRFlowable, Spacer

        self.story.append(paragraph(issuer, self.styles["issuer"]))
        self.story.append(Spacer(1, 2 * mm))
        if doc_no:
            self.story.append(paragraph(doc_no, self.styles["docno"]))
        self.story.append(
            HRFlowable(
                width="100%", thickness=1.6, color=colors.HexColor(RED), spaceBefore=1 * mm, spaceAfter=4 * mm
            )
        )

    def space(self, millimetres: float = 4) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, millimetres * mm))

    def heading(self, text: str) -> None:
        self.story.append(paragraph(text, self.styles["heading"]))

    def para(self, text: str, style: str = "body") -> None:
        self.story.append(paragraph(text, self.styles[style]))

    def lines(self, texts: list[str], style: str = "small") -> None:
        """Numbered lines (the calculator's explanation, clause by clause)."""
        for n, text in enumerate(texts, start=1):
            self.story.append(paragraph(f"{n}. {text}", self.styles[style]))

    def fields(self, rows: list[tuple[str, Any]], *, label_width: float = 38) -> None:
        """A two-column table of label and value (the facts of the form), boxed."""
        from reportlab.lib.units import mm

        data = [
            [paragraph(label, self.styles["cell"]), paragraph(value, self.styles["cell"])]
            for label, value in rows
        ]
        self._table(data, [label_width * mm, (170 - label_width) * mm], header=False, label_column=True)

    def table(
        self,
        header: list[str],
        rows: list[list[Any]],
        *,
        widths: list[float] | None = None,
        right: tuple[int, ...] = (),
    ) -> None:
        """A data table with a header row repeated on each page; `right`: the columns of numbers."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm

        num = ParagraphStyle("num", parent=self.styles["cell"], alignment=2)
        data = [[paragraph(h, self.styles["cell"]) for h in header]]
        for row in rows:
            data.append([paragraph(v, num if i in right else self.styles["cell"]) for i, v in enumerate(row)])
        self._table(data, [w * mm for w in widths] if widths else None, header=True)

    def _table(self, data: list[list[Any]], widths: Any, *, header: bool, label_column: bool = False) -> None:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
        if label_column:
            style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F4F4F4")))
        table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="CENTER")
        table.setStyle(TableStyle(style))
        self.story.append(table)
        self.space(2)

    def opinion(self, title: str, text: str, *, signer: str, seal: str = "", date_text: str = "") -> None:
        """An opinion box of a review level (审核意见): the opinion, then the signature, seal and date
        places at its foot — as the paper forms leave room for them."""
        from reportlab.lib.units import mm

        body = [
            paragraph(text or "", self.styles["plain"]),
            paragraph(" ", self.styles["plain"]),
            paragraph(f"{signer}（签字）：＿＿＿＿＿＿＿＿", self.styles["right"]),
        ]
        if seal:
            body.append(paragraph(f"{seal}（盖章）", self.styles["right"]))
        body.append(paragraph(date_text or "　　　　年　　月　　日", self.styles["right"]))
        data = [[paragraph(title, self.styles["cell"]), body]]
        self._table(data, [30 * mm, 140 * mm], header=False, label_column=True)

    def signatures(self, signers: list[str], *, seal: str = "", date_text: str = "") -> None:
        """The signature block at the end of a document: one line per signer, then the seal and date."""
        self.space(6)
        for signer in signers:
            self.story.append(paragraph(f"{signer}（签字）：＿＿＿＿＿＿＿＿＿＿", self.styles["right"]))
            self.space(2)
        if seal:
            self.story.append(paragraph(seal, self.styles["right"]))
        self.story.append(paragraph(date_text or "　　　　年　　月　　日", self.styles["right"]))

    # -- output ------------------------------------------------------------------------------------------

    def render(self) -> bytes:
        """The PDF: A4 portrait, official margins, the page number "— n —" centred at the foot."""
        import io

        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        font = cjk_font()

        def foot(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(font, 10)
            canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
            canvas.restoreState()

        buf = io.BytesIO()
        template = SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=22 * mm,
            bottomMargin=22 * mm,
            title=self.title,
            author=self.author,
            pageCompression=1 if self.compress else 0,
        )
        template.build(self.story, onFirstPage=foot, onLaterPages=foot)
        return buf.getvalue()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> Any:
    """The PDF as an HTTP answer (shown in the browser by default, so it can be printed)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
