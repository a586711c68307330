"""Conditions of the items, each with the reason code and clause it cites, and the sums they test.

Each condition both decides and, when asked, writes its explanation line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jigai.core.money import yuan as fmt_yuan
from jigai.core.money import yuan_wan as fmt_yuan_wan
from jigai.policy.facts import Ctx
from jigai.policy.labels import QUALIFICATION_LABELS, REASON_LABELS, value_label
from jigai.policy.values import EXACT

OK = "符合"


def _fail(reason: str) -> str:
    return f"不符合：{REASON_LABELS[reason]}"  # the code stays in "reasons"; people read the label


# --- bases ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sum:
    """The sum of money facts, e.g. 设备投资 + 软件投资."""

    keys: tuple[str, ...]
    label: str

    def value(self, c: Ctx) -> Decimal:
        f = c.facts
        if len(self.keys) == 1:
            return f[self.keys[0]]
        return (
            EXACT.add(f[self.keys[0]], f[self.keys[1]])
            if len(self.keys) == 2
            else sum((f[k] for k in self.keys), Decimal(0))
        )

    def text(self, c: Ctx) -> str:
        total = self.value(c)
        if len(self.keys) == 1:
            return f"{self.label} {fmt_yuan_wan(total)}"
        parts = " + ".join(fmt_yuan(c.facts[k]) for k in self.keys)
        return f"{self.label} {parts} = {fmt_yuan_wan(total)}"


# --- conditions ----------------------------------------------------------------------------------------


class Condition:
    reason: str
    clause: str

    def holds(self, c: Ctx) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def line(self, c: Ctx, ok: bool) -> str | None:  # pragma: no cover - interface
        """The explanation line (None: nothing to say, e.g. a cap that still has room)."""
        raise NotImplementedError

    def verdict(self, text: str, ok: bool) -> str:
        """ "<clause>：<text> —— 符合", or "—— 不符合：<the reason's label>（<code>）" when it fails."""
        return f"{self.clause}：{text} —— {OK if ok else _fail(self.reason)}"


class Stated(Condition):
    """A condition whose line is one of two sentences: `yes` when it holds, `no` when it does not."""

    yes: str
    no: str

    def line(self, c: Ctx, ok: bool) -> str:
        return self.verdict(self.yes if ok else self.no, ok)


@dataclass(frozen=True)
class InHenan(Condition):
    clause: str
    who: str = "研发制造单位"
    reason: str = "NOT_IN_HENAN"

    def holds(self, c: Ctx) -> bool:
        return c.case.in_henan

    def line(self, c: Ctx, ok: bool) -> str:
        return self.verdict(f"申报单位{'为' if ok else '不是'}省内{self.who}", ok)


@dataclass(frozen=True)
class HasQualification(Condition):
    kind: str
    clause: str
    reason: str = "QUALIFICATION_MISSING"

    def holds(self, c: Ctx) -> bool:
        as_of = c.case.as_of
        for kind, start, end in c.case.qualifications:
            if kind == self.kind and start <= as_of <= end:
                return True
        return False

    def line(self, c: Ctx, ok: bool) -> str:
        name = QUALIFICATION_LABELS[self.kind]
        as_of = c.case.as_of.isoformat()
        spans = [f"{s.isoformat()} 至 {e.isoformat()}" for k, s, e in c.case.qualifications if k == self.kind]
        if spans:
            covers = "覆盖" if ok else "不含"
            return self.verdict(f"{name}资格有效期（{'；'.join(spans)}）{covers}申报日期 {as_of}", ok)
        return self.verdict(f"申报单位未具备{name}资格", ok)


@dataclass(frozen=True)
class FactIn(Condition):
    """The fact's value is in the list parameter `param` (project types, levels, titles, awarding bodies)."""

    fact: str
    param: str
    subject: str
    group: str
    clause: str
    reason: str

    def holds(self, c: Ctx) -> bool:
        return c.facts[self.fact] in c.P[self.param]

    def line(self, c: Ctx, ok: bool) -> str:
        value = value_label(c.facts[self.fact], self.group)
        allowed = "、".join(value_label(x, self.group) for x in c.P[self.param])
        where = "在" if ok else "不在"
        return self.verdict(
            f"{self.subject}为{value}，{where}支持范围（{allowed}）内{c.P.note(self.param)}", ok
        )


