"""From what was typed to the contract's values; an error goes on its field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from jigai.web.calculator_forms.tree import Field

MONEY_RE = re.compile(r"^\d{1,16}(\.\d{1,2})?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_RE = re.compile(r"^-?\d{1,9}$")
REQUIRED = "请填写此项"
CHOOSE = "请选择一项"

MISSING = object()


def clean_field(f: Field) -> Any:
    """The field's value for the contract, or MISSING when it is left out; errors go on the field."""
    if f.is_rows:
        rows = [row for row in f.rows if row.filled]  # a row added and left blank is ignored
        values = []
        for row in rows:
            item = {}
            for sub in row.fields:
                value = clean_field(sub)
                if value is not MISSING:
                    item[sub.key] = value
            values.append(item)
        if not rows:
            if f.required and f.min_items:
                f.errors.append(f"请至少填写 {f.min_items} 行")
            return [] if f.required else MISSING
        return values
    if f.widget == "checkbox":
        return bool(f.value)
    if f.widget == "multi":
        if any(v not in f.choice_values for v in f.value):
            f.errors.append(CHOOSE)
            return MISSING
        if not f.value and not f.required:
            return MISSING
        return [f.choice_values[v] for v in f.value]
    if f.widget == "tristate":
        if f.value in {"true", "false"}:
            return f.value == "true"
        if f.value:
            f.errors.append(CHOOSE)
        return MISSING
    raw = f.value
    if raw == "":
        if f.nullable:
            return None
        if f.required:
            f.errors.append(CHOOSE if f.widget == "select" else REQUIRED)
        return MISSING
    if f.widget == "money":
        return _clean_money(f, raw)
    if f.widget == "wan":
        return _clean_wan(f, raw)
    if f.widget == "int":
        if not INT_RE.match(raw):
            f.errors.append("请输入整数")
            return MISSING
        return int(raw)
    if f.widget == "date":
        return _clean_date(f, raw)
    if f.widget == "select":
        if raw not in f.choice_values:
            f.errors.append(CHOOSE)
            return MISSING
        return f.choice_values[raw]
    if len(raw) > 200:
        f.errors.append("不超过 200 个字")
        return MISSING
    return raw


def _clean_money(f: Field, raw: str) -> Any:
    # People write amounts with thousands separators and the unit; the contract wants plain yuan.
    text = re.sub(r"[,，\s]", "", raw).removesuffix("元")
    if text.startswith("-"):
        f.errors.append("金额不能为负数")
        return MISSING
    if re.fullmatch(r"\d+\.\d{3,}", text):
        f.errors.append("金额最多两位小数（精确到分）")
        return MISSING
    if not MONEY_RE.match(text):
        f.errors.append("请输入以元为单位的金额，例如 12345678.90")
        return MISSING
    return str(Decimal(text))  # drops leading zeros: "007" → "7"


def _clean_wan(f: Field, raw: str) -> Any:
    """An amount typed in 万元 ("1,200.5", up to 6 decimals: the fen) → the contract's plain yuan."""
    from jigai.core.forms import WAN_MESSAGE, yuan_from_wan

    text = re.sub(r"\s", "", raw).removesuffix("万元")
    if text.startswith("-"):
        f.errors.append("金额不能为负数")
        return MISSING
    yuan = yuan_from_wan(text)
    if yuan is None:
        f.errors.append(f"{WAN_MESSAGE}，例如 1200.5")
        return MISSING
    return str(yuan)


def _clean_date(f: Field, raw: str) -> Any:
    try:
        if not DATE_RE.match(raw):
            raise ValueError
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        f.errors.append("请输入日期，格式为 年-月-日，例如 2022-06-30")
        return MISSING
