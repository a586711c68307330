"""The engine's item catalog arranged for the page: items by group (三（一）…三（四）), and for `auto`
every fact once.
"""

from __future__ import annotations

import re
from typing import Any

CLAUSE_GROUP_RE = re.compile(r"^(.*?（[一二三四五六七八九十]+）)")


def group_title(item: dict[str, Any]) -> str:
    """ "三（一）技术改造项目" from the clause "三（一）1" and the group "技术改造项目"."""
    found = CLAUSE_GROUP_RE.match(item.get("clause") or "")
    prefix = found.group(1) if found else ""
    return f"{prefix}{item.get('group') or ''}" or "其他"


def item_groups(catalog: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The items by group (三（一）…三（四）), in catalog order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in catalog:
        groups.setdefault(group_title(item), []).append(item)
    return list(groups.items())


def auto_facts(catalog: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """For `auto`: every fact of every item once (the contract's facts are one flat object, so a key is
    the same input for every item), in the group of its first item, with the choices of all its items."""
    seen: dict[str, dict[str, Any]] = {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in catalog:
        for spec in item.get("facts") or []:
            key = spec["key"]
            if key in seen:
                merged = seen[key]
                known = {str(c[0]) for c in merged["choices"]}
                merged["choices"].extend(list(c) for c in spec.get("choices") or [] if str(c[0]) not in known)
                continue
            copy = {**spec, "choices": [list(c) for c in spec.get("choices") or []]}
            seen[key] = copy
            grouped.setdefault(group_title(item), []).append(copy)
    return list(grouped.items())
