"""Amount rules and payment schedules of the items.

Each rule computes its components and, when asked, writes the explanation lines with the same numbers.
Every number comes from the parameters (`c.P[...]`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

from jigai.core.money import yuan as fmt_yuan
from jigai.core.money import yuan_wan as fmt_yuan_wan
from jigai.policy.facts import Ctx
from jigai.policy.labels import CHOICES, STAGE_LABELS
from jigai.policy.rules import Sum
from jigai.policy.values import EXACT, add_months, fmt_rate, plain

ZERO = Decimal(0)
ONE_DAY = timedelta(days=1)


def fmt_exact(value: Decimal | Fraction) -> str:
    """An intermediate result as written in the explanation. A decimal is exact and written in full
    (3703703.673 → "3,703,703.673 元"). A fraction (a pro-rata premium) is written to the fen: as it is
    when that is exact, otherwise rounded half up and marked "约" (1234.5678 → "约 1,234.57 元")."""
    if isinstance(value, Fraction):
        num, den = value.numerator, value.denominator
        if den == 1:
            return f"{num:,} 元"
        fen, rest = divmod(num * 100, den)
        if rest == 0:
            return f"{_fen_text(fen)} 元"
        if 2 * rest >= den:  # half up (the figures here are never negative)
            fen += 1
        return f"约 {Decimal(fen).scaleb(-2):,f} 元"  # both decimals: the figure is cut to the fen
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} 元"


def _fen_text(fen: int) -> str:
    """A whole number of fen as yuan, e.g. 123457 → "1,234.57", 123450 → "1,234.5"."""
    text = f"{Decimal(fen).scaleb(-2):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fraction_plain(value: Fraction) -> str:
    """A counted premium as a plain yuan string, cut to the fen (the exact sum is in the explanation)."""
    return ratio_plain(value.numerator, value.denominator)


def ratio_plain(numerator: int, denominator: int) -> str:
    """`fraction_plain(Fraction(numerator, denominator))` without building the (reduced) fraction."""
    fen = numerator * 100 // denominator
    return str(fen // 100) if fen % 100 == 0 else plain(Decimal(fen).scaleb(-2))


# --- amounts -------------------------------------------------------------------------------------------


class Amount:
    """An amount rule appends its components and returns their total (whole yuan)."""

    fixed: ClassVar[bool] = False  # 定额: a sum the policy sets, not rate × base

    def apply(self, c: Ctx, components: list[dict], limits: set[str]) -> int:  # pragma: no cover
        raise NotImplementedError


def _component(name: str, base: str | None, rate: str | None, cap: str | None, amount: int) -> dict:
    return {"name": name, "base": base, "rate": rate, "cap": cap, "amount": str(amount)}


def rate_cap(base: Decimal, rate: Decimal, cap: Decimal) -> tuple[int, bool]:
    """min(rate × base, cap), truncated to whole yuan: (amount, whether the cap cut it)."""
    raw = EXACT.multiply(base, rate)
    if raw > cap:
        return int(cap), True
    return int(raw), False


def rate_cap_line(clause: str, label: str, base: Decimal, rate: Decimal, cap: Decimal, note: str) -> str:
    """The explanation of `rate_cap` with the same numbers."""
    raw = EXACT.multiply(base, rate)
    amount, capped = rate_cap(base, rate, cap)
    product = f"{clause}：{label} {fmt_yuan(base)} × {fmt_rate(rate)} = {fmt_exact(raw)}"
    if capped:
        return f"{product}，超过上限 {fmt_yuan_wan(cap)}{note}，取上限 → {fmt_yuan_wan(amount)}"
    cut = "" if amount == raw else "，舍去不足 1 元的部分"
    return f"{product}，未超过上限 {fmt_yuan_wan(cap)}{note}{cut} → {fmt_yuan_wan(amount)}"


@dataclass(frozen=True)
class RateCap(Amount):
    """min(rate × base, cap), truncated to whole yuan."""

    name: str
    base: Sum
    rate: str
    cap: str
    clause: str
    show_sum: bool = True  # False when a threshold line has already shown how the base adds up

    def apply(self, c: Ctx, components: list[dict], limits: set[str]) -> int:
        P = c.P
        keys = self.base.keys
        if len(keys) == 1:
            base = c.facts[keys[0]]
        else:
            base = self.base.value(c)
        rate = P[self.rate]
        cap = P[self.cap]
        raw = EXACT.multiply(base, rate)
        if raw > cap:
            amount = int(cap)
            limits.add("item_cap")
        else:
            amount = int(raw)
        if c.lines is None:
            text = P.text
            components.append(
                {
                    "name": self.name,
                    "base": str(base),
                    "rate": text[self.rate],
                    "cap": text[self.cap],
                    "amount": str(amount),
                }
            )
            return amount
        if c.lines is not None:
            if self.show_sum and len(self.base.keys) > 1:
                c.lines.append(f"{self.clause}：{self.base.text(c)}")
            c.lines.append(
                rate_cap_line(self.clause, self.name, base, rate, cap, P.note(self.rate, self.cap))
            )
        components.append(
            {"name": self.name, "base": str(base), "rate": str(rate), "cap": str(cap), "amount": str(amount)}
        )
        return amount


@dataclass(frozen=True)
class Fixed(Amount):
    """A sum the policy sets ("给予一次性奖励…万元")."""

    fixed: ClassVar[bool] = True
    name: str
    param: str
    clause: str

    def apply(self, c: Ctx, components: list[dict], limits: set[str]) -> int:
        amount = int(c.P[self.param])
        if c.lines is not None:
            c.lines.append(f"{self.clause}：{self.name} {fmt_yuan_wan(amount)}{c.P.note(self.param)}")
        components.append(_component(self.name, None, None, None, amount))
        return amount


@dataclass(frozen=True)
class ByRank(Amount):
    """三（三）3: the award of the assessment rank (a sum the policy sets for each rank)."""

    fixed: ClassVar[bool] = True

    fact: str
    params: tuple[tuple[int, str], ...]
    clause: str

    def apply(self, c: Ctx, components: list[dict], limits: set[str]) -> int:
        rank = c.facts[self.fact]
        param = dict(self.params)[rank]
        amount = int(c.P[param])
        name = f"考核{CHOICES['assessment_rank'][rank]}奖励"
        if c.lines is not None:
            c.lines.append(f"{self.clause}：{name} {fmt_yuan_wan(amount)}{c.P.note(param)}")
        components.append(_component(name, None, None, None, amount))
        return amount


@dataclass(frozen=True)
class Insurance(Amount):
    """保费补贴: sum over the periods of subsidy × min(premium × c/m, premium-rate cap × insured × c/12),
    each period counting the months `c` of its `m` that still fit in the term; truncated once at the end.
    A period that starts after `as_of` counts or not by the parameter `<item>.periods_after_as_of`
    (三（二） "保费补贴时间按照保险期限据实核算"; the contract's example E07 counts them)."""

    name: str
    prefix: str
    clause: str

    def apply(self, c: Ctx, components: list[dict], limits: set[str]) -> int:
        P = c.P
        pre = self.prefix
        derived = P.memo.get(pre)  # keyed by the parameter prefix: one Insurance rule per item
        if derived is None:
            derived = P.memo[pre] = (
                P[pre + ".term_months"],
                *P[pre + ".subsidy_rate"].as_integer_ratio(),
                *P[pre + ".premium_rate_cap"].as_integer_ratio(),
                plain(P[pre + ".subsidy_rate"]),
                P[pre + ".periods_after_as_of"] == "exclude",
            )
        term, s_num, s_den, r_num, r_den, subsidy_text, exclude_later = derived
        as_of = c.case.as_of
        insured_fen = int(c.facts["insured_amount"].scaleb(2))
        periods = c.facts["periods"]
        # Exact integer arithmetic on one common denominator K (yuan × K): every term below divides.
        span = 1
        for period in periods:
            span = math.lcm(span, period["months"])
        k = 100 * s_den * r_den * 12 * span
        premium_unit = k // 100
        ceiling_unit = r_num * insured_fen * (k // (100 * r_den * 12))
        remaining = term
        counted = 0  # Σ min(premium share, ceiling), × K
        total = 0  # Σ subsidy, × K
        for period in periods:
            if exclude_later and period["start"] > as_of:
                break  # periods are in time order: this one and the later ones started after as_of
            months = period["months"]
            n = months if months <= remaining else remaining
            remaining -= n
            if n < months:
                limits.add("term_limit")
            if n == 0:
                continue
            premium = int(period["premium"].scaleb(2)) * n * (premium_unit // months)
            ceiling = ceiling_unit * n
            base = premium if premium <= ceiling else ceiling
            counted += base
            total += s_num * base // s_den
        amount = total // k
        if c.lines is not None:
            self._explain(c, periods, term, exclude_later)
        components.append(_component(self.name, ratio_plain(counted, k), subsidy_text, None, amount))
        return amount

    def _explain(self, c: Ctx, periods: list[dict], term: int, exclude_later: bool) -> None:
        """The same sum with fractions, period by period."""
        P, pre, lines = c.P, self.prefix, c.lines
        assert lines is not None
        subsidy_rate = Fraction(P[pre + ".subsidy_rate"])
        rate_cap = Fraction(P[pre + ".premium_rate_cap"])
        insured = Fraction(c.facts["insured_amount"])
        lines.append(
            f"{self.clause}：保费补贴期限最长 {term} 个月{P.note(pre + '.term_months')}；"
            "每期计入的保费取实际保费与"
            f"“保险金额 {fmt_yuan(c.facts['insured_amount'])} × 费率上限 "
            f"{fmt_rate(P[pre + '.premium_rate_cap'])}{P.note(pre + '.premium_rate_cap')} × 计入月数/12”"
            f"中较小者，再乘以 {fmt_rate(P[pre + '.subsidy_rate'])}{P.note(pre + '.subsidy_rate')}"
        )
        remaining = term
        total = Fraction(0)
        as_of = c.case.as_of
        rule = P.note(pre + ".periods_after_as_of")
        for i, period in enumerate(periods, 1):
            months = period["months"]
            start = period["start"].isoformat()
            later = period["start"] > as_of
            if later and exclude_later:
                lines.append(
                    f"{self.clause}：第 {i} 期（{start} 起 {months} 个月）起始日期晚于申报日期 "
                    f"{as_of.isoformat()}，保费补贴按保险期限据实核算，不计{rule}"
                )
                continue
            n = min(months, remaining)
            remaining -= n
            if n == 0:
                lines.append(f"{self.clause}：第 {i} 期（{start} 起 {months} 个月）已超出期限，不计")
                continue
            premium = Fraction(period["premium"]) * n / months
            ceiling = rate_cap * insured * n / 12
            base = min(premium, ceiling)
            total += subsidy_rate * base
            part = f"计入 {n}/{months} 个月" if n < months else f"{months} 个月全部计入"
            if later:
                part += f"；起始日期晚于申报日期 {as_of.isoformat()}，按本版参数仍计入{rule}"
            which = "取实际保费" if premium <= ceiling else "取费率上限"
            lines.append(
                f"{self.clause}：第 {i} 期（{start} 起，{part}）："
                f"{fmt_rate(P[pre + '.subsidy_rate'])} × min({fmt_exact(premium)}, {fmt_exact(ceiling)})"
                f"（{which}） = {fmt_exact(subsidy_rate * base)}"
            )
        amount = total.numerator // total.denominator
        cut = "" if amount == total else "，舍去不足 1 元的部分"
        lines.append(f"{self.clause}：各期合计 {fmt_exact(total)}{cut} → {fmt_yuan_wan(amount)}")


def recognized_321(product: dict, c: Ctx) -> bool:
    return bool(product["recognitions"])


@dataclass(frozen=True)
class EquipmentAward(Amount):
    """三（二）1 首台（套）奖励: each product min(rate × invoices, national or provincial cap)."""

    clause: str

    def apply(self, c: Ctx, components: list[dict], limits: set[str]) -> int:
        P = c.P
        rate = P["3.2.1-award.rate"]
        total = 0
        for product in c.facts["products"]:
            rec = product["recognitions"]
            name = product["name"]
            if not rec:
                if c.lines is not None:
                    c.lines.append(f"{self.clause}：产品“{name}”未经国家或省认定，不计奖励")
                continue
            cap_param = "3.2.1-award.national_cap" if "national" in rec else "3.2.1-award.provincial_cap"
            kind = "国家首台（套）" if "national" in rec else "省认定首台（套）"
            cap = P[cap_param]
            sales = product["sales_invoice_amount"]
            amount, capped = rate_cap(sales, rate, cap)
            if capped:
                limits.add("item_cap")
            if c.lines is not None:
                note = P.note("3.2.1-award.rate", cap_param)
                label = f"产品“{name}”（{kind}）销售发票金额"
                c.lines.append(rate_cap_line(self.clause, label, sales, rate, cap, note))
            components.append(
                _component(
                    f"{name}（{kind}）",
                    plain(product["sales_invoice_amount"]),
                    P.text["3.2.1-award.rate"],  # plain(rate)
                    P.text[cap_param],  # plain(cap)
                    amount,
                )
            )
            total += amount
        return total


def recognized_322(product: dict, c: Ctx) -> bool:
    return product["recognized_on"] <= c.case.as_of


@dataclass(frozen=True)
class SoftwareAward(Amount):
    """三（二）2 首版次软件奖励: each product min(rate × invoices dated in
    [recognized_on, recognized_on + window), product cap)."""

    clause: str

    def apply(self, c: Ctx, components: list[dict], limits: set[str]) -> int:
        P = c.P
        rate = P["3.2.2-award.rate"]
        cap = P["3.2.2-award.product_cap"]
        months = P["3.2.2-award.window_months"]
        inclusive = P["3.2.2-award.window_no_corresponding_day"] == "month_end_inclusive"
        as_of = c.case.as_of
        upto = as_of + ONE_DAY  # an invoice dated after the application date is not counted
        total = 0
        for product in c.facts["products"]:
            name = product["name"]
            start = product["recognized_on"]
            if not recognized_322(product, c):
                if c.lines is not None:
                    c.lines.append(
                        f"{self.clause}：产品“{name}”认定日期 {start.isoformat()} 晚于申报日期 "
                        f"{c.case.as_of.isoformat()}，不计奖励"
                    )
                continue
            end = add_months(start, months, month_end_inclusive=inclusive)
            stop = end if end <= upto else upto
            base = ZERO
            used = 0
            for inv in product["invoices"]:
                if start <= inv["date"] < stop:
                    base = EXACT.add(base, inv["amount"])
                    used += 1
            amount, capped = rate_cap(base, rate, cap)
            if capped:
                limits.add("item_cap")
            if c.lines is not None:
                c.lines.append(
                    f"{self.clause}：产品“{name}”自认定之日 {start.isoformat()} 起 {months} 个月"
                    f"{P.note('3.2.2-award.window_months')}，"
                    f"计入 [{start.isoformat()}, {end.isoformat()}) 内的发票 "
                    f"{used} 张（共 {len(product['invoices'])} 张"
                    + _late_invoices(product["invoices"], stop, end, as_of)
                    + f"），合计 {fmt_yuan(base)}"
                    + (
                        "（认定日为2月29日等到期月无对应日时，月末日仍在期内）"
                        if end.day == 1 and start.day != 1 and inclusive
                        else ""
                    )
                )
                note = P.note("3.2.2-award.rate", "3.2.2-award.product_cap")
                label = f"产品“{name}”认定后 {months} 个月内发票金额"
                c.lines.append(rate_cap_line(self.clause, label, base, rate, cap, note))
            components.append(
                _component(
                    name, plain(base), P.text["3.2.2-award.rate"], P.text["3.2.2-award.product_cap"], amount
                )
            )
            total += amount
        return total


def _late_invoices(invoices: list[dict], stop: date, end: date, as_of: date) -> str:
    """ "；其中 k 张…晚于申报日期，不计" for the invoices of the window dated after the application date."""
    if stop >= end:
        return ""
    late = sum(1 for inv in invoices if stop <= inv["date"] < end)
    if not late:
        return ""
    return f"；其中 {late} 张开票日期晚于申报日期 {as_of.isoformat()}，不计"


# --- schedules -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnApproval:
    clause: str

    def split(self, c: Ctx, amount: int) -> list[dict]:
        return [{"stage": "on_approval", "amount": str(amount)}]


@dataclass(frozen=True)
class Staged:
    """三（三）2: a platform on the cultivation list gets a share at listing, the rest after acceptance."""

    fact: str
    when: str
    first: str
    second: str
    clause: str

    def split(self, c: Ctx, amount: int) -> list[dict]:
        if c.facts[self.fact] != self.when:
            if c.lines is not None:
                c.lines.append(f"{self.clause}：{STAGE_LABELS['on_approval']} {fmt_yuan_wan(amount)}")
            return [{"stage": "on_approval", "amount": str(amount)}]
        share = c.P[self.first]
        first = int(EXACT.multiply(Decimal(amount), share))
        second = amount - first
        if c.lines is not None:
            note = c.P.note(self.first, self.second)
            accepted = "已通过验收" if c.facts.get("accepted") else "尚未通过验收"
            c.lines.append(
                f"{self.clause}：列入培育名单时先拨 {fmt_rate(share)}：{fmt_yuan_wan(first)}；通过验收后再拨 "
                f"{fmt_rate(c.P[self.second])}：{fmt_yuan_wan(second)}{note}（平台{accepted}）"
            )
        return [
            {"stage": "at_listing", "amount": str(first)},
            {"stage": "after_acceptance", "amount": str(second)},
        ]
