"""Filter forms of the list pages (GET): search text, status, kind, region."""

from __future__ import annotations

from typing import Any

from django import forms

from jigai.regions.selectors import region_choices

from .models import ConstructionStatus, EnterpriseStatus, LibraryStatus, ProjectCategory

ALL = [("", "全部")]


def _region_filter_choices() -> list[tuple[str, str]]:
    return ALL + region_choices("city") + region_choices("county")


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "企业名称或信用代码"})
    )
    status = forms.ChoiceField(label="状态", required=False, choices=ALL + EnterpriseStatus.choices)
    region = forms.ChoiceField(label="区划", required=False, choices=[])
    above_designated_size = forms.ChoiceField(
        label="规上", required=False, choices=[*ALL, ("1", "规上企业"), ("0", "规下企业")]
    )

    def __init__(self, *args: Any, queue: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_filter_choices()
        if queue:
            for name in ("status", "above_designated_size", "region"):
                del self.fields[name]


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "项目名称、企业名称或信用代码"}),
    )
    status = forms.ChoiceField(label="入库状态", required=False, choices=ALL + LibraryStatus.choices)
    category = forms.ChoiceField(label="改造类型", required=False, choices=ALL + ProjectCategory.choices)
    construction = forms.ChoiceField(
        label="建设状态", required=False, choices=ALL + ConstructionStatus.choices
    )
    region = forms.ChoiceField(label="区划", required=False, choices=[])

    def __init__(self, *args: Any, mode: str = "list", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_filter_choices()
        if mode != "list":
            del self.fields["status"]
        if mode == "missing":
            del self.fields["construction"]


class ObjectFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "名称或企业名称"})
    )
    kind = forms.ChoiceField(label="类型", required=False, choices=[])

    def __init__(self, *args: Any, kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ALL + list(kinds)
