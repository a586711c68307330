"""Evaluating a request of the contract: input checks, items, `auto`, and the cross-case rules."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from jigai.core.money import yuan_wan as fmt_yuan_wan
from jigai.policy.errors import CaseError, RequestError
from jigai.policy.facts import CaseInfo
from jigai.policy.items import CEILING_MARK, CROSS_CLAUSE, ITEM_ORDER, ITEMS, Item
from jigai.policy.labels import QUALIFICATION_LABELS, REASON_LABELS
from jigai.policy.params import ParameterBook, Params, default_book
from jigai.policy.values import (
    DATE_CACHE,
    MONEY_RE,
    USCC_OK,
    parse_bool,
    parse_date,
    parse_money,
    validate_uscc,
)

AUTO = "auto"
ZERO = Decimal(0)
_ABSENT = object()
_ITEM_NAMES = "、".join(ITEMS)
_LARGE = 1000  # cases from which the cyclic garbage collector is paused during a batch


def evaluate_request(
    body: object,
    *,
    overrides: dict | None = None,
    round_year: int | None = None,
    parameters: ParameterBook | None = None,
) -> dict[str, Any]:
    """The response of the contract for a parsed JSON request.

    Raises `RequestError` when the body is refused as a whole (not an object with a `cases` list, bad
    `explain`, bad overrides); an invalid case gets `{"id", "error": {"field", "message"}}` in its place.
    `overrides` are a guideline's for its round: they need `round_year` (the application year of that
    round) and apply only to the cases whose `as_of` falls in that year; the other cases are evaluated
    under the policy as it stands. `parameters` replaces the shipped parameter versions (tests, what-if
    studies).
    """
    batch = Batch.from_body(body, overrides=overrides, round_year=round_year, parameters=parameters)
    with _gc_paused(len(batch.cases) > _LARGE):
        results, entries, latest = batch.evaluate_slice(0, len(batch.cases))
        for index, first in batch.one_per_year(entries):
            results[index] = _one_per_year(results[index], first)
    return {"policy": batch.policy_header(latest), "results": results}


def evaluate_case(
    case: dict,
    *,
    explain: bool = True,
    overrides: dict | None = None,
    round_year: int | None = None,
    parameters: ParameterBook | None = None,
) -> dict[str, Any]:
    """One case alone (no cross-case rules beyond its own `other_provincial_support`).

    Raises `CaseError` (with `.field` and `.message`) when the case is not valid input; overrides and
    `round_year` as for `evaluate_request`.
    """
    batch = Batch([case], explain, parameters or default_book(), overrides, round_year)
    result, _ = batch.evaluate(case, 0)
    return result


class _gc_paused:
    """A large batch creates millions of acyclic containers: the cyclic collector would only rescan them."""

    def __init__(self, active: bool) -> None:
        self.active = active and gc.isenabled()

    def __enter__(self) -> None:
        if self.active:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.active:
            gc.enable()


# (as_of, id, index) of an otherwise eligible case; such cases grouped by (uscc, year) for ONE_PER_YEAR.
Entry = tuple[date, str, int]
Groups = dict[tuple[str, int], "int | list[int]"]


class Batch:
    """One request's cases with what they share: parameters, overrides, the ids seen."""

    def __init__(
        self,
        cases: list,
        explain: bool,
        book: ParameterBook,
        overrides: dict | None,
        round_year: int | None = None,
    ) -> None:
        self.cases = cases
        self.explain = explain
        self.book = book
        self.round_year = _round_year(round_year, bool(overrides))
        self.overrides = book.validate_overrides(overrides, round_year=self.round_year) if overrides else {}
        self.need_uscc = len(cases) > 1
        self.first_index: dict[str, int] = {}  # id → index of its first case (duplicates are errors)
        self._params: dict[tuple[str, bool], Params] = {}
        self._on_raw: dict[str, tuple[date, str, Params]] = {}  # as_of string → (date, version, params)

    @classmethod
    def from_body(
        cls,
        body: object,
        *,
        overrides: dict | None,
        parameters: ParameterBook | None,
        round_year: int | None = None,
    ) -> Batch:
        if not isinstance(body, dict):
            raise RequestError('请求应为 JSON 对象，形如 {"cases": [...]}')
        cases = body.get("cases")
        if cases is None:
            raise RequestError("请求缺少 cases（案例列表）", field="cases")
        if not isinstance(cases, list):
            raise RequestError("cases 应为列表", field="cases")
        explain = body.get("explain", True)
        if explain is not True and explain is not False:
            raise RequestError("explain 应为 true 或 false", field="explain")
        return cls(cases, explain, parameters or default_book(), overrides, round_year)

    def index_ids(self) -> None:
        """Records every id's first case up front (when slices are evaluated apart)."""
        first = self.first_index
        for index, raw in enumerate(self.cases):
            if type(raw) is dict:
                case_id = raw.get("id")
                if type(case_id) is str and case_id and case_id not in first:
                    first[case_id] = index

    def evaluate_slice(
        self, start: int, stop: int, serialize: Callable[[dict], Any] | None = None
    ) -> tuple[list[Any], Groups, date | None]:
        """The results of cases[start:stop] (each passed through `serialize` when given), the otherwise
        eligible cases grouped by (uscc, year) (an index, or a list of indexes once a second one comes),
        and the latest `as_of`."""
        results: list[Any] = []
        append = results.append
        by_year: Groups = {}
        latest = date.min
        evaluate = self.evaluate
        cases = self.cases
        for index in range(start, stop):
            raw = cases[index]
            try:
                result, case = evaluate(raw, index)
            except CaseError as exc:
                error = {"id": _raw_id(raw), "error": exc.as_dict()}
                append(error if serialize is None else serialize(error))
                continue
            append(result if serialize is None else serialize(result))
            as_of = case.as_of
            if as_of > latest:
                latest = as_of
            if result["eligible"]:
                uscc = case.uscc
                if uscc is not None:
                    key = (uscc, as_of.year)
                    seen = by_year.get(key)
                    if seen is None:
                        by_year[key] = index
                    elif type(seen) is int:
                        by_year[key] = [seen, index]
                    else:
                        seen.append(index)
        return results, by_year, None if latest == date.min else latest

    def one_per_year(self, groups: Groups) -> list[tuple[int, Entry]]:
        """三（末段）: among the otherwise eligible cases of one enterprise and year, the first by
        (as_of, id) keeps its result; returns (index, (as_of, id, index) of the first) for every later one."""
        later = []
        cases = self.cases
        for group in groups.values():
            if type(group) is int:
                continue
            entries = sorted((parse_date(cases[i]["as_of"], "as_of"), cases[i]["id"], i) for i in group)
            first = entries[0]
            later.extend((index, first) for _as_of, _id, index in entries[1:])
        return later

    def policy_header(self, latest: date | None) -> dict[str, Any]:
        """The version of the latest application date of the request (each result names its own)."""
        version = self.book.version_on(latest) if latest is not None else None
        policy: dict[str, Any] = (version or self.book.versions[-1]).header()
        if self.overrides:
            policy["overrides"] = self.overrides
            policy["round_year"] = self.round_year
        return policy

    def evaluate(self, raw: object, index: int) -> tuple[dict[str, Any], CaseInfo]:
        if type(raw) is not dict:
            raise CaseError("case", "每个案例应为 JSON 对象")
        case_id = raw.get("id")
        if type(case_id) is not str or not case_id:
            raise CaseError("id", "id 应为非空字符串")
        if self.first_index.setdefault(case_id, index) != index:
            raise CaseError("id", f"id {case_id!r} 在本请求中重复，须唯一")
        code = raw.get("item")
        item = ITEMS.get(code) if type(code) is str else None
        if item is None and code != AUTO:
            raise CaseError("item", f"未知的支持项目 {code!r}，应为 {_ITEM_NAMES} 或 auto 之一")
        try:
            as_of_raw = raw["as_of"]
        except KeyError:
            raise CaseError("as_of", "缺少申报日期 as_of") from None
        # The application dates of a batch repeat: each string → (date, version name, parameters) once.
        found = self._on_raw.get(as_of_raw) if type(as_of_raw) is str else None
        if found is None:
            found = self._resolve_as_of(as_of_raw)
        as_of, version_name, P = found
        case = _case_info(raw, case_id, as_of, self.need_uscc)
        facts = raw.get("facts")
        if type(facts) is not dict:
            raise CaseError("facts", "缺少 facts（事实），应为 JSON 对象")
        if item is not None:
            result = item.run(item.parse_facts(facts), case, P, self.explain, case_id)
        else:
            result = _auto(case_id, facts, case, P, self.explain)
        result["policy_version"] = version_name
        return result, case

    def _resolve_as_of(self, as_of_raw: object) -> tuple[date, str, Params]:
        as_of = DATE_CACHE.get(as_of_raw) if type(as_of_raw) is str else None
        if as_of is None:
            as_of = parse_date(as_of_raw, "as_of")
        version = self.book.version_on(as_of)
        if version is None:
            version = self.book.first_version_or_error(as_of)
        # A guideline's overrides belong to its round: a case of another application year is evaluated
        # under the policy as it stands (the contract: the year of `as_of` is the application year).
        in_round = as_of.year == self.round_year
        key = (version.version, in_round)
        P = self._params.get(key)
        if P is None:
            P = self._params[key] = self.book.params(version, self.overrides if in_round else None)
        found = (as_of, version.version, P)
        if type(as_of_raw) is str and len(self._on_raw) < 100_000:
            self._on_raw[as_of_raw] = found
        return found


