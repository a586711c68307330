"""The generic Excel toolkit (jigai.core.excel): templates, reading, money, validation, marked workbooks and
streamed exports. Knows no model."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from jigai.core.excel import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    MONEY,
    NOTE_HEADER,
    CellError,
    Column,
    ExcelError,
    Spec,
    error_workbook,
    export_rows,
    parse_money,
    read_rows,
    template_workbook,
    validate,
)
from jigai.core.excel.spec import ERROR_COLOR

SPEC = Spec(
    "企业",
    [
        Column(
            "code",
            "代码",
            required=True,
            max_length=6,
            validator=lambda v: None if v.isdigit() else "只能是数字。",
        ),
        Column("amount", "金额（元）", MONEY),
        Column("area", "面积", DECIMAL),
        Column("n", "人数", INT, min_value=0),
        Column("day", "日期", DATE),
        Column("flag", "规上", BOOL),
        Column("size", "规模", CHOICE, choices=[("大型", "large"), ("小型", "small")]),
    ],
)


def xlsx(rows, *, title="企业", start=(0, 0)) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(title)
    r0, c0 = start
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r0 + r, c0 + c, v, wb.add_format({"num_format": "yyyy-mm-dd"}))
            else:
                ws.write(r0 + r, c0 + c, v)
    wb.close()
    return buf.getvalue()


def test_template_has_headers_comments_lists_and_guide():
    wb = openpyxl.load_workbook(
        io.BytesIO(template_workbook(SPEC, notes=["附加说明"], reference={"表": [["a"], [1]]}))
    )
    assert wb.sheetnames[:2] == ["企业", "说明"]
    ws = wb["企业"]
    assert [c.value for c in ws[1]] == SPEC.headers
    assert "必填" in ws["A1"].comment.text
    assert "可选：大型、小型" in ws["G1"].comment.text
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"大型,小型"' in formulas and '"是,否"' in formulas
    guide = [[c for c in row if c is not None] for row in wb["说明"].iter_rows(values_only=True)]
    assert ["附加说明"] in guide
    assert SPEC.headers in guide  # the example's header row
    assert wb["表"]["A2"].value == 1


def test_template_long_choice_lists_go_to_a_hidden_sheet():
    many = Spec(
        "t", [Column("c", "行业", CHOICE, choices=[(f"{i:02d} 很长很长的行业名称", i) for i in range(40)])]
    )
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(many)))
    assert wb["选项"].sheet_state == "hidden"
    assert wb["选项"]["A40"].value == "39 很长很长的行业名称"
    assert wb["t"].data_validations.dataValidation[0].formula1 == "'选项'!$A$1:$A$40"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1234567.1, Decimal("1234567.10")),
        (0.1 + 0.2, Decimal("0.30")),  # a formula's float noise is Excel's 0.3
        (12, Decimal("12.00")),
        ("1,234.5", Decimal("1234.50")),
        ("￥88.00元", Decimal("88.00")),
        ("1.500", Decimal("1.50")),
        (9999999999999.99, Decimal("9999999999999.99")),
    ],
)
def test_money_is_exact(cell, expected):
    value = parse_money(cell)
    assert value == expected and value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (0.125, "最多保留两位小数"),
        ("12.345", "最多保留两位小数"),
        (-1, "不能为负数"),
        ("abc", "请填写金额数字"),
        ("NaN", "请填写金额数字"),
        (True, "请填写金额数字"),
        (1e14, "金额过大"),
    ],
)
def test_money_refuses(cell, message):
    with pytest.raises(ValueError, match=message):
        parse_money(cell)


def test_read_and_validate_every_type():
    data = xlsx(
        [
            SPEC.headers,
            ["410102", 1234567.1, 12.5, 12, dt.date(2024, 1, 31), "是", "大型"],
            ["410103", "", None, "7", "2024/2/29", False, "small"],
            [410104, None, None, None, "2024年3月1日", None, None],
        ]
    )
    rows, errors = validate(read_rows(data), SPEC)
    assert errors == []
    assert rows[0] == {
        "_row": 2,
        "code": "410102",
        "amount": Decimal("1234567.10"),
        "area": Decimal("12.50"),
        "n": 12,
        "day": dt.date(2024, 1, 31),
        "flag": True,
        "size": "large",
    }
    assert (
        rows[1]["amount"] is None
        and rows[1]["n"] == 7
        and rows[1]["flag"] is False
        and rows[1]["size"] == "small"
    )
    assert rows[2]["code"] == "410104"  # a code typed as a number keeps its digits
    assert rows[2]["day"] == dt.date(2024, 3, 1)
    assert rows.positions == {c.key: i for i, c in enumerate(SPEC.columns, start=1)}


def test_validate_reports_each_bad_cell_with_a_chinese_message():
    data = xlsx(
        [
            SPEC.headers,
            ["4101020", 0.125, -1, 1.5, "明天", "也许", "巨型"],
            [None, None, None, -3, None, None, None],
            ["abc", None, None, None, None, None, None],
        ]
    )
    _rows, errors = validate(read_rows(data), SPEC)
    by_cell = {(e.row, e.col): e.message for e in errors}
    assert by_cell == {
        (2, 1): "不能超过 6 个字（现有 7 个）。",
        (2, 2): "金额最多保留两位小数（单位：元）。",
        (2, 3): "不能为负数。",
        (2, 4): "请填写整数。",
        (2, 5): "请填写日期，格式如 2024-01-31。",
        (2, 6): "请填写“是”或“否”。",
        (2, 7): "“巨型”不是可选项，请从下拉列表中选择：大型、小型。",
        (3, 1): "必填，不能为空。",
        (3, 4): "不能小于 0。",
        (4, 1): "只能是数字。",
    }


def test_columns_are_found_by_header_wherever_the_data_starts():
    # Headers in another order, an extra column, and the table starting at C3.
    data = xlsx([["备注", "金额（元）", "代码"], ["x", 5, "12"], ["y", "bad", "13"]], start=(2, 2))
    rows, errors = validate(read_rows(data), SPEC)
    assert [r["code"] for r in rows] == ["12", "13"]
    assert errors == [CellError(5, 4, "请填写金额数字（单位：元），如 1234567.10。")]  # D5 in Excel terms


def test_missing_required_column_is_a_header_error():
    rows, errors = validate(read_rows(xlsx([["金额（元）"], [1]])), SPEC)
    assert rows == []
    assert errors[0].row == 1 and "缺少必填列：代码" in errors[0].message


def test_required_header_may_carry_a_star():
    rows, errors = validate(read_rows(xlsx([["*代码"], ["1"]])), SPEC)
    assert errors == [] and rows[0]["code"] == "1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, r"\.xls"),
        (b"name,code\n1,2\n", r"\.xlsx"),
        (b"PK\x03\x04broken", "损坏"),
    ],
)
def test_refuses_what_is_not_xlsx(content, message):
    with pytest.raises(ExcelError, match=message):
        read_rows(content)


def test_refuses_a_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    with pytest.raises(ExcelError, match=r"\.xlsx"):
        read_rows(buf.getvalue())


def test_refuses_files_over_the_size_limit():
    data = xlsx([SPEC.headers, ["1"]])
    with pytest.raises(ExcelError, match="文件太大"):
        read_rows(data, max_bytes=len(data) - 1)


def test_empty_sheet_and_header_only():
    with pytest.raises(ExcelError, match="没有数据"):
        validate(read_rows(xlsx([])), SPEC)
    with pytest.raises(ExcelError, match="只有表头"):
        validate(read_rows(xlsx([SPEC.headers])), SPEC)


def _marked(data: bytes, errors, **kw):
    wb = openpyxl.load_workbook(io.BytesIO(error_workbook(data, errors, **kw)))
    return wb.worksheets[0]


@pytest.mark.parametrize("max_cells", [10**6, 1])  # openpyxl on the user's file / streamed rebuild
def test_error_workbook_marks_the_bad_cell_and_explains_it(max_cells):
    data = xlsx([SPEC.headers, ["410102", 5], ["410103", 0.125]])
    _rows, errors = validate(read_rows(data), SPEC)
    ws = _marked(data, errors, max_cells=max_cells)
    bad = ws["B3"]
    assert bad.fill.fgColor.rgb == ERROR_COLOR
    assert bad.comment.text == "金额最多保留两位小数（单位：元）。"
    assert ws["B2"].comment is None
    note_col = len(SPEC.headers) + 1
    assert ws.cell(row=1, column=note_col).value == NOTE_HEADER
    assert ws.cell(row=3, column=note_col).value == "金额（元）：金额最多保留两位小数（单位：元）。"
    assert ws.cell(row=2, column=note_col).value is None
    assert ws["A3"].value == "410103"  # the user's data is all still there


def test_error_workbook_on_a_marked_file_replaces_the_old_marks():
    data = xlsx([SPEC.headers, ["410102", 0.125], ["410103", 5]])
    first = error_workbook(data, [CellError(2, 2, "旧错误")])
    ws = _marked(first, [CellError(3, 2, "新错误")])
    note_col = len(SPEC.headers) + 1
    assert ws.cell(row=1, column=note_col + 1).value is None  # "错误说明" reused, not added twice
    assert ws.cell(row=2, column=note_col).value is None
    assert ws["B2"].comment is None and ws["B2"].fill.fgColor.rgb != ERROR_COLOR
    assert ws.cell(row=3, column=note_col).value == "金额（元）：新错误。"
    # and reading it again ignores the extra column
    rows, _ = validate(read_rows(error_workbook(data, [CellError(2, 2, "x")])), SPEC)
    assert "错误说明" not in rows[0]


def test_export_streams_a_workbook_that_reads_back():
    rows = [
        {
            "code": "410102",
            "amount": Decimal("1234567.10"),
            "day": dt.date(2024, 1, 31),
            "flag": True,
            "size": "large",
        },
        {"code": "000123", "amount": None, "n": 3, "flag": False, "size": "small"},
    ]
    response = export_rows(SPEC, iter(rows), filename="企业.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    back, errors = validate(read_rows(data), SPEC)
    assert errors == []
    assert (
        back[0]["amount"] == Decimal("1234567.10") and back[0]["size"] == "large" and back[0]["flag"] is True
    )
    assert back[1]["code"] == "000123"  # text stays text: leading zeros kept
    assert back[1]["n"] == 3


def test_export_of_many_rows_is_streamed_from_disk():
    n = 5000
    rows = ({"code": f"{i:06d}", "amount": Decimal(i) / 100, "n": i} for i in range(n))
    response = export_rows(SPEC, rows)
    data = b"".join(response.streaming_content)
    back, errors = validate(read_rows(data), SPEC)
    assert errors == [] and len(back) == n
    assert back[-1]["amount"] == Decimal("49.99")
