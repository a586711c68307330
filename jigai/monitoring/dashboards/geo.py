"""Henan's 18 city boundaries for the dashboard map, read offline from the npm package `echarts-map`
(installed by `make install` into node_modules; json/province/henan.json: ECharts' compressed GeoJSON whose
feature ids are the GB/T 2260 city codes, Jiyuan 419001 included). The feature names are replaced by the
region names of our table, so the chart's data (keyed by name) always matches. Without the package the
page draws a tile map instead (dash.js) — the issue allows either."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

GEOJSON = Path("echarts-map") / "json" / "province" / "henan.json"


def geojson_path() -> Path:
    return Path(getattr(settings, "NODE_MODULES", Path(settings.BASE_DIR) / "node_modules")) / GEOJSON


@lru_cache(maxsize=1)
def henan_cities(names: tuple[tuple[str, str], ...]) -> bytes | None:
    """The GeoJSON as bytes with properties {name, code}, or None when the package is not installed."""
    path = geojson_path()
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    by_code = dict(names)
    for feature in data.get("features", []):
        code = str(feature.get("id") or "")
        props = feature.setdefault("properties", {})
        props["code"] = code
        props["name"] = by_code.get(code, props.get("name", code))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
