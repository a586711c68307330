"""The shared machinery of the items of section 三: the `Item` declaration (facts, conditions, amount
rules, schedule), its one evaluation path and the one shape of its result; `declare_item` adds the
conditions every item has (三（末段）, the enterprise's annual cap where it applies).

Every number lives in the parameter file under `<item>.<name>`; nothing here is a policy number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jigai.core.money import yuan as fmt_yuan
from jigai.core.money import yuan_wan as fmt_yuan_wan
from jigai.policy.amounts import Amount, OnApproval
from jigai.policy.errors import CaseError
from jigai.policy.facts import CaseInfo, Ctx, Fact
from jigai.policy.labels import GROUP_LABELS, LIMIT_LABELS
from jigai.policy.params import Params
from jigai.policy.rules import AnnualCapLeft, Condition, NotSupportedElsewhere
from jigai.policy.values import EXACT, MONEY_RE

CROSS_CLAUSE = "三（末段）"  # the paragraph after 三（四）: no double funding, one project a year
CEILING_MARK = "补助上限（不超过）"  # in the closing line of an eligible item's explanation


@dataclass(frozen=True)
class Item:
    code: str
    clause: str
    title: str
    facts: tuple[Fact, ...]
    conditions: tuple[Condition, ...]
    amounts: tuple[Amount, ...]
    schedule: Any = None
    # 单个企业年度 cap (its parameter path) over the products of the case and the enterprise's other
    # awards of the year that share it (`annual_cap_used`); `total_cap_what` names those awards.
    total_cap: str | None = None
    total_cap_what: str = ""
    check: Callable[[dict], None] | None = None  # rules between facts (e.g. periods in time order)
    required_keys: tuple[str, ...] = field(default=())

    @property
    def group(self) -> str:
        return GROUP_LABELS[self.clause[:4]]

    def __post_init__(self) -> None:
        # Compiled once per declaration (large batches spend their time in these loops).
        readers = tuple((f.key, f._parse, f, f.type == "money" and not f.nullable) for f in self.facts)
        object.__setattr__(self, "_readers", readers)

    def parse_facts(self, raw: dict) -> dict[str, Any]:
        facts = {}
        match = MONEY_RE.fullmatch
        for key, parse, f, money in self._readers:
            try:
                value = raw[key]
            except KeyError:
                facts[key] = f.read(raw, "facts")  # the default, or the error naming the fact
                continue
            if money and type(value) is str and match(value):  # the common case of `parse`, inline
                facts[key] = Decimal(value)
                continue
            try:
                facts[key] = parse(value)
            except CaseError as exc:
                raise CaseError(f"facts.{key}{exc.field}", exc.message) from None
        if self.check is not None:
            self.check(facts)
        return facts

    def run(
        self, facts: dict[str, Any], case: CaseInfo, P: Params, explain: bool, case_id: str | None = None
    ) -> dict[str, Any]:
        """The item result (with `id` first when `case_id` is given, i.e. not an option of `auto`):
        eligibility, amount, components, schedule, citations, explanation.

        One path for both answers: with `explain` false the same conditions and amount rules decide,
        only the explanation lines are not written (`Ctx.lines` is None)."""
        lines: list[str] | None = [] if explain else None
        c = Ctx(facts, case, P, lines)
        reasons: list[str] | None = None
        for cond in self.conditions:
            ok = cond.holds(c)
            if not ok:
                reason = cond.reason
                if reasons is None:
                    reasons = [reason]
                elif reason not in reasons:
                    reasons.append(reason)
            if lines is not None:
                line = cond.line(c, ok)
                if line is not None:
                    lines.append(line)
        citations = [self.clause, CROSS_CLAUSE] if case.other_support else [self.clause]
        if reasons is not None:
            if lines is not None:
                lines.append(f"{self.clause}：不符合支持条件，补助为 0 元")
            return _result(case_id, self.code, False, "0", reasons, [], [], [], citations, lines)
        components: list[dict] = []
        limits: set[str] = set()
        total = 0
        for rule in self.amounts:
            total += rule.apply(c, components, limits)
        if self.total_cap is not None:
            total = self._capped(total, c, limits)
        if lines is not None:
            if len(self.amounts) > 1:
                parts = " + ".join(fmt_yuan_wan(int(x["amount"])) for x in components)
                lines.append(f"{self.clause}：各部分合计 {parts} = {fmt_yuan_wan(total)}")
            applied = "；".join(LIMIT_LABELS[x] for x in sorted(limits))
            lines.append(
                f"{self.clause}：{self.title}{CEILING_MARK}{fmt_yuan_wan(total)}"
                + (f"（已适用：{applied}）" if applied else "")
            )
        schedule = self.schedule.split(c, total)
        # A deterministic order for limits_applied: alphabetical (as in the worked examples).
        return _result(
            case_id,
            self.code,
            True,
            str(total),
            [],
            sorted(limits) if limits else [],
            components,
            schedule,
            citations,
            lines,
        )

    def _capped(self, total: int, c: Ctx, limits: set[str]) -> int:
        """三（二）1、2: the products' total within the enterprise's annual cap, less what its other awards
        of the year already take (`annual_cap_used`); whole yuan."""
        P, lines = c.P, c.lines
        cap = P[self.total_cap]
        used = c.case.annual_cap_used
        room = EXACT.subtract(cap, used) if used else cap
        capped = int(room) if total > room else total
        if total > room:
            limits.add("enterprise_annual_cap")
        if lines is not None:
            note = P.note(self.total_cap)
            if used:
                taken = (
                    f"{self.clause}：各产品合计 {fmt_yuan_wan(total)}；本企业本年度其他{self.total_cap_what}"
                    f"已占用 {fmt_yuan(used)}，单个企业年度上限 {fmt_yuan(cap)}{note}，剩余 {fmt_yuan(room)}"
                )
                if total > room:
                    cut = "" if room == int(room) else "（舍去不足 1 元的部分）"
                    lines.append(f"{taken} → 本次不超过 {fmt_yuan(capped)}{cut}")
                else:
                    lines.append(f"{taken}，本次未超过剩余额度")
            elif total > cap:
                lines.append(
                    f"{self.clause}：各产品合计 {fmt_yuan_wan(total)}，超过单个企业年度上限 "
                    f"{fmt_yuan_wan(cap)}{note} → {fmt_yuan_wan(capped)}"
                )
            else:
                lines.append(
                    f"{self.clause}：各产品合计 {fmt_yuan_wan(total)}，未超过单个企业年度上限 "
                    f"{fmt_yuan_wan(cap)}{note}"
                )
        return capped


def _result(
    case_id: str | None,
    item: str,
    eligible: bool,
    amount: str,
    reasons: list[str],
    limits: list[str],
    components: list[dict],
    schedule: list[dict],
    citations: list[str],
    lines: list[str] | None,
) -> dict[str, Any]:
    """The one shape of an item result, in the contract's key order (`id` first when given,
    `explanation` last when written)."""
    out: dict[str, Any] = {
        "id": case_id,
        "item": item,
        "eligible": eligible,
        "amount": amount,
        "reasons": reasons,
        "limits_applied": limits,
        "components": components,
        "schedule": schedule,
        "citations": citations,
    }
    if case_id is None:  # an option of `auto`: the case's id is on the case's result
        del out["id"]
    if lines is not None:
        out["explanation"] = lines
    return out


def _not_elsewhere() -> NotSupportedElsewhere:
    return NotSupportedElsewhere(CROSS_CLAUSE)


def declare_item(
    code: str,
    clause: str,
    title: str,
    facts: Iterable[Fact],
    conditions: Iterable[Condition],
    amounts: Iterable[Amount],
    **kw: Any,
) -> Item:
    """An item of section 三 with the conditions every item has: nothing left of the enterprise's annual
    cap (where it has one) and 三（末段） (not supported elsewhere); 批复后拨付 unless a schedule is given."""
    facts = tuple(facts)
    if kw.get("total_cap"):  # nothing left of the enterprise's annual cap: not eligible
        conditions = (*conditions, AnnualCapLeft(kw["total_cap"], kw["total_cap_what"], clause))
    return Item(
        code=code,
        clause=clause,
        title=title,
        facts=facts,
        conditions=(*conditions, _not_elsewhere()),
        amounts=tuple(amounts),
        schedule=kw.pop("schedule", None) or OnApproval(clause),
        required_keys=tuple(f.key for f in facts if f.required),
        **kw,
    )
