"""The form tree: fields and repeatable rows, each named by its contract path, built from the
catalog's fact specs and the POST data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

AUTO = "auto"
ROWS_PREFIX = "rows:"
MAX_ROWS = 50  # a hand-filled form never needs more; bounds what a crafted POST can make us build

TRUE = {"on", "true", "1"}


# --- the form tree -----------------------------------------------------------------------------------


class _Node:
    """A field or a row: its errors, and those of what it holds (a list field's rows, a row's fields)."""

    path: str
    errors: list[str]

    def _parts(self) -> list[Any]:  # pragma: no cover - interface
        raise NotImplementedError

    def _dom_id(self, prefix: str) -> str:
        return prefix + re.sub(r"[^0-9A-Za-z_-]", "-", self.path)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(part.has_errors for part in self._parts())


@dataclass
class Field(_Node):
    """One input, or one repeatable list of rows. `path` is the contract path and the HTML name."""

    path: str
    key: str
    label: str
    widget: str  # money | int | date | select | checkbox | tristate | text | multi | rows
    required: bool = False  # blank is an error
    nullable: bool = False  # blank is sent as null (a rank not awarded)
    choices: list[tuple[str, str]] = field(default_factory=list)
    choice_values: dict[str, Any] = field(default_factory=dict)  # shown value → JSON value
    help: str = ""
    min_items: int = 0
    value: Any = ""  # as typed: str; list[str] for multi; bool for checkbox
    errors: list[str] = field(default_factory=list)
    row_specs: list[dict[str, Any]] = field(default_factory=list)  # rows only: the catalog's `fields`
    rows: list[Row] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path

    @property
    def id(self) -> str:
        return self._dom_id("f-")

    @property
    def rows_name(self) -> str:
        return ROWS_PREFIX + self.path

    @property
    def is_rows(self) -> bool:
        return self.widget == "rows"

    @property
    def filled(self) -> bool:
        if self.is_rows:
            return any(row.filled for row in self.rows)
        return bool(self.value)

    def _parts(self) -> list[Row]:
        return self.rows


@dataclass
class Row(_Node):
    path: str
    fields: list[Field]
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self._dom_id("r-")

    @property
    def index(self) -> int:
        return int(self.path.rsplit("[", 1)[1].rstrip("]"))

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def inline_fields(self) -> list[Field]:
        return [f for f in self.fields if not f.is_rows]

    @property
    def nested_fields(self) -> list[Field]:
        return [f for f in self.fields if f.is_rows]

    @property
    def filled(self) -> bool:
        return any(f.filled for f in self.fields)

    def _parts(self) -> list[Field]:
        return self.fields


@dataclass
class FactGroup:
    title: str
    fields: list[Field]

    @property
    def open(self) -> bool:
        return any(f.filled or f.has_errors for f in self.fields)


# --- building the tree from POST data ---------------------------------------------------------------


def _widget(spec: dict[str, Any], *, auto: bool) -> str:
    kind = spec.get("type", "text")
    if kind == "list":
        return "rows" if spec.get("fields") else "multi"  # multi: e.g. recognitions [provincial, national]
    if kind == "bool":
        return "tristate" if auto else "checkbox"  # in auto mode "not given" must differ from "no"
    if spec.get("choices"):
        return "select"  # enums, and ints with named values (考核等次 1/2/3)
    if kind == "money" and spec.get("key") not in YUAN_KEYS:
        return "wan"  # officers write investments, revenues and sums insured in 万元
    return kind if kind in {"money", "int", "date", "text"} else "text"


# Small amounts kept in 元 by their own documents (the money rule, jigai.core.money): 保费, 发票金额.
YUAN_KEYS = frozenset({"premium", "amount", "sales_invoice_amount"})


def wan_label(label: str) -> str:
    """ "设备实际投资（元）" → "设备实际投资（万元）": the unit the box takes."""
    return label.replace("（元）", "（万元）").replace("（元，", "（万元，")


def row_count(data: QueryDict | None, path: str, default: int) -> int:
    raw = data.get(ROWS_PREFIX + path) if data is not None else None
    if raw is None or not raw.isdigit():
        return default
    return min(int(raw), MAX_ROWS)


def build_field(spec: dict[str, Any], path: str, data: QueryDict | None, *, auto: bool) -> Field:
    widget = _widget(spec, auto=auto)
    choices = [(c[0], c[1]) for c in spec.get("choices") or []]
    nullable = bool(spec.get("nullable"))
    f = Field(
        path=path,
        key=spec["key"],
        label=wan_label(spec.get("label") or spec["key"])
        if widget == "wan"
        else spec.get("label") or spec["key"],
        widget=widget,
        # auto: only what is filled is sent, so the engine tries the items whose facts are all there
        required=not auto and not nullable and spec.get("required", True) and widget != "checkbox",
        nullable=nullable and not auto,
        choices=[(str(v), label) for v, label in choices],
        choice_values={str(v): v for v, _ in choices},
        help=spec.get("help", ""),
        min_items=int(spec.get("min_items") or 0),
        row_specs=list(spec.get("fields") or []),
    )
    if widget == "rows":
        count = row_count(data, path, max(1, f.min_items))
        f.rows = [build_row(f.row_specs, f"{path}[{i}]", data) for i in range(count)]
    elif widget == "multi":
        f.value = data.getlist(path) if data is not None else []
    elif widget == "checkbox":
        f.value = data is not None and data.get(path) in TRUE
    else:
        f.value = data.get(path, "").strip() if data is not None else ""
    return f


def build_row(specs: list[dict[str, Any]], path: str, data: QueryDict | None) -> Row:
    # Inside a row every input is asked for, also in auto mode: a half-filled row is a mistake.
    return Row(path=path, fields=[build_field(s, f"{path}.{s['key']}", data, auto=False) for s in specs])


def repath(f: Field, path: str) -> None:
    f.path = path
    for i, row in enumerate(f.rows):
        row.path = f"{path}[{i}]"
        for sub in row.fields:
            repath(sub, f"{row.path}.{sub.key}")