@dataclass(frozen=True)
class FactTrue(Stated):
    fact: str
    yes: str
    no: str
    clause: str
    reason: str

    def holds(self, c: Ctx) -> bool:
        return c.facts[self.fact] is True


@dataclass(frozen=True)
class FactEquals(Condition):
    """The fact has a value other than `unwanted` (e.g. a platform whose status is not `none`)."""

    fact: str
    unwanted: Any
    subject: str
    group: str
    clause: str
    reason: str

    def holds(self, c: Ctx) -> bool:
        return c.facts[self.fact] != self.unwanted

    def line(self, c: Ctx, ok: bool) -> str:
        value = value_label(c.facts[self.fact], self.group)
        return self.verdict(f"{self.subject}为{value}", ok)


@dataclass(frozen=True)
class FactContains(Stated):
    fact: str
    value: str
    yes: str
    no: str
    clause: str
    reason: str

    def holds(self, c: Ctx) -> bool:
        return self.value in c.facts[self.fact]


@dataclass(frozen=True)
class FactPresent(Condition):
    """A nullable fact that must have a value (a platform without an assessment rank gets nothing)."""

    fact: str
    subject: str
    group: str
    clause: str
    reason: str

    def holds(self, c: Ctx) -> bool:
        return c.facts[self.fact] is not None

    def line(self, c: Ctx, ok: bool) -> str:
        if ok:
            return self.verdict(f"{self.subject}为{value_label(c.facts[self.fact], self.group)}", ok)
        return self.verdict(f"没有{self.subject}", ok)


@dataclass(frozen=True)
class AtLeast(Condition):
    base: Sum
    param: str
    clause: str
    reason: str = "BELOW_THRESHOLD"

    def holds(self, c: Ctx) -> bool:
        return self.base.value(c) >= c.P[self.param]

    def line(self, c: Ctx, ok: bool) -> str:
        threshold = fmt_yuan_wan(c.P[self.param])
        return self.verdict(
            f"{self.base.text(c)} {'≥' if ok else '<'} 门槛 {threshold}{c.P.note(self.param)}", ok
        )


@dataclass(frozen=True)
class AnyProduct(Stated):
    """At least one product of the case counts (recognized on the application date)."""

    counts: Any  # (product, Ctx) -> bool
    yes: str
    no: str
    clause: str
    reason: str = "NOT_RECOGNIZED"

    def holds(self, c: Ctx) -> bool:
        return any(self.counts(p, c) for p in c.facts["products"])


@dataclass(frozen=True)
class AnnualCapLeft(Condition):
    """三（二）1、2 "单个企业年度…最高不超过": something of the enterprise's annual cap is left after
    its other awards of the application year (`annual_cap_used`, given by the caller). Only a failure
    writes a line: when something is left, the item's cap step says how much."""

    param: str
    what: str  # the awards that share the cap, e.g. 首台（套）奖励
    clause: str
    reason: str = "ANNUAL_CAP_REACHED"

    def holds(self, c: Ctx) -> bool:
        used = c.case.annual_cap_used
        return not used or EXACT.subtract(c.P[self.param], used) >= 1

    def line(self, c: Ctx, ok: bool) -> str | None:
        if ok:
            return None
        cap = c.P[self.param]
        left = EXACT.subtract(cap, c.case.annual_cap_used)
        rest = f"剩余 {fmt_yuan(left)}，不足 1 元" if left > 0 else "已无剩余"
        return self.verdict(
            f"本企业本年度其他{self.what}已占用 {fmt_yuan(c.case.annual_cap_used)}，"
            f"单个企业年度上限 {fmt_yuan(cap)}{c.P.note(self.param)}，{rest}",
            ok,
        )


@dataclass(frozen=True)
class NotSupportedElsewhere(Condition):
    """三（末段）: the same project funded by another provincial special fund is not funded again."""

    clause: str
    reason: str = "ALREADY_SUPPORTED"

    def holds(self, c: Ctx) -> bool:
        return not c.case.other_support

    def line(self, c: Ctx, ok: bool) -> str:
        return self.verdict(f"同一项目{'未' if ok else '已'}获省级财政其他专项资金支持", ok)