def _round_year(value: object, needed: bool) -> int | None:
    """The application year a request's overrides belong to (required with overrides)."""
    if value is None:
        if needed:
            raise RequestError(
                "参数调整只适用于其所属申报年度：请同时给出 round_year（申报年度，如 2023），"
                "该年度以外的案例按政策原值计算",
                field="round_year",
            )
        return None
    if type(value) is not int or not 1000 <= value <= 9999:
        raise RequestError(
            f"round_year（申报年度）应为四位整数年份，如 2023，收到 {value!r}", field="round_year"
        )
    return value


def _raw_id(raw: object) -> object:
    if isinstance(raw, dict):
        value = raw.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
    return None


def _case_info(raw: dict, case_id: str, as_of: date, need_uscc: bool) -> CaseInfo:
    applicant = raw.get("applicant")
    if type(applicant) is not dict:
        raise CaseError("applicant", "缺少 applicant（申报单位），应为 JSON 对象")
    uscc = applicant.get("uscc")
    if uscc is None:
        if need_uscc:
            raise CaseError(
                "applicant.uscc", "请求含多个案例时每个案例须填写统一社会信用代码（用于同一企业的跨案例规则）"
            )
    elif type(uscc) is not str or uscc not in USCC_OK:
        validate_uscc(uscc)
    try:
        in_henan = applicant["in_henan"]
    except KeyError:
        raise CaseError("applicant.in_henan", "缺少 in_henan（是否省内注册并研发制造）") from None
    if in_henan is not True and in_henan is not False:
        parse_bool(in_henan, "applicant.in_henan")
    quals_raw = applicant.get("qualifications")
    quals: list[tuple[str, date, date]] = []
    if quals_raw:
        if type(quals_raw) is not list:
            raise CaseError("applicant.qualifications", "qualifications 应为列表")
        dates = DATE_CACHE
        for i, q in enumerate(quals_raw):
            # The common case inline: a known kind and two dates already seen, in order.
            if type(q) is dict:
                kind = q.get("kind")
                start = q.get("valid_from")
                end = q.get("valid_to")
                if (
                    type(start) is str
                    and type(end) is str
                    and type(kind) is str
                    and kind in QUALIFICATION_LABELS
                ):
                    start = dates.get(start)
                    end = dates.get(end)
                    if start is not None and end is not None and start <= end:
                        quals.append((kind, start, end))
                        continue
            try:
                quals.append(_qualification(q))
            except CaseError as exc:
                raise CaseError(f"applicant.qualifications[{i}]{exc.field}", exc.message) from None
    elif quals_raw is not None and type(quals_raw) is not list:
        raise CaseError("applicant.qualifications", "qualifications 应为列表")
    try:
        other = raw["other_provincial_support"]
    except KeyError:
        raise CaseError(
            "other_provincial_support",
            "缺少 other_provincial_support（同一项目是否已获省级其他专项资金支持）",
        ) from None
    if other is not True and other is not False:
        parse_bool(other, "other_provincial_support")
    # 三（二）1、2: what other awards of the year already take of the enterprise's annual cap (optional).
    used = raw.get("annual_cap_used", _ABSENT)
    if used is _ABSENT:
        used = ZERO
    elif type(used) is str and MONEY_RE.fullmatch(used):
        used = Decimal(used)
    else:
        used = parse_money(used, "annual_cap_used")
    return CaseInfo(case_id, as_of, uscc, in_henan, quals, other, used)


