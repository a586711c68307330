"""Dated parameter versions (OpenFisca-style) and a guideline's round-specific overrides.

A version file (`parameters/*.json`) holds the policy's id and title, its `version`, the date it takes
effect (`effective_from`), the clauses' original text and, for every rate, cap, threshold, term and list,
its value with the clause and the clause's sentence. A file may `extend` an earlier version and list only
what changed. The version in force on a date is the latest whose `effective_from` is on or before it.

Parameter paths (override keys) are `<item>.<name>`, e.g. `3.1.1.threshold`; `jigai policy parameters`
prints them all with their values and clauses.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jigai.core.money import yuan as fmt_yuan
from jigai.policy.errors import CaseError, RequestError
from jigai.policy.values import MONEY_RE, fmt_rate, parse_money

PARAMETER_DIR = Path(__file__).with_name("parameters")
PARAMETER_TYPES = ("money", "rate", "months", "list", "enum")
# How far a guideline's override may move a value, as the clause writes it:
#   at_most  — "不超过 / 最高不超过" and the fixed sums "给予…万元": only the policy's value or less;
#   at_least — "不低于" (a threshold): only the policy's value or more;
#   subset   — a list of what is covered: only some of the policy's entries (never one it does not list);
#   any      — a reading of the text, not an amount (e.g. the 29 February rule): any valid choice.
BOUNDS_BY_TYPE = {
    "money": ("at_most", "at_least"),
    "rate": ("at_most", "at_least"),
    "months": ("at_most", "at_least"),
    "list": ("subset",),
    "enum": ("any",),
}
_RATE_RE = re.compile(r"(?:0|1)(?:\.[0-9]{1,6})?")
_MAX_MONTHS = 120

# Which group of choices names the values of a list or enum parameter (labels.CHOICES).
PARAMETER_LABELS = {
    "3.1.1.project_types": "project_type",
    "3.2.2-award.window_no_corresponding_day": "window_rule",
    "3.2.1-insurance.periods_after_as_of": "period_rule",
    "3.2.2-insurance.periods_after_as_of": "period_rule",
    "3.3.1-provincial.levels": "centre_level",
    "3.3.1-national-promotion.levels": "centre_level",
    "3.3.3.levels": "sme_level",
    "3.4.1.titles": "title_341",
    "3.4.1.awarding_bodies": "awarded_by",
    "3.4.2.titles": "title_342",
    "3.4.2.awarding_bodies": "awarded_by",
}


@dataclass(frozen=True)
class Parameter:
    path: str
    type: str
    raw: Any  # as written in the file (JSON)
    value: Any  # parsed: Decimal (money, rate), int (months), tuple[str, ...] (list), str (enum)
    clause: str
    text: str
    note: str = ""
    choices: tuple[str, ...] = ()
    bound: str = "at_most"  # how far an override may move it (BOUNDS_BY_TYPE)


@dataclass(frozen=True)
class Version:
    policy_id: str
    title: str
    version: str
    effective_from: date
    clauses: dict[str, str]
    parameters: dict[str, Parameter]

    def header(self) -> dict[str, str]:
        return {"id": self.policy_id, "title": self.title, "version": self.version}


def parse_value(type_: str, raw: Any, choices: tuple[str, ...] = ()) -> Any:
    """One parameter value by its type; ValueError with a Chinese message when it does not fit."""
    if type_ == "money":
        if type(raw) is not str or not MONEY_RE.fullmatch(raw):
            raise ValueError(f'应为以元为单位、最多两位小数的金额字符串（如 "20000000"），收到 {raw!r}')
        return parse_money(raw, "")
    if type_ == "rate":
        if type(raw) is not str or not _RATE_RE.fullmatch(raw) or Decimal(raw) > 1:
            raise ValueError(f'应为 0 到 1 之间、最多 6 位小数的比例字符串（如 "0.30"），收到 {raw!r}')
        return Decimal(raw)
    if type_ == "months":
        if type(raw) is not int or not 1 <= raw <= _MAX_MONTHS:
            raise ValueError(f"应为 1 到 {_MAX_MONTHS} 之间的整数（月），收到 {raw!r}")
        return raw
    if type_ == "list":
        if (
            type(raw) is not list
            or not raw
            or any(type(x) is not str or not x for x in raw)
            or len(set(raw)) != len(raw)
        ):
            raise ValueError(f"应为不重复、非空字符串组成的非空列表，收到 {raw!r}")
        return tuple(raw)
    if type_ == "enum":
        if raw not in choices:
            raise ValueError(f"应为 {'、'.join(choices)} 之一，收到 {raw!r}")
        return raw
    raise ValueError(f"未知的参数类型 {type_!r}")


def describe_value(param: Parameter, value: Any) -> str:
    """A value written for the explanation (the original value of an overridden parameter)."""
    from jigai.policy.labels import value_label

    if param.type == "money":
        return fmt_yuan(value)
    if param.type == "rate":
        return fmt_rate(value)
    if param.type == "months":
        return f"{value} 个月"
    group = PARAMETER_LABELS.get(param.path)
    if param.type == "list":
        return "、".join(value_label(x, group) for x in value)
    return value_label(value, group)


class Params(dict):
    """The values in force for one case (path → value): one version plus the request's validated
    overrides. A dict, so that `P[path]` in the rules costs a plain lookup."""

    __slots__ = ("memo", "overridden", "text", "version")

    def __init__(self, version: Version, overrides: dict[str, Any]) -> None:
        super().__init__((p, prm.value) for p, prm in version.parameters.items())
        self.version = version
        self.overridden: dict[str, str] = {}
        for path, raw in overrides.items():
            prm = version.parameters.get(path)
            if prm is None:  # a key of another version: nothing to change in this one
                continue
            value = parse_value(prm.type, raw, prm.choices)
            if value != prm.value:
                self[path] = value
                self.overridden[path] = f"（本轮申报指南调整：原 {describe_value(prm, prm.value)}）"
        _check_consistency(self, version)
        # The money and rate values as the components write them (`str`), computed once.
        self.text: dict[str, str] = {p: str(v) for p, v in self.items() if type(v) is Decimal}
        self.memo: dict[Any, Any] = {}  # what amount rules derive from these values, once per rule

    def note(self, *paths: str) -> str:
        """ "（本轮申报指南调整：原 …）" for each of `paths` that an override changed."""
        if not self.overridden:
            return ""
        return "".join(self.overridden.get(p, "") for p in paths)

    def clause_text(self, clause: str) -> str:
        return self.version.clauses.get(clause, "")


def _check_consistency(values: dict[str, Any], version: Version) -> None:
    # 三（三）2: the two instalments of a cultivated platform make up the whole award.
    a, b = values.get("3.3.2.listing_share"), values.get("3.3.2.acceptance_share")
    if a is not None and b is not None and a + b != 1:
        raise RequestError(
            f"参数 3.3.2.listing_share（{fmt_rate(a)}）与 3.3.2.acceptance_share（{fmt_rate(b)}）"
            f"之和应为 100%（版本 {version.version}）",
            field="overrides",
        )


class ParameterBook:
    """All versions of a parameter directory, sorted by effective date."""

    def __init__(self, versions: list[Version]) -> None:
        if not versions:
            raise ValueError("参数目录中没有任何版本")
        self.versions = sorted(versions, key=lambda v: v.effective_from)
        self._starts = [v.effective_from for v in self.versions]
        self._params: dict[tuple[str, tuple], Params] = {}
        self._on: dict[date, Version | None] = {}
        types: dict[str, Parameter] = {}
        for v in self.versions:
            types.update(v.parameters)
        self.known: dict[str, Parameter] = types  # latest declaration of every path

    @classmethod
    def from_dir(cls, *directories: Path | str) -> ParameterBook:
        """The versions of every `*.json` in `directories` (a later file may `extend` an earlier version)."""
        raw_by_name: dict[str, dict] = {}
        for directory in directories:
            for path in sorted(Path(directory).glob("*.json")):
                raw_by_name[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        by_version: dict[str, Version] = {}
        pending = dict(raw_by_name)
        while pending:  # resolve `extends` in dependency order
            progressed = False
            for name, raw in list(pending.items()):
                base_name = raw.get("extends")
                if base_name is not None and base_name not in by_version:
                    continue
                by_version[raw["version"]] = _build_version(name, raw, by_version.get(base_name))
                del pending[name]
                progressed = True
            if not progressed:
                raise ValueError(f"参数文件的 extends 无法解析：{sorted(pending)}")
        return cls(list(by_version.values()))

    def version_on(self, as_of: date) -> Version | None:
        try:
            return self._on[as_of]
        except KeyError:
            pass
        i = bisect.bisect_right(self._starts, as_of)
        found = self.versions[i - 1] if i else None
        if len(self._on) < 50_000:
            self._on[as_of] = found
        return found

    def first_version_or_error(self, as_of: date) -> Version:
        v = self.version_on(as_of)
        if v is None:
            first = self.versions[0]
            raise CaseError(
                "as_of",
                f"申报日期 {as_of.isoformat()} 早于政策最早生效日期 {first.effective_from.isoformat()}"
                f"（{first.title}），无可适用的参数版本",
            )
        return v

    def params(self, version: Version, overrides: dict[str, Any] | None = None) -> Params:
        key = (version.version, _freeze(overrides or {}))
        found = self._params.get(key)
        if found is None:
            if len(self._params) > 256:  # many what-if override sets: keep the cache bounded
                self._params.clear()
            found = self._params[key] = Params(version, overrides or {})
        return found

    def versions_in_year(self, year: int) -> list[Version]:
        """The versions in force on some day of the calendar year `year` (all of them when none is)."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        found = [
            v
            for i, v in enumerate(self.versions)
            if v.effective_from <= last
            and (i + 1 == len(self.versions) or self.versions[i + 1].effective_from > first)
        ]
        return found or list(self.versions)

    def validate_overrides(self, overrides: object, *, round_year: int | None = None) -> dict[str, Any]:
        """The cleaned override set, or `RequestError` naming the first bad key: unknown, a value that does
        not parse, or a value beyond the policy's bound (checked against every version in force in
        `round_year`, or against every version when no round is given)."""
        if overrides is None:
            return {}
        if not isinstance(overrides, dict):
            raise RequestError("overrides 应为 JSON 对象：{参数路径: 值}", field="overrides")
        versions = self.versions_in_year(round_year) if round_year is not None else self.versions
        clean: dict[str, Any] = {}
        for key, raw in overrides.items():
            prm = self.known.get(key) if isinstance(key, str) else None
            if prm is None:
                raise RequestError(
                    f"未知的参数 {key!r}（可用 jigai policy parameters 查看全部参数路径）", field=key
                )
            try:
                value = parse_value(prm.type, raw, prm.choices)
            except ValueError as exc:
                raise RequestError(f"参数 {key} 的值不正确：{exc}", field=key) from None
            for version in versions:
                policy = version.parameters.get(key)
                if policy is not None:
                    _check_bound(policy, value)
            clean[key] = list(raw) if isinstance(raw, list) else raw
        # A set that breaks a rule between values is refused whole, before any case is evaluated.
        for version in versions:
            self.params(version, clean)
        return clean


