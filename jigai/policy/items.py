"""The items of section 三, declared: facts, conditions (reason code + clause), amount rules, schedule.

Every number lives in the parameter file under `<item>.<name>`; nothing here is a policy number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jigai.policy.amounts import (
    Amount,
    ByRank,
    EquipmentAward,
    Fixed,
    Insurance,
    OnApproval,
    RateCap,
    SoftwareAward,
    Staged,
    recognized_321,
    recognized_322,
)
from jigai.policy.errors import CaseError
from jigai.policy.facts import CaseInfo, Ctx, Fact
from jigai.policy.labels import GROUP_LABELS, LIMIT_LABELS
from jigai.policy.params import Params
from jigai.policy.rules import (
    AnnualCapLeft,
    AnyProduct,
    AtLeast,
    Condition,
    FactContains,
    FactEquals,
    FactIn,
    FactPresent,
    FactTrue,
    HasQualification,
    InHenan,
    NotSupportedElsewhere,
    Sum,
)
from jigai.policy.values import EXACT, MONEY_RE, fmt_yuan, fmt_yuan_wan

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
        eligibility, amount, components, schedule, citations, explanation."""
        if not explain:
            return self._run_quiet(facts, case, P, case_id)
        lines: list[str] | None = []
        c = Ctx(facts, case, P, lines)
        reasons: list[str] = []
        for cond in self.conditions:
            ok = cond.holds(c)
            if not ok and cond.reason not in reasons:
                reasons.append(cond.reason)
            if lines is not None:
                line = cond.line(c, ok)
                if line is not None:
                    lines.append(line)
        citations = [self.clause, CROSS_CLAUSE] if case.other_support else [self.clause]
        if reasons:
            if lines is not None:
                lines.append(f"{self.clause}：不符合支持条件，补助为 0 元")
            return _result(case_id, self.code, False, "0", reasons, [], [], [], citations, lines)
        components: list[dict] = []
        limits: set[str] = set()
        total = 0
        for rule in self.amounts:
            total += rule.apply(c, components, limits)
        if self.total_cap is not None:
            cap = P[self.total_cap]
            used = case.annual_cap_used
            if used:  # 三（二）1、2: the enterprise's other awards of the year already take part of the cap
                room = EXACT.subtract(cap, used)
                taken = (
                    f"{self.clause}：各产品合计 {fmt_yuan_wan(total)}；本企业本年度其他{self.total_cap_what}"
                    f"已占用 {fmt_yuan(used)}，单个企业年度上限 {fmt_yuan(cap)}{P.note(self.total_cap)}，"
                    f"剩余 {fmt_yuan(room)}"
                )
                if total > room:
                    cut = "" if room == int(room) else "（舍去不足 1 元的部分）"
                    total = int(room)
                    lines.append(f"{taken} → 本次不超过 {fmt_yuan(total)}{cut}")
                    limits.add("enterprise_annual_cap")
                else:
                    lines.append(f"{taken}，本次未超过剩余额度")
            elif total > cap:
                lines.append(
                    f"{self.clause}：各产品合计 {fmt_yuan_wan(total)}，超过单个企业年度上限 "
                    f"{fmt_yuan_wan(cap)}{P.note(self.total_cap)} → {fmt_yuan_wan(int(cap))}"
                )
                total = int(cap)
                limits.add("enterprise_annual_cap")
            else:
                lines.append(
                    f"{self.clause}：各产品合计 {fmt_yuan_wan(total)}，未超过单个企业年度上限 "
                    f"{fmt_yuan_wan(cap)}{P.note(self.total_cap)}"
                )
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

    def _run_quiet(
        self, facts: dict[str, Any], case: CaseInfo, P: Params, case_id: str | None
    ) -> dict[str, Any]:
        """`run` without explanation: the same decisions and numbers, no lines written."""
        c = Ctx(facts, case, P, None)
        reasons: list[str] | None = None
        for cond in self.conditions:
            if not cond.holds(c):
                reason = cond.reason
                if reasons is None:
                    reasons = [reason]
                elif reason not in reasons:
                    reasons.append(reason)
        citations = [self.clause, CROSS_CLAUSE] if case.other_support else [self.clause]
        if reasons is not None:
            if case_id is None:
                return {
                    "item": self.code,
                    "eligible": False,
                    "amount": "0",
                    "reasons": reasons,
                    "limits_applied": [],
                    "components": [],
                    "schedule": [],
                    "citations": citations,
                }
            return {
                "id": case_id,
                "item": self.code,
                "eligible": False,
                "amount": "0",
                "reasons": reasons,
                "limits_applied": [],
                "components": [],
                "schedule": [],
                "citations": citations,
            }
        components: list[dict] = []
        limits: set[str] = set()
        total = 0
        for rule in self.amounts:
            total += rule.apply(c, components, limits)
        if self.total_cap is not None:
            room = P[self.total_cap]
            used = case.annual_cap_used
            if used:
                room = EXACT.subtract(room, used)
            if total > room:
                total = int(room)
                limits.add("enterprise_annual_cap")
        schedule = self.schedule.split(c, total)
        if case_id is None:
            return {
                "item": self.code,
                "eligible": True,
                "amount": str(total),
                "reasons": [],
                "limits_applied": sorted(limits) if limits else [],
                "components": components,
                "schedule": schedule,
                "citations": citations,
            }
        return {
            "id": case_id,
            "item": self.code,
            "eligible": True,
            "amount": str(total),
            "reasons": [],
            "limits_applied": sorted(limits) if limits else [],
            "components": components,
            "schedule": schedule,
            "citations": citations,
        }


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
    if case_id is None:
        out = {
            "item": item,
            "eligible": eligible,
            "amount": amount,
            "reasons": reasons,
            "limits_applied": limits,
            "components": components,
            "schedule": schedule,
            "citations": citations,
        }
    else:
        out = {
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
    if lines is not None:
        out["explanation"] = lines
    return out


# --- facts used by several items ---------------------------------------------------------------------

EQUIPMENT = Fact("equipment_investment", "设备实际投资（元）", "money")
SOFTWARE = Fact("software_investment", "软件实际投资（元）", "money")
INVESTMENT = Sum(("equipment_investment", "software_investment"), "设备、软件投资")
RECOGNITIONS = Fact("recognitions", "认定情况", "list", choices="recognitions")
INSURED = Fact("insured_amount", "保险金额（元）", "money")
PERIODS = Fact(
    "periods",
    "保险期间（按时间顺序）",
    "list",
    fields=(
        Fact("start", "起始日期", "date"),
        Fact("months", "期限（月）", "int", low=1, high=120),
        Fact("premium", "该期保费（元）", "money"),
    ),
    min_items=1,
)
TITLE_BY = Fact("awarded_by", "认定部门", "enum", choices="awarded_by")
CENTRE_LEVEL = Fact("level", "创新中心级别", "enum", choices="centre_level")


def _periods_in_order(facts: dict) -> None:
    periods = facts["periods"]
    for i in range(1, len(periods)):
        if periods[i]["start"] <= periods[i - 1]["start"]:
            raise CaseError(f"facts.periods[{i}].start", "保险期间应按时间顺序排列（起始日期逐期递增）")


def _not_elsewhere() -> NotSupportedElsewhere:
    return NotSupportedElsewhere(CROSS_CLAUSE)


def _item(code: str, clause: str, title: str, facts, conditions, amounts, **kw) -> Item:
    if kw.get("total_cap"):  # nothing left of the enterprise's annual cap: not eligible
        conditions = (*conditions, AnnualCapLeft(kw["total_cap"], kw["total_cap_what"], clause))
    return Item(
        code=code,
        clause=clause,
        title=title,
        facts=tuple(facts),
        conditions=(*conditions, _not_elsewhere()),
        amounts=tuple(amounts),
        schedule=kw.pop("schedule", None) or OnApproval(clause),
        required_keys=tuple(f.key for f in facts if f.required),
        **kw,
    )


def _qual_item(code: str, clause: str, title: str, kind: str) -> Item:
    return _item(
        code,
        clause,
        title,
        (EQUIPMENT, SOFTWARE),
        (HasQualification(kind, clause),),
        (RateCap("设备、软件投资补助", INVESTMENT, f"{code}.rate", f"{code}.cap", clause),),
    )


def _insurance_item(code: str, clause: str, title: str, what: str) -> Item:
    return _item(
        code,
        clause,
        title,
        (RECOGNITIONS, INSURED, PERIODS),
        (
            FactContains(
                "recognitions",
                "provincial",
                f"{what}经省认定",
                f"{what}未经省认定",
                clause,
                "NOT_RECOGNIZED",
            ),
        ),
        (Insurance(f"{title}", code, clause),),
        check=_periods_in_order,
    )


def _title_item(code: str, clause: str, title: str, group: str, name: str) -> Item:
    return _item(
        code,
        clause,
        title,
        (Fact("title", "称号", "enum", choices=group, open=True), TITLE_BY),
        (
            FactIn("title", f"{code}.titles", "称号", group, clause, "TITLE_NOT_LISTED"),
            FactIn(
                "awarded_by", f"{code}.awarding_bodies", "认定部门", "awarded_by", clause, "TITLE_NOT_LISTED"
            ),
        ),
        (Fixed(name, f"{code}.amount", clause),),
    )


_ITEMS: tuple[Item, ...] = (
    _item(
        "3.1.1",
        "三（一）1",
        "技术改造示范项目",
        (Fact("project_type", "项目类型", "enum", choices="project_type"), EQUIPMENT, SOFTWARE),
        (
            FactIn(
                "project_type",
                "3.1.1.project_types",
                "项目类型",
                "project_type",
                "三（一）1",
                "PROJECT_TYPE_NOT_COVERED",
            ),
            AtLeast(INVESTMENT, "3.1.1.threshold", "三（一）1"),
        ),
        (RateCap("设备、软件投资补助", INVESTMENT, "3.1.1.rate", "3.1.1.cap", "三（一）1", show_sum=False),),
    ),
    _qual_item("3.1.2", "三（一）2", "“头雁”企业重点技术改造项目", "leading_goose"),
    _qual_item("3.1.3", "三（一）3", "国家级专精特新“小巨人”企业技术改造", "national_little_giant"),
    _item(
        "3.1.4",
        "三（一）4",
        "“机器换人”示范项目",
        (Fact("machine_purchase_investment", "整机购置实际投资（元）", "money"),),
        (),
        (
            RateCap(
                "整机购置投资补助",
                Sum(("machine_purchase_investment",), "整机购置投资"),
                "3.1.4.rate",
                "3.1.4.cap",
                "三（一）4",
            ),
        ),
    ),
    _insurance_item(
        "3.2.1-insurance", "三（二）1", "首台（套）重大技术装备保费补贴", "产品作为首台（套）重大技术装备"
    ),
    _item(
        "3.2.1-award",
        "三（二）1",
        "首台（套）重大技术装备奖励",
        (
            Fact(
                "products",
                "首台（套）产品",
                "list",
                fields=(
                    Fact("name", "产品名称", "text"),
                    Fact("recognitions", "认定情况", "list", choices="recognitions"),
                    Fact("sales_invoice_amount", "销售发票金额（元）", "money"),
                ),
                min_items=1,
            ),
        ),
        (
            InHenan("三（二）1", "研发制造单位"),
            AnyProduct(
                recognized_321,
                "至少一个产品为国家首台（套）或经省认定的首台（套）",
                "没有国家首台（套）或经省认定的首台（套）产品",
                "三（二）1",
            ),
        ),
        (EquipmentAward("三（二）1"),),
        total_cap="3.2.1-award.enterprise_annual_cap",
        total_cap_what="首台（套）奖励",
    ),
    _insurance_item("3.2.2-insurance", "三（二）2", "首版次软件保费补贴", "软件产品作为首版次软件"),
    _item(
        "3.2.2-award",
        "三（二）2",
        "首版次软件奖励",
        (
            Fact(
                "products",
                "首版次软件产品",
                "list",
                fields=(
                    Fact("name", "产品名称", "text"),
                    Fact("recognized_on", "省认定日期", "date"),
                    Fact(
                        "invoices",
                        "销售（服务）发票",
                        "list",
                        fields=(Fact("date", "开票日期", "date"), Fact("amount", "发票金额（元）", "money")),
                    ),
                ),
                min_items=1,
            ),
        ),
        (
            InHenan("三（二）2", "研发企业"),
            AnyProduct(
                recognized_322,
                "至少一个软件产品在申报日期前已经省认定为首版次",
                "没有在申报日期前经省认定的首版次软件产品",
                "三（二）2",
            ),
        ),
        (SoftwareAward("三（二）2"),),
        total_cap="3.2.2-award.enterprise_annual_cap",
        total_cap_what="首版次软件奖励",
    ),
    _item(
        "3.3.1-cultivation",
        "三（三）1",
        "省级制造业创新中心培育",
        (
            Fact("on_cultivation_list", "列入省级制造业创新中心培育名单", "bool"),
            Fact("completed", "项目已建成", "bool"),
            Fact("rd_pilot_equipment_investment", "购置研发、中试等试验设备实际投资（元）", "money"),
        ),
        (
            FactTrue(
                "on_cultivation_list",
                "已列入省级制造业创新中心培育名单",
                "未列入省级制造业创新中心培育名单",
                "三（三）1",
                "NOT_LISTED",
            ),
            FactTrue(
                "completed",
                "项目已建成（建成后补助）",
                "项目尚未建成（建成后补助）",
                "三（三）1",
                "NOT_COMPLETED",
            ),
        ),
        (
            RateCap(
                "研发、中试试验设备投资补助",
                Sum(("rd_pilot_equipment_investment",), "购置研发、中试等试验设备投资"),
                "3.3.1-cultivation.rate",
                "3.3.1-cultivation.cap",
                "三（三）1",
            ),
        ),
    ),
    _item(
        "3.3.1-provincial",
        "三（三）1",
        "省级制造业创新中心",
        (
            CENTRE_LEVEL,
            Fact("equipment_investment", "技术引进及购置科研仪器、设备和软件实际投资（元）", "money"),
            Fact("service_revenue", "成果转化、委托研发和技术服务实际收入（元）", "money"),
        ),
        (
            FactIn(
                "level",
                "3.3.1-provincial.levels",
                "创新中心级别",
                "centre_level",
                "三（三）1",
                "NOT_RECOGNIZED",
            ),
        ),
        (
            RateCap(
                "技术引进及科研仪器、设备和软件投资补助",
                Sum(("equipment_investment",), "技术引进及购置科研仪器、设备和软件投资"),
                "3.3.1-provincial.equipment_rate",
                "3.3.1-provincial.equipment_cap",
                "三（三）1",
            ),
            RateCap(
                "成果转化、委托研发和技术服务收入补助",
                Sum(("service_revenue",), "技术成果转化、委托研发和技术服务实际收入"),
                "3.3.1-provincial.service_rate",
                "3.3.1-provincial.service_cap",
                "三（三）1",
            ),
        ),
    ),
    _item(
        "3.3.1-national-promotion",
        "三（三）1",
        "晋升国家级制造业创新中心",
        (CENTRE_LEVEL, Fact("promoted_to_national", "已晋升为国家级制造业创新中心", "bool")),
        (
            FactIn(
                "level",
                "3.3.1-national-promotion.levels",
                "创新中心级别",
                "centre_level",
                "三（三）1",
                "NOT_RECOGNIZED",
            ),
            FactTrue(
                "promoted_to_national",
                "已晋升为国家级制造业创新中心",
                "未晋升为国家级制造业创新中心",
                "三（三）1",
                "NOT_RECOGNIZED",
            ),
        ),
        (Fixed("晋升国家级制造业创新中心一次性奖励", "3.3.1-national-promotion.amount", "三（三）1"),),
    ),
    _item(
        "3.3.2",
        "三（三）2",
        "工业互联网平台",
        (
            Fact("status", "平台状态", "enum", choices="platform_status"),
            Fact("accepted", "培育平台已通过验收", "bool", required=False, default=False),
        ),
        (FactEquals("status", "none", "平台状态", "platform_status", "三（三）2", "NOT_LISTED"),),
        (Fixed("工业互联网平台奖补", "3.3.2.amount", "三（三）2"),),
        schedule=Staged(
            "status", "cultivation", "3.3.2.listing_share", "3.3.2.acceptance_share", "三（三）2"
        ),
    ),
    _item(
        "3.3.3",
        "三（三）3",
        "中小企业公共服务平台",
        (
            Fact("level", "平台级别", "enum", choices="sme_level"),
            Fact(
                "assessment_rank", "考核等次", "int", choices="assessment_rank", nullable=True, low=1, high=3
            ),
        ),
        (
            FactIn("level", "3.3.3.levels", "平台级别", "sme_level", "三（三）3", "NOT_LISTED"),
            FactPresent("assessment_rank", "考核等次", "assessment_rank", "三（三）3", "NOT_RANKED"),
        ),
        (
            ByRank(
                "assessment_rank",
                ((1, "3.3.3.first_prize"), (2, "3.3.3.second_prize"), (3, "3.3.3.third_prize")),
                "三（三）3",
            ),
        ),
    ),
    _title_item("3.4.1", "三（四）1", "国家级试点示范", "title_341", "国家级试点示范一次性奖励"),
    _title_item(
        "3.4.2",
        "三（四）2",
        "国家新型工业化产业示范基地、绿色工业园区",
        "title_342",
        "国家示范基地、绿色工业园区一次性奖励",
    ),
    _item(
        "3.4.3",
        "三（四）3",
        "新一代信息技术融合应用新模式",
        (Fact("provincially_recognized", "经省认定为新一代信息技术融合应用新模式项目", "bool"),),
        (
            FactTrue(
                "provincially_recognized", "项目经省认定", "项目未经省认定", "三（四）3", "NOT_RECOGNIZED"
            ),
        ),
        (Fixed("新一代信息技术融合应用新模式一次性奖励", "3.4.3.amount", "三（四）3"),),
    ),
)

ITEMS: dict[str, Item] = {it.code: it for it in _ITEMS}
ITEM_ORDER: dict[str, int] = {it.code: i for i, it in enumerate(_ITEMS)}  # contract order = clause order


def _declared(item: str) -> Item:
    found = ITEMS.get(item) if isinstance(item, str) else None
    if found is None:
        raise ValueError(f"未知的支持项目 {item!r}，应为 {'、'.join(ITEMS)} 之一")
    return found


def annual_cap_group(item: str) -> str | None:
    """The 单个企业年度 cap an item's awards count against (三（二）1、2), as its parameter path, e.g.
    "3.2.1-award" → "3.2.1-award.enterprise_annual_cap"; None for an item without one. Items with the
    same group share one cap per enterprise and year (each clause has its own: 三（二）1 and 三（二）2
    write a sentence each). `ValueError` for an unknown item."""
    return _declared(item).total_cap


def is_fixed_amount(item: str) -> bool:
    """定额: the item's amount is a sum the policy sets ("给予…万元", the ranks' awards), not rate × base —
    read from the item's declared amount rules. `ValueError` for an unknown item."""
    return all(rule.fixed for rule in _declared(item).amounts)
