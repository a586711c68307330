"""Writing workbooks: import templates (openpyxl) and large streamed exports (xlsxwriter)."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .spec import (
    AUTHOR,
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    HEADER_COLOR,
    INT,
    MONEY,
    REQUIRED_COLOR,
    TEXT,
    XLSX_CONTENT_TYPE,
    Column,
    Spec,
    col_letter,
)


def template_workbook(
    spec: Spec,
    *,
    notes: Sequence[str] = (),
    reference: Mapping[str, Sequence[Sequence[Any]]] | None = None,
) -> bytes:
    """An empty import template: the data sheet (headers with a comment each, required ones tinted, lists for
    choices and 是/否, text format on text columns so codes keep their leading zeros) and a "说明" sheet
    describing every column with an example row. `notes` adds lines to "说明"; `reference` adds read-only
    sheets (name → rows, the first row a header), e.g. the region codes the importer may use."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = spec.title[:31]
    lists = None
    list_col = 0
    for i, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = Font(bold=True, color="FFC00000" if col.required else None)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_COLOR if col.required else HEADER_COLOR)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        comment = Comment(col.describe(), AUTHOR)
        comment.width, comment.height = 260, 120
        cell.comment = comment
        letter = col_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.type == TEXT:
            ws.column_dimensions[letter].number_format = "@"
        elif col.type == DATE:
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif col.type in (MONEY, DECIMAL):
            ws.column_dimensions[letter].number_format = "#,##0.00"
        labels = ["是", "否"] if col.type == BOOL else [str(lab) for lab, _ in col.choices]
        if labels:
            joined = ",".join(labels)
            if len(joined) <= 250:
                formula = f'"{joined}"'
            else:  # Excel caps an inline list at 255 characters: long lists live on a hidden sheet
                if lists is None:
                    lists = wb.create_sheet("选项")
                    lists.sheet_state = "hidden"
                list_col += 1
                for r, lab in enumerate(labels, start=1):
                    lists.cell(row=r, column=list_col, value=lab)
                cl = col_letter(list_col)
                formula = f"'选项'!${cl}$1:${cl}${len(labels)}"
            dv = DataValidation(type="list", formula1=formula, allow_blank=not col.required)
            dv.error, dv.errorTitle = f"请从下拉列表中选择{col.header}", "输入有误"
            dv.showErrorMessage = True
            dv.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    guide = wb.create_sheet("说明", 1)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 70
    guide.append([f"{spec.title}导入说明"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append(
        [
            "请在第一个工作表中从第 2 行起逐行填写，勿修改表头。导入时所有行一起检查："
            "全部正确才导入，任何一行有误则一行都不导入，并返回标出错误单元格的文件。"
        ]
    )
    for line in notes:
        guide.append([line])
    guide.append([])
    guide.append(["列名", "是否必填", "填写说明"])
    for c in guide[guide.max_row]:
        c.font = Font(bold=True)
    for col in spec.columns:
        guide.append([col.header, "必填" if col.required else "选填", col.describe()])
    guide.append([])
    guide.append(["示例（一行）"])
    guide[guide.max_row][0].font = Font(bold=True)
    guide.append(spec.headers)
    guide.append([_example_value(col) for col in spec.columns])
    for name, rows in (reference or {}).items():
        sheet = wb.create_sheet(name[:31])
        for r, values in enumerate(rows, start=1):
            sheet.append(list(values))
            if r == 1:
                for c in sheet[1]:
                    c.font = Font(bold=True)
        for i in range(1, sheet.max_column + 1):
            sheet.column_dimensions[col_letter(i)].width = 22
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _example_value(col: Column) -> Any:
    if col.example not in ("", None):
        return col.example
    if col.type == BOOL:
        return "否"
    if col.type == CHOICE:
        return col.choices[0][0]
    return ""


def _export_value(col: Column, value: Any) -> Any:
    if value is None:
        return None
    if col.type == BOOL:
        return "是" if value else "否"
    if col.type == CHOICE:
        return col.label_of(value)
    return value


EXCEL_SHEET_ROWS = 1_048_576  # rows of one worksheet, the header included


def sheet_rows_limit() -> int:
    """Rows per sheet (header included): Excel's limit, or JIGAI_EXPORT_SHEET_ROWS (tests make it small)."""
    from django.conf import settings

    return max(2, int(getattr(settings, "JIGAI_EXPORT_SHEET_ROWS", EXCEL_SHEET_ROWS)))


def sheet_name(title: str, part: int) -> str:
    """The name of sheet `part` (0: the title; then "title 续1", "title 续2"…), within 31 characters."""
    if part == 0:
        return title[:31]
    suffix = f" 续{part}"
    return title[: 31 - len(suffix)] + suffix


# What a spreadsheet may take for the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def write_rows(path: str, spec: Spec, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write the spec's sheet to `path` with xlsxwriter in constant_memory mode (each row is flushed to disk
    as it is written). Never truncates: past a sheet's row limit the rows continue on "名称 续1", "名称 续2"…,
    each with the header. Returns the number of data rows written."""
    import xlsxwriter

    options = {"constant_memory": True, "strings_to_urls": False, "remove_timezone": True}
    wb = xlsxwriter.Workbook(path, options)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = wb.add_format({"num_format": "#,##0.00"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    text = wb.add_format({"num_format": "@"})
    # A cell that begins like a formula is written as text with Excel's quote prefix, so that neither
    # Excel nor WPS/LibreOffice evaluates it, even after the user edits the cell (CSV/formula injection).
    quoted = wb.add_format({"num_format": "@", "quote_prefix": True})
    per_sheet = sheet_rows_limit() - 1  # data rows under the header

    def new_sheet(part: int) -> Any:
        ws = wb.add_worksheet(sheet_name(spec.title, part))
        for i, col in enumerate(spec.columns):
            # Text columns are text-formatted as a whole (codes typed later keep their leading zeros); the
            # strings written below are text anyway, so no per-cell format is needed (faster, smaller file).
            ws.set_column(i, i, col.width, text if col.type == TEXT else None)
            ws.write_string(0, i, col.header, head)
        ws.freeze_panes(1, 0)
        return ws

    ws = new_sheet(0)
    columns = list(enumerate(spec.columns))
    n = 0
    r = 0  # the row on the current sheet
    for n, row in enumerate(rows, start=1):
        r += 1
        if r > per_sheet:
            ws = new_sheet((n - 1) // per_sheet)
            r = 1
        for i, col in columns:
            value = _export_value(col, row.get(col.key))
            if value is None or value == "":
                continue
            if col.type in (MONEY, DECIMAL):
                # Money < 10^13 with 2 decimals has ≤ 15 significant digits: Excel's float keeps it exactly.
                ws.write_number(r, i, float(value), money)
            elif col.type == INT:
                ws.write_number(r, i, value)
            elif col.type == DATE:
                ws.write_datetime(r, i, value, date)
            else:
                value = str(value)
                if value.startswith(FORMULA_STARTS):
                    ws.write_string(r, i, value, quoted)
                else:
                    ws.write_string(r, i, value)
    wb.close()
    return n


def export_rows(
    spec: Spec, rows: Iterable[Mapping[str, Any]], *, filename: str | None = None
) -> FileResponse:
    """A download of `rows` (mappings key → value, e.g. a queryset's .values().iterator()) as an xlsx file.
    The workbook is written to a temporary file in constant memory and streamed from disk; the file is
    unlinked at once and disappears when the response closes it."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="jigai-export-")
    os.close(fd)
    try:
        write_rows(path, spec, rows)
        fh = open(path, "rb")
    finally:
        os.unlink(path)
    name = filename or f"{spec.title}-{dt.date.today():%Y%m%d}.xlsx"
    return FileResponse(fh, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """An in-memory workbook (a template, an error workbook) as a download."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
