"""The import run shared by every kind: read, validate, check against the database, then create all rows
or none (one transaction), re-check every created row against the scope gate, audit each object.

NetBox bulk-import style: after the rows are created, `Model.objects.restrict(actor, "change")` must find
every one of them; a single row outside the importer's scope rolls the whole import back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction

from jigai.accounts.permissions import require
from jigai.core.excel import CellError, ExcelError, Rows, Spec, error_workbook, read_rows, validate

from .audit import audit_many

MAX_ROWS = 100_000
CHUNK = 5000  # ids per IN (…) query: well inside SQLite's and PostgreSQL's parameter limits


def chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


@dataclass
class ImportResult:
    kind: str
    ok: bool
    created: int = 0
    message: str = ""
    errors: list[CellError] = field(default_factory=list)
    error_file: bytes | None = None  # the user's workbook with the bad cells marked


class Errors:
    """Cell errors of one import, addressed by row number and column key (the spec's), with the cells that
    already failed the type checks remembered so later checks do not pile a second message on them."""

    def __init__(self, rows: Rows, errors: Iterable[CellError]) -> None:
        self.positions = rows.positions
        self.items: list[CellError] = list(errors)
        self.bad = {(e.row, e.col) for e in self.items}

    def add(self, row: int, key: str, message: str) -> None:
        col = self.positions.get(key, 1)
        self.items.append(CellError(row, col, message))
        self.bad.add((row, col))

    def failed(self, row: int, key: str) -> bool:
        return (row, self.positions.get(key, -1)) in self.bad

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class ScopeViolation(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__("rows outside the importer's scope")
        self.errors = errors


class Importer:
    """One kind of import. Subclasses give the spec, the checks and the objects to create."""

    kind = ""
    label = ""
    permission = ""
    model: type[models.Model]
    audit_action = ""
    scope_key = "uscc"  # the column blamed when the scope re-check refuses a row

    def spec(self) -> Spec:
        raise NotImplementedError

    def template_extras(self, actor: Any) -> dict[str, Any]:
        """notes / reference sheets for template_workbook."""
        return {}

    def check(self, actor: Any, rows: Rows, errors: Errors) -> Any:
        """Add an error for every row the database or the rules refuse; return what create() needs."""
        raise NotImplementedError

    def create(self, actor: Any, rows: Rows, ctx: Any) -> list[tuple[int, models.Model]]:
        """Create every row (bulk, in batches); return (Excel row, object) pairs."""
        raise NotImplementedError

    def audit_item(self, obj: models.Model, ctx: Any) -> tuple[str, int | None, dict[str, Any]]:
        """(region_path, enterprise_id, after) of the object's audit record."""
        raise NotImplementedError


def _max_rows() -> int:
    return int(getattr(settings, "JIGAI_IMPORT_MAX_ROWS", MAX_ROWS))


def _failed(kind: str, data: bytes, errors: list[CellError], message: str) -> ImportResult:
    errors = sorted(errors, key=lambda e: (e.row, e.col))
    return ImportResult(
        kind=kind, ok=False, message=message, errors=errors, error_file=error_workbook(data, errors)
    )


def _recheck(
    actor: Any, importer: Importer, created: list[tuple[int, models.Model]], positions: dict
) -> None:
    ids = [obj.pk for _row, obj in created]
    allowed: set[Any] = set()
    scoped = importer.model.objects.restrict(actor, "change")
    for part in chunks(ids):
        allowed.update(scoped.filter(pk__in=part).values_list("pk", flat=True))
    outside = [row for row, obj in created if obj.pk not in allowed]
    if outside:
        col = positions.get(importer.scope_key, 1)
        raise ScopeViolation(
            [CellError(row, col, "该行数据不在您的管辖范围内，整个文件未导入。") for row in outside]
        )


def _no_progress(done: int, total: int | None = None, message: str = "") -> None:
    return None


IMPORT_STEPS = 3  # read, check, write: the steps `progress` counts


def run_import(
    *,
    actor: Any,
    importer: Importer,
    data: bytes,
    filename: str = "",
    progress: Callable[..., None] | None = None,
) -> ImportResult:
    """Import `data` (the bytes of an .xlsx file) as `importer`'s kind, all rows or none.

    `progress(done, total, message)` is told each step (of IMPORT_STEPS) before it starts, outside the
    import's transaction, so a page polling a background job sees it."""
    require(actor, importer.permission)
    progress = progress or _no_progress
    progress(0, IMPORT_STEPS, "正在读取文件……")
    kind = importer.kind
    try:
        rows, cell_errors = validate(read_rows(data), importer.spec())
    except ExcelError as e:
        return ImportResult(kind=kind, ok=False, message=e.message)
    if not rows and cell_errors:  # the header row itself is wrong
        return _failed(kind, data, cell_errors, "表头不符合模板，请下载最新模板后填写。")
    limit = _max_rows()
    if len(rows) > limit:
        return ImportResult(
            kind=kind, ok=False, message=f"一次最多导入 {limit} 行，本文件有 {len(rows)} 行，请分批导入。"
        )
    errors = Errors(rows, cell_errors)
    progress(1, IMPORT_STEPS, f"已读取 {len(rows)} 行，正在检查……")
    ctx = importer.check(actor, rows, errors)
    if errors:
        return _failed(
            kind,
            data,
            errors.items,
            f"共 {len(errors)} 处错误，全部 {len(rows)} 行均未导入。请按标注修改后重新上传。",
        )
    progress(2, IMPORT_STEPS, f"检查通过，正在写入 {len(rows)} 行……")
    comment = f"Excel 批量导入{('：' + filename) if filename else ''}（共 {len(rows)} 行）"
    try:
        with transaction.atomic():
            created = importer.create(actor, rows, ctx)
            _recheck(actor, importer, created, rows.positions)
            audit_many(
                actor=actor,
                action=importer.audit_action,
                items=((obj, *importer.audit_item(obj, ctx)) for _row, obj in created),
                comment=comment,
            )
    except ScopeViolation as e:
        return _failed(kind, data, e.errors, "有数据不在您的管辖范围内，整个文件未导入。")
    except IntegrityError:
        # Another user saved the same record between our check and our insert (the unique constraints hold).
        return ImportResult(
            kind=kind,
            ok=False,
            message="导入期间有相同的数据被他人登记，全部行均未导入，请重新上传以查看具体的行。",
        )
    return ImportResult(
        kind=kind, ok=True, created=len(created), message=f"已成功导入 {len(created)} 条{importer.label}。"
    )
