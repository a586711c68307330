"""Forms of the financing pages. Amounts are typed in 万元 (WanYuanField) and kept in yuan."""

from __future__ import annotations

from typing import Any

from django import forms

from jigai.core.forms import WanYuanField

from .models import ConsentField, FinancingKind, OutcomeStage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NeedForm(forms.Form):
    amount = WanYuanField(label="融资需求")
    term_months = forms.IntegerField(label="期限（月）", min_value=1, max_value=360)
    kind = forms.ChoiceField(label="融资方式", choices=FinancingKind.choices)
    purpose = forms.CharField(label="资金用途", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(NeedForm):
    field_order = ["project", "amount", "term_months", "kind", "purpose"]

    def __init__(self, *args: Any, projects: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "请选择本市已入库的项目")] + [
            (p.pk, f"{p.enterprise.name} · {p.name}") for p in projects
        ]
        self.fields["project"] = forms.TypedChoiceField(label="项目", choices=choices, coerce=int)
        self.order_fields(self.field_order)


class MoveForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    published_on = forms.DateField(label="发布日期", widget=DATE)


class ConsentForm(forms.Form):
    institution = forms.TypedChoiceField(label="授权对象", coerce=int, empty_value=None, required=False)
    fields = forms.MultipleChoiceField(
        label="可查看的内容", choices=ConsentField.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, institutions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "全部金融机构")] + [
            (i.pk, f"{i.name}（{i.get_kind_display()}）") for i in institutions
        ]


class OutcomeForm(forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=OutcomeStage.choices)
    on_date = forms.DateField(label="日期", widget=DATE)
    amount = WanYuanField(label="金额", required=False)
    product = forms.CharField(label="金融产品", required=False, max_length=100)
    rate = forms.DecimalField(label="年利率（%）", required=False, max_digits=6, decimal_places=3)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    event = forms.TypedChoiceField(label="对接活动", coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, events: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "（不关联活动）")] + [
            (e.pk, f"{e.held_on} {e.title}") for e in events
        ]


class CheckForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "确认"), ("return", "退回")])
    comment = forms.CharField(label="意见", required=False)


class EventForm(forms.Form):
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = forms.DateField(label="活动日期", widget=DATE)
    city = forms.ChoiceField(label="举办市", required=False)
    organiser = forms.CharField(label="主办单位", max_length=200)
    place = forms.CharField(label="地点", max_length=200, required=False)
    institutions = forms.TypedMultipleChoiceField(
        label="邀请金融机构", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    entries = forms.TypedMultipleChoiceField(
        label="邀请白名单项目", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, cities: Any = (), institutions: Any = (), entries: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if cities:
            self.fields["city"].choices = [("", "请选择")] + [(c.code, c.name) for c in cities]
        else:
            del self.fields["city"]  # a city organises in its own city
        self.fields["institutions"].choices = [(i.pk, i.name) for i in institutions]
        self.fields["entries"].choices = [
            (e.pk, f"{e.project.enterprise.name} · {e.project.name}") for e in entries
        ]
