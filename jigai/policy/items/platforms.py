"""三（三）平台: 制造业创新中心 (1), 工业互联网平台 (2), 中小企业公共服务平台 (3)."""

from __future__ import annotations

from jigai.policy.amounts import ByRank, Fixed, RateCap, Staged
from jigai.policy.facts import Fact
from jigai.policy.items.base import Item, declare_item
from jigai.policy.rules import FactEquals, FactIn, FactPresent, FactTrue, Sum

CENTRE_LEVEL = Fact("level", "创新中心级别", "enum", choices="centre_level")

PLATFORMS: tuple[Item, ...] = (
    declare_item(
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
    declare_item(
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
    declare_item(
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
    declare_item(
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
    declare_item(
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
)
