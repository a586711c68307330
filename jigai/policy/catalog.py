"""What a form needs to ask for each item: its clause, title, group and fact fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from jigai.policy.items import ITEMS, annual_cap_group, is_fixed_amount
from jigai.policy.params import ParameterBook, default_book


def item_catalog(
    as_of: date | None = None, *, parameters: ParameterBook | None = None
) -> list[dict[str, Any]]:
    """For each item in contract order: code, clause, title, group, the clause's text, its facts, its
    annual cap group (or None) and whether its amount is fixed (定额).

    `as_of` picks the parameter version (the lists of titles, project types … in force on that day);
    without it, the latest version.
    """
    book = parameters or default_book()
    version = (book.version_on(as_of) if as_of else None) or book.versions[-1]
    out = []
    for item in ITEMS.values():
        facts = [f.describe() for f in item.facts]
        for fact in facts:
            _mark_supported(item.code, fact, version.parameters)
        out.append(
            {
                "code": item.code,
                "clause": item.clause,
                "title": item.title,
                "group": item.group,
                "clause_text": version.clauses.get(item.clause, ""),
                "facts": facts,
                # 三（二）1、2: the 单个企业年度 cap the item counts against (case field annual_cap_used)
                "annual_cap_group": annual_cap_group(item.code),
                "fixed_amount": is_fixed_amount(item.code),  # 定额: a sum the policy sets
            }
        )
    return out


# Which list parameter decides whether a choice of a fact is supported (the form can mark the others).
_SUPPORTING_LISTS = {
    ("3.1.1", "project_type"): "3.1.1.project_types",
    ("3.3.1-provincial", "level"): "3.3.1-provincial.levels",
    ("3.3.1-national-promotion", "level"): "3.3.1-national-promotion.levels",
    ("3.3.3", "level"): "3.3.3.levels",
    ("3.4.1", "title"): "3.4.1.titles",
    ("3.4.1", "awarded_by"): "3.4.1.awarding_bodies",
    ("3.4.2", "title"): "3.4.2.titles",
    ("3.4.2", "awarded_by"): "3.4.2.awarding_bodies",
}


def _mark_supported(code: str, fact: dict[str, Any], parameters: dict) -> None:
    path = _SUPPORTING_LISTS.get((code, fact["key"]))
    if path is None or path not in parameters:
        return
    listed = parameters[path].value
    fact["supported"] = [k for k, _label in fact.get("choices", []) if k in listed]
