"""The funding app's one door to the rules engine (jigai.policy) and to the registry's case builder
(jigai.registry.facts): facts are never retyped, they come from the object the application is for."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from jigai.core.errors import DomainError

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
    """(code, "技术改造示范项目（三（一）1）") for every item of the engine, in the policy's order: the
    Chinese title with its clause, never the code ("3.2.1-insurance" → "首台（套）重大技术装备保费补贴
    （三（二）1）")."""
    return [(code, f"{title}（{clause}）") for code, title, clause in _catalog()]


def fixed_amount_item_choices() -> list[tuple[str, str]]:
    """The items whose amount is a fixed sum (定额): the only ones a guideline may declare as 头雁 awards."""
    from jigai.policy import is_fixed_amount

    return [(code, label) for code, label in item_choices() if is_fixed_amount(code)]


def item_title(code: str) -> str:
    return next((title for c, title, _ in _catalog() if c == code), code)


def item_label(code: str) -> str:
    return dict(item_choices()).get(code, code)


def reason_label(code: str) -> str:
    from jigai.policy import REASON_LABELS

    return REASON_LABELS.get(code, code)


def validate_overrides(overrides: dict[str, Any], *, round_year: int | None = None) -> None:
    """The guideline's overrides validated whole by the engine (conventions: an override is data, validated
    before use): a value beyond the policy's bound (a cap above its "最高不超过", a threshold below its
    "不低于") is refused with the engine's message. `round_year`: the guideline's year, if known."""
    from jigai.policy import RequestError
    from jigai.policy import validate_overrides as engine_validate

    if not overrides:
        return
    try:
        engine_validate(overrides, round_year=round_year)
    except RequestError as exc:
        raise DomainError(f"本轮参数调整有误：{exc.message}", field="parameter_overrides") from None


def items_for(obj: Any) -> list[str]:
    from jigai.registry.facts import items_for as registry_items_for

    return list(registry_items_for(obj))


def evaluate(
    *,
    obj: Any,
    item: str,
    as_of: dt.date,
    other_provincial_support: bool,
    overrides: dict[str, Any],
    round_year: int | None = None,
    annual_cap_used: Decimal | None = None,
) -> dict[str, Any]:
    """Build the case from the object and evaluate it under the round's overrides.

    `annual_cap_used`: what the enterprise's other awards of the year already take of the item's annual
    cap (三（二）1, 2 "单个企业年度奖励金额最高不超过500万元"); the engine gives what is left of the cap
    at most.

    Returns {"case", "result", "policy", "overrides"}; a case the engine cannot evaluate (a fact missing in
    the registry, …) raises CalculationError with the engine's message."""
    from jigai.registry.facts import calculator_case

    case = calculator_case(obj=obj, item=item, as_of=as_of, other_provincial_support=other_provincial_support)
    if annual_cap_used is not None:
        case["annual_cap_used"] = _contract_money(annual_cap_used)
    response = _run(case, overrides=overrides, round_year=round_year)
    result = response["results"][0]
    explanation = list(result.get("explanation") or [])
    # The round's overrides apply to the cases of its own application year only (the engine's rule).
    applied = bool(overrides) and as_of.year == round_year
    if applied and not any("指南" in line for line in explanation):
        # The reader must see that this round's guideline changed parameters (overrides are data).
        changed = "；".join(f"{k} = {v}" for k, v in sorted(overrides.items()))
        explanation.insert(0, f"本轮申报指南调整了政策参数：{changed}。以下测算按调整后的参数计算。")
        result = {**result, "explanation": explanation}
    return {
        "case": case,
        "result": result,
        "policy": response.get("policy", {}),
        "overrides": overrides or {},
        "round_year": round_year,
    }


def _contract_money(amount: Decimal) -> str:
    """A yuan amount as the calculator contract writes it (the registry's case builder does the same)."""
    from jigai.registry.facts import money

    return money(amount)


def _run(case: dict[str, Any], *, overrides: dict[str, Any] | None, round_year: int | None) -> dict[str, Any]:
    """The one call of the engine for a case of this round; an error of the case raises CalculationError."""
    from jigai.policy import RequestError, evaluate_request

    try:
        response = evaluate_request({"cases": [case]}, overrides=overrides or None, round_year=round_year)
    except RequestError as exc:
        raise CalculationError(f"无法测算：{exc.message}") from None
    result = response["results"][0]
    if "error" in result:
        err = result["error"]
        raise CalculationError(
            f"无法测算：{err.get('message', '')}（{err.get('field', '')}）请先在企业信息中补全相关数据。",
            code="calculation_input",
        )
    return response


def evaluate_frozen_case(
    case: dict[str, Any],
    *,
    overrides: dict[str, Any] | None,
    round_year: int | None,
    annual_cap_used: Decimal | None = None,
) -> dict[str, Any]:
    """The result of an application's frozen case again, with what the enterprise's other awards now take of
    the annual cap (the allocation re-checks 三（二）'s 500万 a year against the awards decided since)."""
    case = dict(case)
    if annual_cap_used is not None:
        case["annual_cap_used"] = _contract_money(annual_cap_used)
    return _run(case, overrides=overrides, round_year=round_year)["results"][0]


def ceiling_of(result: dict[str, Any]) -> Decimal:
    return Decimal(str(result.get("amount", "0")))
