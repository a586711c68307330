"""Chinese text of every code the engine returns or accepts."""

from __future__ import annotations

REASON_LABELS: dict[str, str] = {
    "NOT_IN_HENAN": "非省内研发制造单位（须在河南省内注册并研发制造）",
    "PROJECT_TYPE_NOT_COVERED": "项目类型不在支持范围（仅高端化、智能化、绿色化改造）",
    "BELOW_THRESHOLD": "投资额未达到门槛",
    "QUALIFICATION_MISSING": "不具备所需资格，或资格在申报日期不在有效期内",
    "NOT_RECOGNIZED": "未经认定（或在申报日期尚未认定）",
    "NOT_COMPLETED": "项目尚未建成（建成后补助）",
    "NOT_LISTED": "未列入名单或级别不符",
    "NOT_RANKED": "未获得考核等次",
    "TITLE_NOT_LISTED": "称号不在支持清单内，或非国务院、工业和信息化部认定",
    "ALREADY_SUPPORTED": "同一项目已获省级财政其他专项资金支持，不再重复支持",
    "ONE_PER_YEAR": "同一企业一个申报年度内只能申请1个项目",
    "ANNUAL_CAP_REACHED": "本企业本年度该类奖励已达单个企业年度上限，没有剩余额度",
}

LIMIT_LABELS: dict[str, str] = {
    "item_cap": "条款补助上限",
    "enterprise_annual_cap": "单个企业年度上限",
    "term_limit": "保费补贴期限上限",
}

STAGE_LABELS: dict[str, str] = {
    "on_approval": "批准后拨付",
    "at_listing": "列入培育名单时拨付",
    "after_acceptance": "通过验收后拨付",
}

QUALIFICATION_LABELS: dict[str, str] = {
    "leading_goose": "“头雁”企业",
    "national_little_giant": "国家级专精特新“小巨人”企业",
    "provincial_specialized": "省级专精特新中小企业",
}

GROUP_LABELS: dict[str, str] = {
    "三（一）": "技术改造项目",
    "三（二）": "新产品推广",
    "三（三）": "平台建设",
    "三（四）": "试点示范",
}

# Choices of the facts, by fact key.
CHOICES: dict[str, dict[str, str]] = {
    "project_type": {
        "high_end": "高端化改造",
        "intelligent": "智能化改造",
        "green": "绿色化改造",
        "service": "服务化改造",
    },
    "recognitions": {"provincial": "经省认定", "national": "国家首台（套）/国家认定"},
    "centre_level": {
        "provincial": "省级制造业创新中心",
        "national_branch": "国家级制造业创新中心分中心",
        "none": "未认定",
    },
    "platform_status": {
        "recognized": "经省认定",
        "cultivation": "列入省级平台培育名单",
        "none": "未认定、未列入",
    },
    "sme_level": {"national": "国家级", "provincial": "省级", "municipal": "市级及以下"},
    "assessment_rank": {1: "一等", 2: "二等", 3: "三等"},
    "awarded_by": {"state_council": "国务院", "miit": "工业和信息化部", "other": "其他部门"},
    "title_341": {
        "green_factory": "国家级绿色工厂",
        "green_supply_chain": "绿色供应链管理企业",
        "industrial_design_center": "国家级工业设计中心",
        "tech_innovation_demo_enterprise": "国家技术创新示范企业",
        "quality_benchmark": "国家质量标杆",
        "single_champion": "制造业单项冠军",
        "industrial_internet": "国家工业互联网试点示范",
        "big_data": "大数据产业发展试点示范",
        "service_manufacturing": "服务型制造示范",
        "info_consumption": "新型信息消费示范项目",
        "it_manufacturing_integration": "新一代信息技术与制造业融合发展试点示范",
        "other": "其他称号",
    },
    "title_342": {
        "new_industrialization_base": "国家新型工业化产业示范基地",
        "green_industrial_park": "绿色工业园区",
        "other": "其他称号",
    },
    "period_rule": {
        "count": "申报日期之后开始的保险期间也计入",
        "exclude": "申报日期之后开始的保险期间不计",
    },
    "window_rule": {
        "month_end_inclusive": "无对应日时月末日仍在期内",
        "month_end_exclusive": "无对应日时窗口止于月末日（不含）",
    },
}

_ALL_VALUES: dict[object, str] = {}
for _group in CHOICES.values():
    for _k, _v in _group.items():
        _ALL_VALUES.setdefault(_k, _v)
_ALL_VALUES.update(QUALIFICATION_LABELS)


def value_label(value: object, group: str | None = None) -> str:
    """The Chinese name of a code in its group of choices; the code itself when none is known."""
    if group is not None:
        found = CHOICES.get(group, {}).get(value)
        if found is not None:
            return found
    return _ALL_VALUES.get(value, str(value))
