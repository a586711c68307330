"""GB/T 4754-2017 industry classification (国民经济行业分类): sections and the manufacturing divisions
13–43, read from data/gbt4754.json."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

DATA_FILE = Path(__file__).resolve().parent / "data" / "gbt4754.json"


@cache
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def sections() -> dict[str, str]:
    """Section letter → name (门类)."""
    return {s["code"]: s["name"] for s in _data()["sections"]}


@cache
def divisions() -> dict[str, tuple[str, str]]:
    """Division code → (section letter, name) (大类)."""
    return {d["code"]: (d["section"], d["name"]) for d in _data()["divisions"]}


def section_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in sections().items()]


def division_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, (_s, name) in divisions().items()]


def industry_label(section: str, division: str = "") -> str:
    """“C 制造业 / 35 专用设备制造业”, or "" when nothing is set."""
    parts = []
    if section in sections():
        parts.append(f"{section} {sections()[section]}")
    if division in divisions():
        parts.append(f"{division} {divisions()[division][1]}")
    return " / ".join(parts)


def validate_industry(section: str, division: str) -> None:
    """The section must be known; a division must be one of the shipped ones and belong to the section."""
    errors: dict[str, str] = {}
    if section and section not in sections():
        errors["industry_section"] = "行业门类不存在。"
    if division:
        if division not in divisions():
            errors["industry_division"] = "行业大类不存在（目前仅收录制造业大类 13–43）。"
        elif divisions()[division][0] != section:
            errors["industry_division"] = "行业大类与所选门类不一致。"
    if errors:
        raise ValidationError(errors)
