"""三（二）首台（套）、首版次: the insurance premiums and the awards of 1 (equipment) and 2 (software)."""

from __future__ import annotations

from jigai.policy.amounts import EquipmentAward, Insurance, SoftwareAward, recognized_321, recognized_322
from jigai.policy.errors import CaseError
from jigai.policy.facts import Fact
from jigai.policy.items.base import Item, declare_item
from jigai.policy.rules import AnyProduct, FactContains, InHenan

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


def _periods_in_order(facts: dict) -> None:
    periods = facts["periods"]
    for i in range(1, len(periods)):
        if periods[i]["start"] <= periods[i - 1]["start"]:
            raise CaseError(f"facts.periods[{i}].start", "保险期间应按时间顺序排列（起始日期逐期递增）")


def _insurance_item(code: str, clause: str, title: str, what: str) -> Item:
    return declare_item(
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


PRODUCTS: tuple[Item, ...] = (
    _insurance_item(
        "3.2.1-insurance", "三（二）1", "首台（套）重大技术装备保费补贴", "产品作为首台（套）重大技术装备"
    ),
    declare_item(
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
    declare_item(
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
)
