"""The monitoring forms. Figures are in the indicator's own unit (万元, 个, %, 指数), never converted."""

from __future__ import annotations

from typing import Any

from django import forms

from jigai.regions.selectors import region_choices

from .models import Indicator

VALUE_KW: dict[str, Any] = {"max_digits": 20, "decimal_places": 4, "required": False}


class TargetGridForm(forms.Form):
    """One indicator's targets: the parent's own value, each child's value and weight."""

    def __init__(self, *args: Any, parent: Any, children: list, indicator: Indicator, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.children = children
        self.fields["parent_value"] = forms.DecimalField(
            label=f"{parent.name}目标（{indicator.unit}）", **VALUE_KW
        )
        for r in children:
            self.fields[f"value_{r.pk}"] = forms.DecimalField(label=r.name, min_value=0, **VALUE_KW)
            self.fields[f"weight_{r.pk}"] = forms.DecimalField(
                label=f"{r.name}权重", min_value=0, max_digits=12, decimal_places=4, required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"region": r, "value": self[f"value_{r.pk}"], "weight": self[f"weight_{r.pk}"]}
            for r in self.children
        ]


class LetterConfirmForm(forms.Form):
    signed_on = forms.DateField(label="签订日期", widget=forms.DateInput(attrs={"type": "date"}))
    signatories = forms.CharField(label="签订人", max_length=200, help_text="双方签订人姓名、职务")
    signed_file = forms.FileField(label="签字盖章文件（PDF、PNG 或 JPEG）", required=False)


class LetterChangeForm(forms.Form):
    reason = forms.CharField(label="申请调整理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class EntryForm(forms.Form):
    """The month's figures of one region: a value and a note per indicator it reports."""

    def __init__(self, *args: Any, indicators: list[Indicator], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.indicators = indicators
        for ind in indicators:
            self.fields[f"value_{ind.code}"] = forms.DecimalField(
                label=f"{ind.name}（{ind.unit}）", **VALUE_KW
            )
            self.fields[f"note_{ind.code}"] = forms.CharField(
                label=f"{ind.name}异常说明", max_length=1000, required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"indicator": i, "value": self[f"value_{i.code}"], "note": self[f"note_{i.code}"]}
            for i in self.indicators
        ]


class WindowForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    # Both optional: the service fills in the default window in working days (values.default_window).
    opens_on = forms.DateField(
        label="开始填报", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label="截止填报", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        from .services.values import window_working_days

        n = window_working_days()
        self.fields["opens_on"].help_text = f"留空：该月数据于下月第一个工作日开始填报，{n}个工作日后截止。"
        self.fields["closes_on"].help_text = f"留空：自开始日起第{n}个工作日截止。须为工作日。"


class PublishForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)


class ReopenForm(forms.Form):
    region = forms.ChoiceField(label="地区")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    until = forms.DateField(label="开放至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="重新开放理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["region"].choices = region_choices(levels=("city", "county", "zone"))


class CorrectForm(forms.Form):
    new_value = forms.DecimalField(label="更正后数值", max_digits=20, decimal_places=4)
    reason = forms.CharField(label="更正理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
