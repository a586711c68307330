"""The annotated error workbook: the user's own file with each bad cell marked and explained."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .spec import (
    AUTHOR,
    ERROR_COLOR,
    NOTE_HEADER,
    OPENPYXL_MAX_CELLS,
    CellError,
    col_letter,
    is_blank,
    strip_header,
)


def _group(errors: Iterable[CellError]) -> dict[int, dict[int, list[str]]]:
    grouped: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for e in errors:
        msgs = grouped[e.row][e.col]
        if e.message not in msgs:
            msgs.append(e.message)
    return grouped


def error_workbook(
    original: bytes, errors: Sequence[CellError], *, max_cells: int = OPENPYXL_MAX_CELLS
) -> bytes:
    """The user's own workbook with every bad cell filled red and commented, and each row's messages in an
    extra column "错误说明" (reused, with earlier marks cleared, when a marked file comes back)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(original))
    sheet = wb.get_sheet_by_index(0)
    cells = (sheet.end[0] + 1) * (sheet.end[1] + 1) if sheet.end else 0
    if cells > max_cells:
        return _error_workbook_streamed(wb.sheet_names[0], sheet, errors)
    return _error_workbook_openpyxl(original, errors)


def _note_text(headers: Mapping[int, Any], cols: Mapping[int, list[str]]) -> str:
    parts = []
    for col in sorted(cols):
        name = strip_header(headers.get(col)) or col_letter(col) + " 列"
        parts.append(f"{name}：" + "；".join(m.rstrip("。") for m in cols[col]))
    return "；".join(parts) + "。"


def _error_workbook_openpyxl(original: bytes, errors: Sequence[CellError]) -> bytes:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = load_workbook(io.BytesIO(original))
    ws = wb.worksheets[0]
    header_row = next(
        (r[0].row for r in ws.iter_rows() if any(not is_blank(c.value) for c in r)),
        1,
    )
    headers = {c.column: c.value for c in ws[header_row]}
    note_col = next((col for col, v in headers.items() if strip_header(v) == NOTE_HEADER), None)
    # Clear our marks of an earlier round, so only today's errors are shown.
    for row in ws.iter_rows():
        for c in row:
            if c.comment is not None and c.comment.author == AUTHOR:
                c.comment = None
            if c.fill is not None and c.fill.fgColor is not None and c.fill.fgColor.rgb == ERROR_COLOR:
                c.fill = PatternFill(fill_type=None)
            if note_col is not None and c.column == note_col and c.row > header_row:
                c.value = None
    if note_col is None:
        note_col = ws.max_column + 1
        head = ws.cell(row=header_row, column=note_col, value=NOTE_HEADER)
        head.font = Font(bold=True, color="FFC00000")
        ws.column_dimensions[col_letter(note_col)].width = 60
    fill = PatternFill("solid", fgColor=ERROR_COLOR)
    red = Font(color="FFC00000")
    for row_no, cols in _group(errors).items():
        for col, msgs in cols.items():
            cell = ws.cell(row=row_no, column=col)
            cell.fill = fill
            comment = Comment("；".join(msgs), AUTHOR)
            comment.width, comment.height = 240, 90
            cell.comment = comment
        note = ws.cell(row=row_no, column=note_col, value=_note_text(headers, cols))
        note.font = red
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _error_workbook_streamed(name: str, sheet: Any, errors: Sequence[CellError]) -> bytes:
    """For very large files: the first sheet's values rewritten by xlsxwriter in constant memory, with the
    same marks (red fill, comment, "错误说明" column). Cell formatting of the original is not kept."""
    import xlsxwriter

    grouped = _group(errors)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_urls": False})
        ws = wb.add_worksheet(name)
        bad = wb.add_format({"bg_color": "#FFC7CE"})
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        bad_date = wb.add_format({"num_format": "yyyy-mm-dd", "bg_color": "#FFC7CE"})
        red = wb.add_format({"font_color": "#C00000"})
        start_col = sheet.start[1] if sheet.start else 0
        headers: dict[int, Any] = {}
        header_row = None
        note_col = None
        for r, cells in enumerate(sheet.iter_rows()):
            cells = [""] * start_col + cells
            row_no = r + 1
            if header_row is None and any(not is_blank(v) for v in cells):
                header_row = row_no
                headers = {i + 1: v for i, v in enumerate(cells)}
                note_col = next((i for i, v in headers.items() if strip_header(v) == NOTE_HEADER), None)
                if note_col is None:
                    note_col = len(cells) + 1
                    ws.write_string(r, note_col - 1, NOTE_HEADER, red)
            marks = grouped.get(row_no, {})
            for i, value in enumerate(cells):
                col = i + 1
                if col == note_col and header_row is not None and row_no > header_row:
                    continue  # an earlier round's message
                fmt = bad if col in marks else None
                if isinstance(value, dt.date | dt.datetime):
                    ws.write_datetime(r, i, value, bad_date if col in marks else date_fmt)
                elif isinstance(value, bool):
                    ws.write_boolean(r, i, value, fmt)
                elif isinstance(value, int | float):
                    ws.write_number(r, i, value, fmt)
                elif value == "" or value is None:
                    if fmt is not None:
                        ws.write_blank(r, i, None, fmt)
                else:  # write_string, never write(): a text starting with "=" is not a formula here
                    ws.write_string(r, i, str(value), fmt)
            for col, msgs in marks.items():
                if col > len(cells):
                    ws.write_blank(r, col - 1, None, bad)
                ws.write_comment(r, col - 1, "；".join(msgs), {"author": AUTHOR})
            if marks and note_col is not None:
                ws.write_string(r, note_col - 1, _note_text(headers, marks), red)
        wb.close()
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
