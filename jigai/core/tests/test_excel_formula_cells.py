"""Exported text that begins like a formula is written so that no spreadsheet evaluates it (issue 12)."""

from __future__ import annotations

import zipfile

import openpyxl

from jigai.core.excel.spec import Column, Spec
from jigai.core.excel.writing import write_rows

SPEC = Spec(title="企业", columns=[Column("name", "企业名称"), Column("note", "备注")])
NASTY = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "＝1+1"]


def test_formula_like_text_is_text_with_the_quote_prefix(tmp_path):
    path = str(tmp_path / "out.xlsx")
    write_rows(path, SPEC, [{"name": v, "note": "普通文字"} for v in NASTY])
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere
    ws = openpyxl.load_workbook(path).active
    for row, value in enumerate(NASTY, start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.value == value and cell.data_type == "s"
        assert cell.quotePrefix, value
    assert not ws.cell(row=2, column=2).quotePrefix
