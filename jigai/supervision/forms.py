"""Forms of the supervision pages. They only parse input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from jigai.core.forms import WanYuanField
from jigai.regions.models import Region, RegionLevel

from .services.ranking import DIRECTIONS, INDICATORS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_choices(under: Region | None = None) -> list[tuple[str, str]]:
    """Cities and counties (the units a ticket goes to), each city followed by its counties; `under` limits
    them to that region and below."""
    qs = Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]).order_by("path")
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return [(r.code, r.name if r.level == RegionLevel.CITY else f"　{r.name}") for r in qs]


class TicketOpenForm(forms.Form):
    region_code = forms.ChoiceField(label="承办单位", choices=())
    subject = forms.CharField(label="督办事项", max_length=200)
    detail = forms.CharField(label="存在问题或差距", widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label="办理时限", widget=DATE)
    indicator_code = forms.CharField(label="相关指标代码（可不填）", max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = unit_choices()


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label="附件（PDF、PNG 或 JPEG，不超过 10 MB）", required=False, widget=forms.ClearableFileInput()
    )


class MoveForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(forms.Form):
    uscc = forms.CharField(label="企业统一社会信用代码", max_length=18)
    visit_date = forms.DateField(label="走访日期", widget=DATE)
    visitor = forms.CharField(label="走访人", max_length=100)
    problem = forms.CharField(label="企业反映的问题", widget=forms.Textarea(attrs={"rows": 4}))
    region_code = forms.ChoiceField(label="责任单位", choices=())
    deadline = forms.DateField(label="办理时限", widget=DATE)

    def __init__(self, *args: Any, under: Region | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = unit_choices(under)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="对办理结果的评价",
        coerce=int,
        choices=[
            (5, "5 分 非常满意"),
            (4, "4 分 满意"),
            (3, "3 分 基本满意"),
            (2, "2 分 不满意"),
            (1, "1 分 很不满意"),
        ],
    )
    comment = forms.CharField(label="评价意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class GreenDataForm(forms.Form):
    uscc = forms.CharField(label="企业统一社会信用代码", max_length=18)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value_added = WanYuanField(label="工业增加值（万元）")
    energy_use = forms.DecimalField(
        label="综合能耗（吨标准煤）", min_value=0, decimal_places=2, max_digits=14
    )
    water_use = forms.DecimalField(label="用水量（立方米）", min_value=0, decimal_places=2, max_digits=14)
    emissions = forms.DecimalField(label="二氧化碳排放量（吨）", min_value=0, decimal_places=2, max_digits=14)


class RuleForm(forms.Form):
    name = forms.CharField(label="规则名称", max_length=100)
    valid_from = forms.DateField(label="生效日期", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, (label, unit, _f) in INDICATORS.items():
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=f"{label}（{unit}）权重", min_value=0, max_value=1, decimal_places=4, required=False
            )
            self.fields[f"direction_{code}"] = forms.ChoiceField(
                label=f"{label} 方向", choices=list(DIRECTIONS.items()), initial="lower"
            )

    def weights(self) -> list[dict[str, str]]:
        out = []
        for code in INDICATORS:
            weight = self.cleaned_data.get(f"weight_{code}")
            if weight:
                out.append(
                    {
                        "indicator": code,
                        "weight": str(weight),
                        "direction": self.cleaned_data[f"direction_{code}"],
                    }
                )
        return out


class ComputeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class PracticeForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    text = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 10}))
    attachment = forms.FileField(label="附件（PDF、PNG 或 JPEG，不超过 10 MB）", required=False)
