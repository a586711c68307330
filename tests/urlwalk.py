"""Helpers of tests/test_every_url.py: every route of the URL configuration and every operation of the
OpenAPI document, with their path parameters filled by real ids from the data.

How a parameter is filled, without a hand list of URLs:
- a model id (`<int:pk>` of a page, `{id}` of the API) takes the model of the path segment just before it
  (`registry/projects/<int:pk>/edit/` → Project; `/api/v1/funding/applications/{id}/submit` →
  Application) from SEGMENT_MODELS; a few URL names say their model themselves (NAME_MODELS);
- a parameter that is not a model id (a slug, a token) has a filler for its URL name in SPECIAL;
- anything else cannot be filled: the route is returned with `missing` set, and the test fails with
  "add a filler for <name>", so a new URL is never skipped silently.

For a model, the ids are chosen per user: the first and last object the user may see (restrict), one the
user may not see (the latest outside the scope, e.g. of another city), the first and last of the whole
table, and one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
API_PARAM = re.compile(r"\{(?P<name>[^}]+)\}")


@dataclass(frozen=True)
class Route:
    name: str  # "registry:project_detail" (namespaced), or the route itself when the pattern has no name
    route: str  # "registry/projects/<int:pk>/"
    params: tuple[str, ...]


def routes() -> list[Route]:
    """Every URL pattern of the project, walked recursively through includes."""
    return list(_walk(get_resolver().url_patterns, "", ()))


def _walk(patterns: list[Any], prefix: str, namespaces: tuple[str, ...]) -> Iterator[Route]:
    for p in patterns:
        text = prefix + _pattern_text(p.pattern)
        if isinstance(p, URLResolver):
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            yield from _walk(p.url_patterns, text, ns)
        elif isinstance(p, URLPattern):
            name = ":".join((*namespaces, p.name)) if p.name else text
            yield Route(name=name, route=text, params=tuple(m["name"] for m in PARAM.finditer(text)))


def _pattern_text(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        # A regex without groups is a plain path; one with groups is left as "<regex>" (unfillable).
        raw = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        if pattern.regex.groups:
            return f"<regex:{raw}>"
        return raw.replace("\\", "")
    return str(pattern)


def segment_before(path: str, param: str, pattern: re.Pattern[str]) -> str:
    """The literal path segment just before the parameter (`projects` in `registry/projects/<int:pk>/`)."""
    parts = [s for s in path.split("/") if s]
    for i, s in enumerate(parts):
        m = pattern.fullmatch(s)
        if m and m["name"] == param:
            return parts[i - 1] if i else ""
    return ""


def model_ids(model: type[models.Model], user: Any) -> list[int]:
    """Ids to try for a model as this user: in scope, out of scope, first/last of all, one missing."""
    qs = model._default_manager.order_by("pk")
    picks: list[Any] = [qs.first(), qs.last()]
    if user is not None and user.is_authenticated and hasattr(qs, "restrict"):
        mine = qs.restrict(user, "view").order_by("pk")
        picks += [mine.first(), mine.last()]
        picks.append(qs.exclude(pk__in=mine.values("pk")).order_by("-pk").first())
    ids: list[int] = []
    for obj in picks:
        if obj is not None and obj.pk not in ids:
            ids.append(obj.pk)
    if ids:
        ids.append(max(ids) + 100_000)  # does not exist
    return ids


Filler = Callable[[Any], list[dict[str, Any]]]


@dataclass
class Fillers:
    """The mapping from the URL configuration to the data (see the module docstring)."""

    # A model or its label ("funding.Guideline"); a label whose model does not exist counts as no filler.
    segment_models: dict[str, type[models.Model] | str]
    name_models: dict[str, type[models.Model] | str] = field(default_factory=dict)
    special: dict[str, Filler] = field(default_factory=dict)

    def model_for(self, name: str, path: str, param: str, pattern: re.Pattern[str]) -> Any:
        found = self.name_models.get(name) or self.segment_models.get(segment_before(path, param, pattern))
        if isinstance(found, str):
            try:
                return apps.get_model(found)
            except LookupError:
                return None
        return found

    def fill(self, name: str, path: str, params: tuple[str, ...], user: Any, pattern: re.Pattern[str]):
        """A list of {param: value} to request, [] when the model has no rows, None when unfillable."""
        if not params:
            return [{}]
        if name in self.special:
            return self.special[name](user)
        choices: dict[str, list[int]] = {}
        for param in params:
            model = self.model_for(name, path, param, pattern)
            if model is None:
                return None
            choices[param] = model_ids(model, user)
        if any(not ids for ids in choices.values()):
            return []
        width = max(len(ids) for ids in choices.values())
        return [{p: ids[min(i, len(ids) - 1)] for p, ids in choices.items()} for i in range(width)]


def build_path(route: str, values: dict[str, Any], pattern: re.Pattern[str] = PARAM) -> str:
    return "/" + pattern.sub(lambda m: str(values[m["name"]]), route).lstrip("/")


def app_extras() -> list[Any]:
    """The `jigai.<app>.tests.every_url` modules that exist (an app's own fillers for the every-URL test)."""
    import importlib
    import importlib.util

    from django.apps import apps

    out = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.every_url"
        if config.name.startswith("jigai.") and importlib.util.find_spec(f"{config.name}.tests") is not None:
            if importlib.util.find_spec(name) is not None:
                out.append(importlib.import_module(name))
    return out
