"""The Chinese of the funding round's codes in the audit history (issue 9): statuses, item codes such as
"3.2.1-insurance", payment stages, methods, and the labels of the keys that are not model fields.
Registered when the funding URLs load (funding.urls imports this module)."""

from __future__ import annotations

from jigai.audit.selectors import register_field_labels, register_value_labels

from . import calc
from .models import (
    AllocationMethod,
    AppStatus,
    Conflict,
    GuidelineStatus,
    ItemGroup,
    ObjectionResolution,
    PaymentStatus,
)
from .models.choices import stage_label

APPLICATION = "funding.application"

for target in (APPLICATION, "funding.payment", "funding.allocation", "funding.publicnotice"):
    register_value_labels(target, "status", {**dict(PaymentStatus.choices), **dict(AppStatus.choices)})
    register_value_labels(target, "item", calc.item_label)
    register_value_labels(target, "item_group", dict(ItemGroup.choices))
    register_value_labels(target, "stage", stage_label)
    register_value_labels(target, "method", dict(AllocationMethod.choices))
    register_value_labels(target, "conflict", dict(Conflict.choices))
    register_value_labels(target, "resolution", dict(ObjectionResolution.choices))
    register_field_labels(
        target,
        {
            "status": "状态",
            "stage": "拨付阶段",
            "amount": "金额（元）",
            "voucher_no": "凭证号",
            "payment": "拨付记录编号",
            "payee_name": "收款单位",
            "payee_account": "银行账号",
            "receipt": "银行回单",
            "attachment": "申报材料",
            "type": "文件类型",
            "total": "总分",
            "total_granted": "安排合计（元）",
            "objection": "异议编号",
            "resolution": "处理结果",
            "reason": "理由",
            "method": "分配方式",
            "expert": "专家",
            "assigned_to": "分配给",
            "entries": "公示项目数",
            "awarded": "确定立项项目数",
            "budget": "预算（元）",
            "flag": "疑点",
            "conflict": "利益冲突声明",
            "starts_on": "公示开始日期",
            "ends_on": "公示截止日期",
        },
    )
register_value_labels("funding.guideline", "status", dict(GuidelineStatus.choices))
register_value_labels("funding.guideline", "items", calc.item_label)
