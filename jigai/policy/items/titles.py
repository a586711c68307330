"""三（四）称号: 国家级试点示范 (1), 示范基地、绿色工业园区 (2), 融合应用新模式 (3)."""

from __future__ import annotations

from jigai.policy.amounts import Fixed
from jigai.policy.facts import Fact
from jigai.policy.items.base import Item, declare_item
from jigai.policy.rules import FactIn, FactTrue

TITLE_BY = Fact("awarded_by", "认定部门", "enum", choices="awarded_by")


def _title_item(code: str, clause: str, title: str, group: str, name: str) -> Item:
    return declare_item(
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


TITLES: tuple[Item, ...] = (
    _title_item("3.4.1", "三（四）1", "国家级试点示范", "title_341", "国家级试点示范一次性奖励"),
    _title_item(
        "3.4.2",
        "三（四）2",
        "国家新型工业化产业示范基地、绿色工业园区",
        "title_342",
        "国家示范基地、绿色工业园区一次性奖励",
    ),
    declare_item(
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
