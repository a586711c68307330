"""Imports point one way (design.md "Architecture", issue 8):

    policy ← registry ← supervision, land;  registry ← funding ← financing;  all ← monitoring (the top);
    core, accounts, audit, regions, workdays at the bottom.

The test parses every module of the project (imports inside functions too) and checks the direction, and
that each app says in its package docstring or README what it holds and what it may import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "jigai"
BOTTOM = {"core", "accounts", "audit", "regions", "workdays"}
# app → the apps it must never import
FORBIDDEN = {
    "registry": {"funding", "monitoring", "financing", "land", "supervision"},
    "funding": {"monitoring", "financing", "land", "supervision"},
    "supervision": {"funding", "monitoring", "financing", "land"},
    "financing": {"monitoring", "land", "supervision"},
    "land": {"funding", "monitoring", "financing", "supervision"},
}


def _module_of(path: Path) -> tuple[str, str]:
    """(dotted module name, dotted package that relative imports start from)."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), ".".join(parts[:-1])
    return ".".join(parts), ".".join(parts[:-1])


def project_imports(path: Path) -> set[str]:
    """Every `jigai.…` module the file imports, relative imports resolved."""
    _module, package = _module_of(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                names = [node.module or ""]
            # `from jigai import registry` names the app in the imported names
            names += [f"{names[0]}.{a.name}" for a in node.names if names[0] == "jigai"]
        else:
            continue
        found.update(n for n in names if n.startswith("jigai."))
    return found


def _sources() -> list[Path]:
    return [p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts and "tests" not in p.parts]


def _app(path_or_module: Path | str) -> str:
    if isinstance(path_or_module, Path):
        return path_or_module.relative_to(ROOT).parts[0].removesuffix(".py")
    return path_or_module.split(".")[1]


def _edges() -> list[tuple[str, str, str]]:
    """(importing module, its app, imported app) for every import that crosses apps."""
    out = []
    for path in _sources():
        app = _app(path)
        for target in project_imports(path):
            other = _app(target)
            if other != app:
                out.append((_module_of(path)[0], app, other))
    return out


def _pure(module: str) -> bool:
    """A module of jigai.core that imports no Django (the engine may share it)."""
    path = ROOT.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT.parent / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        if any(n == "django" or n.startswith("django.") or n.startswith("jigai.") for n in names):
            return False
    return True


def test_the_parser_sees_relative_and_function_level_imports():
    sample = ROOT / "funding" / "services" / "workflow.py"
    seen = project_imports(sample)
    assert "jigai.funding.models" in seen and "jigai.core.workflow" in seen


def test_the_engine_imports_no_app():
    for path in _sources():
        if _app(path) != "policy":
            continue
        for target in project_imports(path):
            if _app(target) == "policy":
                continue
            assert _app(target) == "core" and _pure(target), f"{path}: imports {target}"


def test_the_bottom_layer_imports_no_app_above_it():
    bad = [(m, other) for m, app, other in _edges() if app in BOTTOM and other not in BOTTOM]
    assert bad == []


def test_core_imports_no_app():
    bad = [(m, other) for m, app, other in _edges() if app == "core"]
    assert bad == []


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_higher_apps_are_never_imported_from_below(app):
    bad = [(m, other) for m, a, other in _edges() if a == app and other in FORBIDDEN[app]]
    assert bad == []


def test_every_app_says_what_it_holds_and_may_import():
    for package in sorted(p.parent for p in ROOT.glob("*/__init__.py")):
        readme = package / "README.md"
        text = readme.read_text(encoding="utf-8") if readme.exists() else ""
        text += ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "import" in text, f"{package.name}: no README or docstring saying what it may import"