def _qualification(q: object) -> tuple[str, date, date]:
    if type(q) is not dict:
        raise CaseError("", "每项资格应为 JSON 对象")
    kind = q.get("kind")
    if type(kind) is not str or kind not in QUALIFICATION_LABELS:
        names = "、".join(f"{k}（{v}）" for k, v in QUALIFICATION_LABELS.items())
        raise CaseError(".kind", f"资格类型应为 {names} 之一，收到 {kind!r}")
    start, end = q.get("valid_from"), q.get("valid_to")
    start = (DATE_CACHE.get(start) if type(start) is str else None) or parse_date(start, ".valid_from")
    end = (DATE_CACHE.get(end) if type(end) is str else None) or parse_date(end, ".valid_to")
    if end < start:
        raise CaseError(".valid_to", "有效期截止日期早于起始日期")
    return kind, start, end


def _present(item: Item, facts: dict) -> bool:
    for key in item.required_keys:
        if key not in facts:
            return False
    return True


def _auto(case_id: str, facts: dict, case: CaseInfo, P: Params, explain: bool) -> dict[str, Any]:
    """Every item whose facts are present; the case takes the best eligible option
    (highest amount, ties: lower clause first)."""
    options = [
        item.run(item.parse_facts(facts), case, P, explain)
        for item in ITEMS.values()
        if _present(item, facts)
    ]
    if not options:
        raise CaseError("facts", "item 为 auto 时，facts 至少应包含一个支持项目所需的全部事实")
    options.sort(key=_option_rank)
    best = options[0]
    # Only the explanation names the items tried.
    tried = "、".join(o["item"] for o in sorted(options, key=_item_rank)) if explain else ""
    if best["eligible"]:
        result = {"id": case_id, **best}
        if explain:
            ranking = "；".join(
                f"{o['item']} {fmt_yuan_wan(int(o['amount']))}"
                if o["eligible"]
                else f"{o['item']} 不符合条件"
                for o in options
            )
            result["explanation"] = [
                f"三（自动选择）：按事实逐项计算了 {tried}；结果（从高到低）：{ranking}；"
                f"取最高者 {best['item']}（金额相同时取条款在前者）",
                *best["explanation"],
            ]
    else:
        reasons: list[str] = []
        citations: list[str] = []
        for o in options:
            reasons.extend(r for r in o["reasons"] if r not in reasons)
            citations.extend(c for c in o["citations"] if c not in citations)
        result = {
            "id": case_id,
            "item": AUTO,
            "eligible": False,
            "amount": "0",
            "reasons": reasons,
            "limits_applied": [],
            "components": [],
            "schedule": [],
            "citations": citations,
        }
        if explain:
            result["explanation"] = [
                f"三（自动选择）：按事实逐项计算了 {tried}，均不符合支持条件，补助为 0 元"
            ]
    result["options"] = options
    return result