def _check_bound(policy: Parameter, value: Any) -> None:
    """A guideline may set a value only within the policy's bound (the clause's "不超过", "不低于", list)."""
    from jigai.policy.labels import value_label

    key, where = policy.path, policy.clause
    if policy.bound == "at_most" and value > policy.value:
        raise RequestError(
            f"参数 {key} 不能调高：政策规定为 {describe_value(policy, policy.value)}（{where}），"
            f"本轮申报指南只能取该值或更低，收到 {describe_value(policy, value)}",
            field=key,
        )
    if policy.bound == "at_least" and value < policy.value:
        raise RequestError(
            f"参数 {key} 不能调低：政策规定为不低于 {describe_value(policy, policy.value)}（{where}），"
            f"本轮申报指南只能取该值或更高，收到 {describe_value(policy, value)}",
            field=key,
        )
    if policy.bound == "subset":
        extra = [x for x in value if x not in policy.value]
        if extra:
            group = PARAMETER_LABELS.get(key)
            names = "、".join(f"{value_label(x, group)}（{x}）" for x in extra)
            raise RequestError(
                f"参数 {key} 不能扩大范围：政策所列为 {describe_value(policy, policy.value)}（{where}），"
                f"本轮申报指南只能从中选取，不能加入 {names}",
                field=key,
            )


