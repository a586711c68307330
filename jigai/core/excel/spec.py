"""Column specs, the error types and constants shared by the Excel toolkit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from jigai.core.errors import DomainError

TEXT, MONEY, DECIMAL, INT, DATE, BOOL, CHOICE = "text", "money", "decimal", "int", "date", "bool", "choice"
TYPES = (TEXT, MONEY, DECIMAL, INT, DATE, BOOL, CHOICE)
TYPE_LABELS = {
    TEXT: "文本",
    MONEY: "金额（元，最多两位小数）",
    DECIMAL: "数字（最多两位小数）",
    INT: "整数",
    DATE: "日期（如 2024-01-31）",
    BOOL: "是/否",
    CHOICE: "下拉选择",
}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTE_HEADER = "错误说明"
AUTHOR = "技改通"
ERROR_COLOR = "FFFFC7CE"  # Excel's own "bad" fill, so users recognise it
HEADER_COLOR = "FFDDEBF7"
REQUIRED_COLOR = "FFFCE4D6"
CENT = Decimal("0.01")
# 10 万亿元: far beyond any real amount; ≤ 15 significant digits, so a money cell survives Excel's float.
MONEY_MAX = Decimal("1e13")
DEFAULT_MAX_BYTES = 30 * 1024 * 1024
# Unpacked size of a workbook (bytes actually inflated): a 30 MB upload of plain cells inflates to about
# 150 MB; more is a zip bomb, refused before calamine inflates it.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ERRORS = 5000
# Above this many cells openpyxl would need gigabytes to annotate the user's own workbook; the error
# workbook is then rebuilt from the values with xlsxwriter (same cells, marks and messages; formatting lost).
OPENPYXL_MAX_CELLS = 400_000

Cell = Any  # what calamine yields: str | int | float | bool | date | datetime | time | timedelta
Validator = Callable[[Any], "str | None"]


class ExcelError(DomainError):
    """The file as a whole cannot be read (not xlsx, too big, empty, a required column missing)."""

    default_code = "excel_invalid"


class CellError(NamedTuple):
    row: int  # Excel row number, 1-based
    col: int  # Excel column number, 1-based
    message: str  # Chinese, shown to the user


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str = TEXT
    required: bool = False
    max_length: int | None = None
    choices: Sequence[tuple[str, Any]] = ()  # (中文标签, 值)
    validator: Validator | None = None
    help: str = ""
    example: Any = ""
    min_value: Any = None
    max_value: Any = None
    width: int = 16

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type!r}")
        if self.type == CHOICE and not self.choices:
            raise ValueError(f"choice column {self.key!r} needs choices")

    def label_of(self, value: Any) -> Any:
        for label, v in self.choices:
            if v == value:
                return label
        return value

    def describe(self) -> str:
        parts = ["必填" if self.required else "选填", TYPE_LABELS[self.type]]
        if self.type == CHOICE:
            parts.append("可选：" + "、".join(label for label, _ in self.choices))
        if self.max_length:
            parts.append(f"不超过 {self.max_length} 个字")
        if self.help:
            parts.append(self.help)
        return "；".join(parts)


@dataclass(frozen=True)
class Spec:
    title: str  # the data sheet's name, e.g. "企业"
    columns: Sequence[Column]

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        headers = [c.header for c in self.columns]
        if len(set(keys)) != len(keys) or len(set(headers)) != len(headers):
            raise ValueError("duplicate column key or header in spec")

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


class Rows(list):
    """The clean rows of `validate`: dicts {key: value, "_row": Excel row}, plus `positions`
    {key: Excel column} so a caller's own checks (duplicates, lookups) can point at the right cell."""

    positions: dict[str, int]
    header_row: int

    def __init__(self, positions: dict[str, int] | None = None, header_row: int = 1) -> None:
        super().__init__()
        self.positions = positions or {}
        self.header_row = header_row


def col_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def strip_header(value: Any) -> str:
    """A header cell's text without the "*" some users add to mark required columns."""
    text = str(value).strip() if value is not None else ""
    return text.lstrip("*＊").strip()
