"""The land forms: they check the shape only; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import FeeKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseRegisterForm(forms.Form):
    project = forms.ModelChoiceField(label="零增地项目", queryset=None, empty_label="请选择")
    zone = forms.CharField(
        label="区域（分区）", required=False, max_length=50, help_text="本市收费标准分区域时必填"
    )
    added_floor_area = forms.DecimalField(
        label="新增建筑面积（平方米）",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="留空则取项目信息中的新增建筑面积",
    )
    started_on = forms.DateField(label="开工日期", required=False, widget=DATE, help_text="已开工的一并登记")

    def __init__(self, *args: Any, projects: Any, zones: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.enterprise.name} — {p.name}"


class MoveForm(forms.Form):
    """Every field a move may ask for; the detail page shows those of the move (services.MOVE_FIELDS)."""

    on = forms.DateField(label="日期", required=False, widget=DATE)
    added_floor_area = forms.DecimalField(
        label="新增建筑面积（平方米）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    checking_unit = forms.CharField(label="核验单位", required=False, max_length=200)
    comment = forms.CharField(
        label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RateForm(forms.Form):
    city = forms.ChoiceField(label="省辖市")
    zone = forms.CharField(label="区域（分区）", required=False, max_length=50, help_text="不分区的城市留空")
    kind = forms.ChoiceField(label="收费项目", choices=FeeKind.choices)
    per_m2 = forms.DecimalField(label="标准（元/平方米）", min_value=0, max_digits=16, decimal_places=2)
    valid_from = forms.DateField(label="执行日期", widget=DATE)
    document_no = forms.CharField(label="文件依据", required=False, max_length=200)

    def __init__(self, *args: Any, cities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [(c.code, c.name) for c in cities]


class NeedForm(forms.Form):
    project = forms.ModelChoiceField(label="技术改造项目", queryset=None, empty_label="请选择")
    area = forms.DecimalField(label="新增用地需求（平方米）", min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.enterprise.name} — {p.name}"