def _freeze(overrides: dict[str, Any]) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in overrides.items()))


def _build_version(name: str, raw: dict, base: Version | None) -> Version:
    where = f"参数文件 {name}.json"
    try:
        policy = raw.get("policy") or {}
        effective = date.fromisoformat(raw["effective_from"])
        params: dict[str, Parameter] = dict(base.parameters) if base else {}
        clauses: dict[str, str] = dict(base.clauses) if base else {}
        clauses.update(raw.get("clauses", {}))
        for path, spec in raw.get("parameters", {}).items():
            type_ = spec.get("type") or (params[path].type if path in params else None)
            if type_ not in PARAMETER_TYPES:
                raise ValueError(f"{path}: 类型 {type_!r} 不可用")
            choices = tuple(spec.get("choices", params[path].choices if path in params else ()))
            clause = spec.get("clause") or (params[path].clause if path in params else "")
            text = spec.get("text") or (params[path].text if path in params else "")
            if not clause or not text:
                raise ValueError(f"{path}: 缺少条款（clause）或原文（text）")
            bound = spec.get("bound") or (params[path].bound if path in params else "")
            if bound not in BOUNDS_BY_TYPE[type_]:
                raise ValueError(
                    f"{path}: 调整限度（bound）应为 {'、'.join(BOUNDS_BY_TYPE[type_])} 之一，收到 {bound!r}"
                )
            params[path] = Parameter(
                path=path,
                type=type_,
                raw=spec["value"],
                value=parse_value(type_, spec["value"], choices),
                clause=clause,
                text=text,
                note=spec.get("note", ""),
                choices=choices,
                bound=bound,
            )
        return Version(
            policy_id=policy.get("id") or base.policy_id,
            title=policy.get("title") or base.title,
            version=raw["version"],
            effective_from=effective,
            clauses=clauses,
            parameters=params,
        )
    except (KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"{where} 不正确：{exc}") from exc


@cache
def default_book() -> ParameterBook:
    """The versions shipped with the engine (parsed once per process)."""
    return ParameterBook.from_dir(PARAMETER_DIR)


def validate_overrides(
    overrides: object, *, round_year: int | None = None, book: ParameterBook | None = None
) -> dict[str, Any]:
    """Checks a whole override set (unknown key, bad value, or a value beyond the policy's bound →
    `RequestError` naming the key); `round_year` limits the check to the versions of that year."""
    return (book or default_book()).validate_overrides(overrides, round_year=round_year)


def parameter_table(as_of: date | None = None, *, book: ParameterBook | None = None) -> list[dict[str, Any]]:
    """Every parameter of the version in force on `as_of` (default: the latest): path, type, value,
    clause and the clause's sentence — the keys an override may use."""
    book = book or default_book()
    version = (book.version_on(as_of) if as_of else None) or book.versions[-1]
    return [
        {
            "path": p.path,
            "type": p.type,
            "value": p.raw,
            "clause": p.clause,
            "text": p.text,
            "bound": p.bound,
            **({"note": p.note} if p.note else {}),
            **({"choices": list(p.choices)} if p.choices else {}),
            "version": version.version,
        }
        for p in version.parameters.values()
    ]
