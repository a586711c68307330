"""三（一）技术改造: 示范项目 (1), “头雁” (2), “小巨人” (3), “机器换人” (4)."""

from __future__ import annotations

from jigai.policy.amounts import RateCap
from jigai.policy.facts import Fact
from jigai.policy.items.base import Item, declare_item
from jigai.policy.rules import AtLeast, FactIn, HasQualification, Sum

EQUIPMENT = Fact("equipment_investment", "设备实际投资（元）", "money")
SOFTWARE = Fact("software_investment", "软件实际投资（元）", "money")
INVESTMENT = Sum(("equipment_investment", "software_investment"), "设备、软件投资")


def _qual_item(code: str, clause: str, title: str, kind: str) -> Item:
    return declare_item(
        code,
        clause,
        title,
        (EQUIPMENT, SOFTWARE),
        (HasQualification(kind, clause),),
        (RateCap("设备、软件投资补助", INVESTMENT, f"{code}.rate", f"{code}.cap", clause),),
    )


TRANSFORMATION: tuple[Item, ...] = (
    declare_item(
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
    declare_item(
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
)
