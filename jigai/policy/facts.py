"""Facts and the case as the item declarations see them.

A `Fact` validates one input value of an item; its reader is compiled once per declaration, since large
batches spend their time there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jigai.policy.errors import CaseError
from jigai.policy.labels import CHOICES
from jigai.policy.params import Params
from jigai.policy.values import DATE_CACHE, MONEY_RE, parse_bool, parse_date, parse_int, parse_money

# --- the case as the items see it ---------------------------------------------------------------------


class CaseInfo:
    """The validated fields of a case other than its facts."""

    __slots__ = ("annual_cap_used", "as_of", "id", "in_henan", "other_support", "qualifications", "uscc")

    def __init__(
        self,
        id: str,
        as_of: date,
        uscc: str | None,
        in_henan: bool,
        qualifications: list[tuple[str, date, date]],
        other_support: bool,
        annual_cap_used: Decimal = Decimal(0),
    ) -> None:
        self.id = id
        self.as_of = as_of
        self.uscc = uscc
        self.in_henan = in_henan
        self.qualifications = qualifications
        self.other_support = other_support
        # 三（二）1、2: what the enterprise's other awards of the application year already take of the
        # item's 单个企业年度 cap (the caller knows them; only items with such a cap look at it).
        self.annual_cap_used = annual_cap_used


class Ctx:
    __slots__ = ("P", "case", "facts", "lines")

    def __init__(self, facts: dict[str, Any], case: CaseInfo, P: Params, lines: list[str] | None) -> None:
        self.facts = facts
        self.case = case
        self.P = P
        self.lines = lines


# --- facts ---------------------------------------------------------------------------------------------


def _money_parser() -> Any:
    match = MONEY_RE.fullmatch

    def fn(raw: Any) -> Decimal:
        if type(raw) is str and match(raw):
            return Decimal(raw)
        return parse_money(raw, "")

    return fn


def _date_parser() -> Any:
    cache = DATE_CACHE

    def fn(raw: Any) -> date:
        found = cache.get(raw) if type(raw) is str else None
        return found if found is not None else parse_date(raw, "")

    return fn


@dataclass(frozen=True)
class Fact:
    """One input fact of an item; `parse` validates it and returns the value the rules use."""

    key: str
    label: str
    type: str  # money | enum | bool | int | date | text | list
    choices: str | None = None  # group in labels.CHOICES (enum values, or the values of a plain list)
    open: bool = False  # an enum whose value outside the list is a reason code, not an input error
    nullable: bool = False
    required: bool = True
    default: Any = None
    low: int = 0
    high: int = 0
    fields: tuple[Fact, ...] = ()  # a list of rows
    min_items: int = 0

    def __post_init__(self) -> None:
        # The reader is compiled once per declaration: large batches spend their time here.
        object.__setattr__(self, "_parse", self._compile())

    def read(self, container: dict, prefix: str) -> Any:
        """The parsed value of this fact in `container`; errors name the path `prefix.key…`."""
        try:
            raw = container[self.key]
        except KeyError:
            if self.required:
                raise CaseError(f"{prefix}.{self.key}", f"缺少“{self.label}”") from None
            return self.default
        try:
            return self._parse(raw)
        except CaseError as exc:
            raise CaseError(f"{prefix}.{self.key}{exc.field}", exc.message) from None

    def parse(self, raw: Any) -> Any:
        """The parsed value; a `CaseError` names the path below this fact ("" for the fact itself)."""
        return self._parse(raw)

    def _compile(self) -> Any:
        t = self.type
        nullable = self.nullable
        if t == "money":
            fn = _money_parser()
        elif t == "bool":

            def fn(raw: Any) -> Any:
                if raw is True or raw is False:
                    return raw
                return parse_bool(raw, "")

        elif t == "date":
            fn = _date_parser()
        elif t == "int":
            low, high = self.low, self.high

            def fn(raw: Any) -> Any:
                return parse_int(raw, "", low, high)

        elif t == "text":
            label = self.label

            def fn(raw: Any) -> Any:
                if type(raw) is str and raw.strip() and len(raw) <= 200:
                    return raw
                raise CaseError("", f"“{label}”应为 1 到 200 个字符的文字")

        elif t == "enum":
            allowed = CHOICES[self.choices]
            is_open = self.open

            def fn(raw: Any) -> Any:
                if type(raw) is str and (raw in allowed or (is_open and raw)):
                    return raw
                return self._bad_choice(raw, "")

        elif t == "list":
            fn = self._list_parser()
        else:
            raise AssertionError(t)
        if not nullable:
            return fn

        def maybe(raw: Any) -> Any:
            return None if raw is None else fn(raw)

        return maybe

    def _list_parser(self) -> Any:
        label, min_items, fields = self.label, self.min_items, self.fields

        def rows(raw: Any) -> Any:
            if type(raw) is not list:
                raise CaseError("", f"“{label}”应为列表")
            if len(raw) < min_items:
                raise CaseError("", f"“{label}”至少应有 {min_items} 项")
            out = []
            append = out.append
            i = 0
            for row in raw:
                if type(row) is not dict:
                    raise CaseError(f"[{i}]", f"“{label}”的每一项应为 JSON 对象")
                parsed = {}
                for key, parse, f, money in readers:
                    # The path `[i].key` is only formatted on an error (missing key or bad value).
                    try:
                        value = row[key]
                        if money and type(value) is str and match(value):  # `parse`, inline
                            parsed[key] = Decimal(value)
                        else:
                            parsed[key] = parse(value)
                    except KeyError:
                        if key in row:
                            raise
                        parsed[key] = f.read(row, f"[{i}]")
                    except CaseError as exc:
                        raise CaseError(f"[{i}].{key}{exc.field}", exc.message) from None
                append(parsed)
                i += 1
            return out

        def values(raw: Any) -> Any:
            if type(raw) is not list:
                raise CaseError("", f"“{label}”应为列表")
            for i, x in enumerate(raw):
                if type(x) is not str or x not in allowed:
                    self._bad_choice(x, f"[{i}]")
            return frozenset(raw)

        readers = tuple((f.key, f._parse, f, f.type == "money" and not f.nullable) for f in fields)
        match = MONEY_RE.fullmatch
        if fields:
            return rows
        allowed = CHOICES[self.choices]
        return values

    def _bad_choice(self, raw: Any, path: str) -> None:
        names = "、".join(f"{k}（{v}）" for k, v in CHOICES[self.choices].items())
        raise CaseError(path, f"“{self.label}”应为 {names} 之一，收到 {raw!r}")

    def describe(self) -> dict[str, Any]:
        """The fact as the catalog shows it to a form."""
        out: dict[str, Any] = {"key": self.key, "label": self.label, "type": self.type}
        if self.choices:
            out["choices"] = [[k, v] for k, v in CHOICES[self.choices].items()]
        if self.open:
            out["open"] = True  # other values are accepted (and judged by the rules)
        if self.nullable:
            out["nullable"] = True
        if not self.required:
            out["required"] = False
        if self.fields:
            out["fields"] = [f.describe() for f in self.fields]
        if self.min_items:
            out["min_items"] = self.min_items
        return out
