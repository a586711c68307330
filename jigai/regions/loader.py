"""Reads the Henan region file (data/henan_regions.csv) and brings a Region table in line with it.

Used by the data migration (with the historical model), by the post_migrate guard and by
`jigai load_regions` (with the real model), so it takes the model class as an argument and imports none.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "henan_regions.csv"
LEVELS = ("province", "city", "county", "zone")
_CODE = re.compile(r"^\d{6}$")


class RegionFileError(ValueError):
    """The region file is malformed; the message says which line and why (in Chinese)."""


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str
    path: str


@dataclass
class SyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    # Codes in the database that the file no longer lists: kept (users and enterprises point at them).
    missing: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_region_file(path: Path | str = DATA_FILE) -> list[RegionRow]:
    """The rows of the file, parents before children, each with its materialised path. Lines starting with
    '#' are comments. Any error stops the whole load (all or nothing)."""
    raw: dict[str, tuple[int, str, str, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    expected = ["code", "name", "level", "parent_code"]
    if reader.fieldnames != expected:
        raise RegionFileError(f"区划文件表头应为 {','.join(expected)}，实际为 {reader.fieldnames}")
    for lineno, rec in enumerate(reader, start=2):
        code = (rec["code"] or "").strip()
        name = (rec["name"] or "").strip()
        level = (rec["level"] or "").strip()
        parent = (rec["parent_code"] or "").strip()
        if not _CODE.match(code):
            raise RegionFileError(f"第 {lineno} 行：区划代码“{code}”不是 6 位数字")
        if code in raw:
            raise RegionFileError(f"第 {lineno} 行：区划代码 {code} 重复")
        if not name:
            raise RegionFileError(f"第 {lineno} 行：区划 {code} 缺少名称")
        if level not in LEVELS:
            raise RegionFileError(f"第 {lineno} 行：级别“{level}”无效，应为 {'/'.join(LEVELS)}")
        if (level == "province") != (parent == ""):
            raise RegionFileError(f"第 {lineno} 行：只有省级区划没有上级代码")
        raw[code] = (lineno, name, level, parent)

    paths: dict[str, str] = {}

    def path_of(code: str, seen: tuple[str, ...] = ()) -> str:
        if code in paths:
            return paths[code]
        lineno, _name, _level, parent = raw[code]
        if not parent:
            paths[code] = code
            return code
        if parent not in raw:
            raise RegionFileError(f"第 {lineno} 行：上级代码 {parent} 不在文件中")
        if code in seen:
            raise RegionFileError(f"第 {lineno} 行：上级关系成环")
        paths[code] = f"{path_of(parent, (*seen, code))}/{code}"
        return paths[code]

    rows = [RegionRow(code, v[1], v[2], v[3], path_of(code)) for code, v in raw.items()]
    rows.sort(key=lambda r: (r.path.count("/"), r.code))
    return rows


def sync_regions(
    region_model: Any, rows: list[RegionRow] | None = None, using: str = "default"
) -> SyncResult:
    """Create or update every region of the file (idempotent: a second run changes nothing)."""
    rows = read_region_file() if rows is None else rows
    manager = region_model._default_manager.db_manager(using)
    existing = {r.code: r for r in manager.all()}
    result = SyncResult()
    to_create, to_update = [], []
    for row in rows:
        values = {
            "name": row.name,
            "level": row.level,
            "parent_id": row.parent_code or None,
            "path": row.path,
        }
        obj = existing.get(row.code)
        if obj is None:
            to_create.append(region_model(code=row.code, **values))
            result.created.append(row.code)
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            to_update.append(obj)
            result.updated.append(row.code)
        else:
            result.unchanged += 1
    # Parents come first in `rows`, and the FK constraints are deferred, so one batch per kind is safe.
    manager.bulk_create(to_create)
    if to_update:
        manager.bulk_update(to_update, ["name", "level", "parent", "path"])
    in_file = {r.code for r in rows}
    result.missing = sorted(code for code in existing if code not in in_file)
    return result
