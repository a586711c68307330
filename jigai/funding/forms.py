"""Forms of the funding pages: they only parse input; the services decide."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.utils.safestring import mark_safe

from jigai.core.forms import WanYuanField
from jigai.core.phone import PHONE_HELP
from jigai.regions.widgets import JurisdictionField
from jigai.registry.filters import QuickSelect

from . import calc
from .models import AllocationMethod, AppStatus, ItemGroup, ObjectionResolution
from .services import RUBRIC

# Application.city_rank is a small positive integer; the API takes the same range (FundingTransitionIn).
RANK_MAX = 10_000
RANK_MESSAGE = "推荐排序须为正整数（1 表示排第一），不填则排在本市最后。"
MOVE_MESSAGE = "请选择操作。"

DT_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GuidelineForm(forms.Form):
    year = forms.IntegerField(label="申报年度", min_value=2022, max_value=2100)
    title = forms.CharField(label="指南名称", max_length=200)
    policy_version = forms.CharField(label="政策参数版本", max_length=40, required=False)
    items = forms.MultipleChoiceField(label="开放申报事项", widget=forms.CheckboxSelectMultiple, choices=())
    opens_at = forms.DateTimeField(label="申报开始时间", widget=DT_INPUT)
    closes_at = forms.DateTimeField(label="申报截止时间", widget=DT_INPUT)
    notice_days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30, initial=5)
    parameter_overrides = forms.CharField(
        label="本轮参数调整（JSON，可空）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": '{"3.1.1.threshold": "20000000"}'}),
        help_text=mark_safe(  # a constant, no user input
            "例如把技术改造示范项目（三（一）1）的投资门槛提高到 2000 万元："
            '<code>{"3.1.1.threshold": "20000000"}</code>（键为参数代码）'
        ),
    )
    leading_goose_items = forms.MultipleChoiceField(
        label="头雁企业定额奖励事项（政策三末段：不占企业一年一项）",
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        required=False,
        help_text="只能选择本指南开放的定额奖励事项；仅对头雁资质经核验且在有效期内的企业生效。",
    )
    proactive_items = forms.MultipleChoiceField(
        label="免申即享事项（系统按已核验数据生成奖励，企业和县级确认后纳入评审）",
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        required=False,
        help_text="只能选择本指南开放的定额奖励事项（条件全部是系统掌握并经核验的数据）。",
    )
    description = forms.CharField(label="指南说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = calc.item_choices()
        self.fields["leading_goose_items"].choices = calc.fixed_amount_item_choices()
        self.fields["proactive_items"].choices = calc.fixed_amount_item_choices()
        for group in ItemGroup:
            self.fields[f"budget_{group.value}"] = WanYuanField(
                label=f"预算：{group.label}（万元）", required=False
            )

    def clean_parameter_overrides(self) -> dict[str, Any]:
        raw = (self.cleaned_data.get("parameter_overrides") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise forms.ValidationError('请填写合法的 JSON，如 {"3.1.1.threshold": "20000000"}。') from None
        if not isinstance(value, dict):
            raise forms.ValidationError("须为 JSON 对象。")
        return value

    def data_and_budgets(self) -> tuple[dict[str, Any], dict[str, Any]]:
        cd = self.cleaned_data
        data = {
            k: cd[k]
            for k in (
                "year",
                "title",
                "policy_version",
                "items",
                "opens_at",
                "closes_at",
                "notice_days",
                "parameter_overrides",
                "leading_goose_items",
                "proactive_items",
                "description",
            )
        }
        budgets = {g.value: cd.get(f"budget_{g.value}") for g in ItemGroup}
        return data, budgets


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label="新的截止时间", widget=DT_INPUT)
    reason = forms.CharField(label="理由", max_length=500)


class ApplyForm(forms.Form):
    guideline = forms.TypedChoiceField(label="申报指南", coerce=int, choices=())
    item = forms.ChoiceField(label="申报事项", choices=())
    target = forms.ChoiceField(label="申报对象", choices=())
    requested_amount = WanYuanField(label="申请金额（万元，不填则按测算上限）", required=False)
    declared_other_provincial_support = forms.BooleanField(
        label="该项目已获省级财政其他专项资金支持", required=False
    )
    contact_person = forms.CharField(label="申报联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False, help_text=PHONE_HELP)
    summary = forms.CharField(label="申报说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, guidelines: list[Any], targets: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guideline"].choices = [(g.pk, g.title) for g in guidelines]
        open_items = sorted({i for g in guidelines for i in g.items})
        labels = dict(calc.item_choices())
        self.fields["item"].choices = [(i, labels.get(i, i)) for i in open_items]
        self.fields["target"].choices = [
            (key, f"{calc.TARGET_LABELS[key.split(':')[0]]}：{obj}") for key, obj in targets
        ]


class ApplicationEditForm(forms.Form):
    requested_amount = WanYuanField(label="申请金额（万元，不填则按测算上限）", required=False)
    declared_other_provincial_support = forms.BooleanField(
        label="该项目已获省级财政其他专项资金支持", required=False
    )
    contact_person = forms.CharField(label="申报联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False, help_text=PHONE_HELP)
    summary = forms.CharField(label="申报说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "通过"), ("return", "退回补正"), ("reject", "不予通过"), ("withdraw", "撤回")],
        error_messages={"required": MOVE_MESSAGE, "invalid_choice": MOVE_MESSAGE},
    )
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The city's ranking of what it recommends (design.md flow 5, 市级推荐): "第一", "-3", "1.5" are refused
    # with what is wrong, on the field.
    rank = forms.IntegerField(
        label="推荐排序",
        required=False,
        min_value=1,
        max_value=RANK_MAX,
        error_messages={
            "invalid": RANK_MESSAGE,
            "min_value": RANK_MESSAGE,
            "max_value": f"推荐排序不能大于 {RANK_MAX:,}。",
        },
    )


class AttachmentForm(forms.Form):
    name = forms.CharField(label="材料名称", max_length=200)
    file = forms.FileField(label="文件（PDF/PNG/JPEG，不超过 10 MB）")


class ExpertAssignForm(forms.Form):
    experts = forms.MultipleChoiceField(label="评审专家", widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args: Any, experts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = [(u.pk, u.get_full_name()) for u in experts]


class DeclareForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="利益冲突声明",
        choices=[("no", "本人与申报企业无利益冲突"), ("yes", "本人与申报企业存在利益冲突，申请回避")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    conflict_note = forms.CharField(label="冲突说明（存在冲突时必填）", required=False)


class ScoreForm(forms.Form):
    comment = forms.CharField(label="评审意见", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = {}
        for key, label, top in RUBRIC:
            fields[key] = forms.DecimalField(
                label=f"{label}（满分 {top}）", min_value=0, max_value=top, decimal_places=1, max_digits=4
            )
        self.fields = {**fields, **self.fields}


class AllocationForm(forms.Form):
    item_group = forms.ChoiceField(label="资金类别", choices=ItemGroup.choices)
    method = forms.ChoiceField(label="分配方式", choices=AllocationMethod.choices, widget=forms.RadioSelect)


class NoticePublishForm(forms.Form):
    guideline = forms.TypedChoiceField(label="申报指南", coerce=int, choices=())
    title = forms.CharField(label="公示标题（可空）", max_length=200, required=False)
    starts_on = forms.DateField(label="公示开始日期", widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, guidelines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guideline"].choices = [(g.pk, g.title) for g in guidelines]


class ObjectionForm(forms.Form):
    # a notice of ~540 rows: its <select> written in Python, not one template per option
    application = forms.TypedChoiceField(label="异议对象", coerce=int, choices=(), widget=QuickSelect)
    objector = forms.CharField(label="异议人", max_length=100, required=False)
    objector_contact = forms.CharField(label="联系方式", max_length=100, required=False)
    received_on = forms.DateField(label="收到日期", widget=DATE_INPUT, initial=dt.date.today)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            (e.application_id, f"{e.application.tracking_no} {e.application.enterprise.name}")
            for e in entries
        ]


class ObjectionAssignForm(forms.Form):
    assigned_to = forms.TypedChoiceField(label="承办人", coerce=int, choices=())

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = [(u.pk, u.get_full_name()) for u in staff]


class ObjectionResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label="处理结论", choices=ObjectionResolution.choices, widget=forms.RadioSelect
    )
    resolution_comment = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}))


class PaymentEnterForm(forms.Form):
    paid_on = forms.DateField(
        label="拨付日期", widget=DATE_INPUT, help_text="不早于资金安排决策日期，不晚于今天"
    )
    amount = WanYuanField(label="金额（万元）")
    voucher_no = forms.CharField(label="凭证号", max_length=60)


class PaymentCancelForm(forms.Form):
    reason = forms.CharField(label="作废理由", max_length=500)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), ("todo", "待我处理"), *AppStatus.choices]
    )
    item_group = forms.ChoiceField(
        label="资金类别", required=False, choices=[("", "全部"), *ItemGroup.choices]
    )
    region = JurisdictionField(label="区划", required=False)  # the user's own jurisdiction, as a tree
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "申报编号、企业名称或信用代码"}),
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("", "提交时间（新→旧）"),
            ("submitted", "提交时间（旧→新）"),
            ("-ceiling", "测算上限（高→低）"),
            ("ceiling", "测算上限（低→高）"),
            ("-requested", "申请金额（高→低）"),
            ("requested", "申请金额（低→高）"),
            ("-granted", "安排金额（高→低）"),
            ("granted", "安排金额（低→高）"),
            ("-score", "专家均分（高→低）"),
            ("score", "专家均分（低→高）"),
            ("rank", "市级推荐排序"),
            ("-rank", "市级推荐排序（倒序）"),
            ("tracking", "申报编号"),
            ("-tracking", "申报编号（倒序）"),
            ("enterprise", "企业名称"),
            ("-enterprise", "企业名称（倒序）"),
            ("region", "地区"),
            ("-region", "地区（倒序）"),
            ("status", "状态"),
            ("-status", "状态（倒序）"),
            ("item", "申报事项"),
            ("-item", "申报事项（倒序）"),
        ],
    )

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].bind(actor)
        if len(self.fields["region"].choices) <= 1:  # no jurisdiction (enterprise, expert): no picker
            del self.fields["region"]


BATCH_ACTIONS = [("approve", "通过"), ("return", "退回补正"), ("reject", "不予通过")]


class BatchMoveForm(forms.Form):
    """批量初审 / 推荐 on the queue: one action and one comment for the ticked rows (their ids are read by
    the view: each is checked again by the service, so no list of allowed ids is needed here)."""

    action = forms.ChoiceField(label="批量操作", choices=BATCH_ACTIONS)
    comment = forms.CharField(
        label="意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "对所选申报的统一意见；退回补正、不予通过时必填"}
        ),
    )

    def __init__(self, *args: Any, approve_label: str = "通过", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("approve", approve_label), *BATCH_ACTIONS[1:]]