def _option_rank(o: dict[str, Any]) -> tuple[bool, int, int]:
    return (not o["eligible"], -int(o["amount"]), ITEM_ORDER[o["item"]])


def _item_rank(o: dict[str, Any]) -> int:
    return ITEM_ORDER[o["item"]]


def _one_per_year(result: dict[str, Any], first: tuple[date, str, int]) -> dict[str, Any]:
    """三（末段）: a later application of the same enterprise in the same application year."""
    as_of, first_id, _ = first
    out = dict(result)
    out["eligible"] = False
    out["amount"] = "0"
    out["reasons"] = ["ONE_PER_YEAR"]
    out["limits_applied"] = []
    out["components"] = []
    out["schedule"] = []
    if CROSS_CLAUSE not in out["citations"]:
        out["citations"] = [*out["citations"], CROSS_CLAUSE]
    if "explanation" in out:
        lines = out["explanation"]
        # The arithmetic stays (a person can see what the case would have had); the ceiling line and
        # the payment stages after it go: the case's last word is that it gets nothing, and why.
        for i in range(len(lines) - 1, -1, -1):
            if CEILING_MARK in lines[i]:
                lines = lines[:i]
                break
        out["explanation"] = [
            *lines,
            f"{CROSS_CLAUSE}：本请求中该企业 {as_of.year} 年度已有更早的申请 {first_id}"
            f"（{as_of.isoformat()}），本案例按（申报日期, id）顺序在后；{REASON_LABELS['ONE_PER_YEAR']}"
            " —— 不符合支持条件，补助为 0 元",
        ]
    return out
