"""The funding app's one door to the rules engine (jigai.policy) and to the registry's case builder
(jigai.registry.facts): facts are never retyped, they come from the object the application is for."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from jigai.web.errors import DomainError

# Which registry model an item's object is (policy 三: 一 projects, 二 products, 三 platforms, 四 titles).
TARGET_OF_GROUP = {"3.1": "project", "3.2": "product", "3.3": "platform", "3.4": "title"}
TARGET_LABELS = {"project": "技术改造项目", "product": "产品", "platform": "平台", "title": "试点示范称号"}


class CalculationError(DomainError):
    default_code = "calculation"


@functools.cache
def _catalog() -> tuple[tuple[str, str, str], ...]:
    from jigai.policy import item_catalog

    return tuple((e["code"], e["title"], e["clause"]) for e in item_catalog())


def item_choices() -> list[tuple[str, str]]:
    """(code, "3.1.1 技术改造示范项目（三（一）1）") for every item of the engine, in the policy's order."""
    return [(code, f"{code} {title}（{clause}）") for code, title, clause in _catalog()]


def item_title(code: str) -> str:
    return next((title for c, title, _ in _catalog() if c == code), code)


def item_label(code: str) -> str:
    return dict(item_choices()).get(code, code)


def reason_label(code: str) -> str:
    from jigai.policy import REASON_LABELS

    return REASON_LABELS.get(code, code)


def validate_overrides(overrides: dict[str, Any]) -> None:
    """The guideline's overrides validated whole (conventions: an override is data, validated before use)."""
    from jigai.policy import RequestError
    from jigai.policy import validate_overrides as engine_validate

    if not overrides:
        return
    try:
        engine_validate(overrides)
    except RequestError as exc:
        raise DomainError(f"本轮参数调整有误：{exc.message}", field="parameter_overrides") from None


def items_for(obj: Any) -> list[str]:
    from jigai.registry.facts import items_for as registry_items_for

    return list(registry_items_for(obj))


def evaluate(
    *, obj: Any, item: str, as_of: dt.date, other_provincial_support: bool, overrides: dict[str, Any]
) -> dict[str, Any]:
    """Build the case from the object and evaluate it under the round's overrides.

    Returns {"case", "result", "policy", "overrides"}; a case the engine cannot evaluate (a fact missing in
    the registry, …) raises CalculationError with the engine's message."""
    from jigai.policy import RequestError, evaluate_request
    from jigai.registry.facts import calculator_case

    case = calculator_case(obj=obj, item=item, as_of=as_of, other_provincial_support=other_provincial_support)
    try:
        response = evaluate_request({"cases": [case]}, overrides=overrides or None)
    except RequestError as exc:
        raise CalculationError(f"无法测算：{exc.message}") from None
    result = response["results"][0]
    if "error" in result:
        err = result["error"]
        raise CalculationError(
            f"无法测算：{err.get('message', '')}（{err.get('field', '')}）请先在企业信息中补全相关数据。",
            code="calculation_input",
        )
    explanation = list(result.get("explanation") or [])
    if overrides and not any("指南" in line for line in explanation):
        # The reader must see that this round's guideline changed parameters (overrides are data).
        changed = "；".join(f"{k} = {v}" for k, v in sorted(overrides.items()))
        explanation.insert(0, f"本轮申报指南调整了政策参数：{changed}。以下测算按调整后的参数计算。")
        result = {**result, "explanation": explanation}
    return {
        "case": case,
        "result": result,
        "policy": response.get("policy", {}),
        "overrides": overrides or {},
    }


def ceiling_of(result: dict[str, Any]) -> Decimal:
    return Decimal(str(result.get("amount", "0")))
