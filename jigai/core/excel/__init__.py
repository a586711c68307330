"""Generic Excel toolkit: declarative column specs, templates, fast reading, validation, annotated error
workbooks and streamed exports. It knows nothing about the domain models (jigai/registry/excel.py does).

- reading uses python-calamine (about 10× faster than openpyxl on large sheets);
- templates and the annotated error workbook use openpyxl (comments, fills, data validation);
- exports use xlsxwriter in constant_memory mode, written to a temporary file and streamed back,
  so 100,000 rows never sit in memory at once.

Only the FIRST worksheet of an uploaded workbook holds data (the template puts the data sheet first and the
"说明" sheet second); rows and columns in errors are Excel's own 1-based numbers.
"""

from .marking import error_workbook
from .reading import check_xlsx, parse_cell, parse_date, parse_money, read_rows, validate
from .spec import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    MONEY,
    NOTE_HEADER,
    TEXT,
    XLSX_CONTENT_TYPE,
    CellError,
    Column,
    ExcelError,
    Rows,
    Spec,
)
from .writing import export_rows, template_workbook, write_rows, xlsx_response

__all__ = [
    "BOOL",
    "CHOICE",
    "DATE",
    "DECIMAL",
    "INT",
    "MONEY",
    "NOTE_HEADER",
    "TEXT",
    "XLSX_CONTENT_TYPE",
    "CellError",
    "Column",
    "ExcelError",
    "Rows",
    "Spec",
    "check_xlsx",
    "error_workbook",
    "export_rows",
    "parse_cell",
    "parse_date",
    "parse_money",
    "read_rows",
    "template_workbook",
    "validate",
    "write_rows",
    "xlsx_response",
]
