"""Every API schema class has a name of its own: ninja names the OpenAPI components after the class, so two
areas' `RegionOut` would silently share one definition and one of them would answer against the other's
schema (found when the monitoring dashboards' RegionOut replaced the registry's)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "jigai"
BASES = {"Schema", "ModelSchema", "_In", "FilterSchema"}


def test_schema_class_names_are_unique_across_the_api():
    seen: dict[str, list[str]] = defaultdict(list)
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith(
                "_"
            ):  # private bases: no component
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if bases & BASES or any(n.endswith(("In", "Out")) for n in bases):
                    seen[node.name].append(str(path.relative_to(ROOT)))
    twice = {name: where for name, where in seen.items() if len(where) > 1}
    assert not twice, twice
