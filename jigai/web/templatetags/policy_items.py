"""`{{ codes|item_names }}`: the policy 三 items a record can apply for, by their Chinese names with the
clause ("技术改造示范项目（三（一）1）、…"), never the engine's codes (issue 9); "—" for none."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django import template

register = template.Library()


@cache
def _names() -> dict[str, str]:
    from jigai.policy import item_catalog

    return {e["code"]: f"{e['title']}（{e['clause']}）" for e in item_catalog()}


@register.filter
def item_names(codes: Iterable[str] | None) -> str:
    names = [_names().get(code, code) for code in codes or ()]
    return "、".join(names) or "—"
