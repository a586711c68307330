"""Reading an uploaded workbook with python-calamine and validating its rows against a spec."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings

from .spec import (
    BOOL,
    CENT,
    DATE,
    DECIMAL,
    DEFAULT_MAX_BYTES,
    INT,
    MAX_ERRORS,
    MAX_UNCOMPRESSED,
    MONEY,
    MONEY_MAX,
    TEXT,
    Cell,
    CellError,
    Column,
    ExcelError,
    Rows,
    Spec,
    is_blank,
    strip_header,
)


def _open(file: Any) -> IO[bytes]:
    if isinstance(file, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(file))
    if isinstance(file, str | os.PathLike):
        return open(file, "rb")
    if hasattr(file, "open") and hasattr(file, "chunks"):  # a Django UploadedFile / File
        file.open("rb")
        fh = getattr(file, "file", file)
        return fh
    return file


def _size(fh: IO[bytes]) -> int:
    pos = fh.tell()
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    fh.seek(pos)
    return size


def check_xlsx(fh: IO[bytes], *, max_bytes: int | None = None) -> None:
    """Refuse, with a Chinese message, anything that is not a reasonably sized .xlsx workbook."""
    limit = max_bytes or getattr(settings, "JIGAI_EXCEL_MAX_BYTES", DEFAULT_MAX_BYTES)
    fh.seek(0)
    size = _size(fh)
    if size == 0:
        raise ExcelError("上传的文件是空的。", code="excel_empty")
    if size > limit:
        raise ExcelError(
            f"文件太大（{size / 1048576:.1f} MB），上限为 {limit / 1048576:.0f} MB，请分批导入。",
            code="excel_too_big",
        )
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExcelError(
            "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 格式后再上传。", code="excel_format"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ExcelError("只能上传 Excel 2007 及以上版本的 .xlsx 文件。", code="excel_format")
    limit_unpacked = getattr(settings, "JIGAI_EXCEL_MAX_UNPACKED", MAX_UNCOMPRESSED)
    try:
        with zipfile.ZipFile(fh) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" not in names:
                raise ExcelError("只能上传 Excel 2007 及以上版本的 .xlsx 文件。", code="excel_format")
            # The sizes a zip declares can lie: the bytes actually inflated are counted, and inflating
            # stops as soon as they pass the limit (a 3 MB file declaring 944 MB held a worker for 46 s).
            declared = sum(info.file_size for info in zf.infolist())
            if declared > limit_unpacked or _inflated_beyond(zf, limit_unpacked):
                raise ExcelError(
                    f"文件解压后超过 {limit_unpacked // 1048576} MB，无法读取，请分批导入。",
                    code="excel_too_big",
                )
    except zipfile.BadZipFile:
        raise ExcelError("文件已损坏或不是 .xlsx 文件，无法读取。", code="excel_format") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
        raise ExcelError("文件已损坏或不是 .xlsx 文件，无法读取。", code="excel_format") from None
    finally:
        fh.seek(0)


def _inflated_beyond(zf: zipfile.ZipFile, limit: int) -> bool:
    """True when inflating every member yields more than `limit` bytes. The raw deflate streams are
    inflated here, whatever sizes the headers declare (zipfile itself stops at the declared size, the
    reader behind would not), in bounded steps, stopping as soon as the limit is passed."""
    total = 0
    fp = zf.fp
    for info in zf.infolist():
        fp.seek(info.header_offset)
        header = fp.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fp.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        if info.compress_type == zipfile.ZIP_STORED:
            total += left
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
            while left > 0 and not inflater.eof:
                chunk = fp.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
                data = chunk
                while data:
                    out = inflater.decompress(data, 1 << 20)
                    total += len(out)
                    if total > limit:
                        return True
                    data = inflater.unconsumed_tail
        else:
            raise zipfile.BadZipFile("unsupported compression")
        if total > limit:
            return True
    return False


def read_rows(file: Any, *, max_bytes: int | None = None) -> Iterator[tuple[int, list[Cell]]]:
    """Yield (Excel row number, cells) for every non-empty row of the first worksheet; `cells[i]` is the cell
    in Excel column i+1. `file` is bytes, a path, an open binary file or a Django UploadedFile.
    The file is checked (and refused with an ExcelError) at once, before the first row is asked for."""
    fh = _open(file)
    try:
        check_xlsx(fh, max_bytes=max_bytes)
        sheet = _first_sheet(fh)
    finally:
        if isinstance(file, str | os.PathLike):
            fh.close()
    return _iter_sheet(sheet)


def _iter_sheet(sheet: Any) -> Iterator[tuple[int, list[Cell]]]:
    start = sheet.start
    if start is None:
        return
    # calamine yields rows from row 1 but columns only from the first used one (pinned by a test).
    pad = [""] * start[1]
    for i, cells in enumerate(sheet.iter_rows()):
        if any(c != "" and c is not None for c in cells):
            yield i + 1, (pad + cells) if pad else cells


def _first_sheet(fh: IO[bytes]) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(fh).get_sheet_by_index(0)
    except Exception:
        raise ExcelError("文件已损坏或格式不正确，无法读取。", code="excel_format") from None


def parse_money(value: Any, *, money: bool = True) -> Decimal:
    """Exact yuan from a cell (money=False: any non-negative number with at most two decimals, e.g. m²).
    calamine gives floats for numeric cells: repr() is the shortest string that round-trips, i.e. what Excel
    stored; a formula's float noise (0.30000000000000004) is cut back to Excel's 15 significant digits.
    More than two decimals is refused, never rounded away silently."""
    what = "金额数字（单位：元）" if money else "数字"
    if isinstance(value, bool):
        raise ValueError(f"请填写{what}。")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
        if d.is_finite() and d.as_tuple().exponent < -2:
            d = Decimal(format(value, ".15g"))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if money:
            text = text.removesuffix("元").lstrip("¥￥").strip()
        try:
            d = Decimal(text)
        except InvalidOperation:
            example = "，如 1234567.10" if money else ""
            raise ValueError(f"请填写{what}{example}。") from None
    else:
        raise ValueError(f"请填写{what}。")
    if not d.is_finite():
        raise ValueError(f"请填写{what}。")
    if d < 0:
        raise ValueError("金额不能为负数。" if money else "不能为负数。")
    if d.as_tuple().exponent < -2 and d != d.quantize(CENT):
        raise ValueError("金额最多保留两位小数（单位：元）。" if money else "最多保留两位小数。")
    if d >= MONEY_MAX:
        raise ValueError("金额过大，请检查单位是否为元。" if money else "数值过大。")
    return d.quantize(CENT)


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("请填写整数。")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        return int(value)
    raise ValueError("请填写整数。")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        # A date typed into a cell formatted as a number: Excel's serial day count.
        if float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip()
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise ValueError("请填写日期，格式如 2024-01-31。")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().upper()
    if text in {"是", "TRUE", "Y", "√"}:
        return True
    if text in {"否", "FALSE", "N", "×"}:
        return False
    raise ValueError("请填写“是”或“否”。")


def parse_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number: 410102.0 → "410102"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_cell(col: Column, value: Any) -> Any:
    """The cell as a Python value of the column's type; ValueError with a Chinese message otherwise.
    Blank cells become None ("" for text)."""
    if is_blank(value):
        if col.required:
            raise ValueError("必填，不能为空。")
        return "" if col.type == TEXT else None
    if col.type == TEXT:
        result: Any = parse_text(value)
        if col.max_length and len(result) > col.max_length:
            raise ValueError(f"不能超过 {col.max_length} 个字（现有 {len(result)} 个）。")
    elif col.type == MONEY:
        result = parse_money(value)
    elif col.type == DECIMAL:
        result = parse_money(value, money=False)
    elif col.type == INT:
        result = parse_int(value)
    elif col.type == DATE:
        result = parse_date(value)
    elif col.type == BOOL:
        result = parse_bool(value)
    else:
        text = parse_text(value)
        for label, v in col.choices:
            if text == str(label) or text == str(v):
                result = v
                break
        else:
            if len(col.choices) > 12:
                raise ValueError(f"“{text}”不是可选项，请从下拉列表中选择。")
            options = "、".join(str(label) for label, _ in col.choices)
            raise ValueError(f"“{text}”不是可选项，请从下拉列表中选择：{options}。")
    if col.min_value is not None and result < col.min_value:
        raise ValueError(f"不能小于 {col.min_value}。")
    if col.max_value is not None and result > col.max_value:
        raise ValueError(f"不能大于 {col.max_value}。")
    if col.validator is not None:
        message = col.validator(result)
        if message:
            raise ValueError(message)
    return result


def validate(
    rows: Iterable[tuple[int, list[Cell]]], spec: Spec, *, max_errors: int = MAX_ERRORS
) -> tuple[Rows, list[CellError]]:
    """Check every row against the spec. The first row is the header row; columns are matched by header
    text (order free, unknown columns such as "错误说明" ignored). Returns the clean rows (all of them,
    even when others have errors, so the caller can run its own checks) and the errors."""
    errors: list[CellError] = []
    it = iter(rows)
    try:
        header_row, header_cells = next(it)
    except StopIteration:
        raise ExcelError("工作表中没有数据：请在模板的第一个工作表中填写。", code="excel_empty") from None
    by_header = {c.header: c for c in spec.columns}
    positions: dict[str, int] = {}
    for idx, value in enumerate(header_cells, start=1):
        col = by_header.get(strip_header(value))
        if col is None:
            continue
        if col.key in positions:
            errors.append(CellError(header_row, idx, f"列“{col.header}”重复出现。"))
        positions[col.key] = idx
    missing = [c.header for c in spec.columns if c.required and c.key not in positions]
    if missing:
        errors.append(
            CellError(header_row, 1, "缺少必填列：" + "、".join(missing) + "。请使用下载的模板，勿修改表头。")
        )
    clean = Rows(positions, header_row)
    if errors:
        return clean, errors
    present = [(c, positions[c.key] - 1) for c in spec.columns if c.key in positions]
    absent = [c for c in spec.columns if c.key not in positions]
    for row_no, cells in it:
        data: dict[str, Any] = {"_row": row_no}
        width = len(cells)
        for col, idx in present:
            value = cells[idx] if idx < width else ""
            try:
                data[col.key] = parse_cell(col, value)
            except ValueError as exc:
                if len(errors) < max_errors:
                    errors.append(CellError(row_no, idx + 1, str(exc)))
                data[col.key] = None
        for col in absent:
            data[col.key] = "" if col.type == TEXT else None
        clean.append(data)
    if not clean and not errors:
        raise ExcelError("表中只有表头，没有可导入的数据行。", code="excel_empty")
    return clean, errors
