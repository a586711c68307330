"""Filter forms of the list pages (GET): search text, status, kind, region."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from jigai.regions.widgets import JurisdictionField

from .models import ConstructionStatus, EnterpriseStatus, LibraryStatus, ProjectCategory

ALL = [("", "全部")]


class QuickSelect(forms.Select):
    """A <select> written in Python. Django renders every <option> through a template (~0.3 ms each): the
    region filter's ~180 options cost 60 ms on every list page, more than the page's queries."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {"" if value is None else str(value)}
        options = [
            format_html(
                '<option value="{}"{}>{}</option>',
                key,
                mark_safe(" selected") if str(key) in chosen else "",
                label,
            )
            for key, label in self.choices
        ]
        # every option above went through format_html (escaped); joining them keeps them safe
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(options)))  # noqa: S308


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "企业名称或信用代码"})
    )
    status = forms.ChoiceField(label="状态", required=False, choices=ALL + EnterpriseStatus.choices)
    region = JurisdictionField(label="区划", required=False)  # the user's own jurisdiction, as a tree
    above_designated_size = forms.ChoiceField(
        label="规上", required=False, choices=[*ALL, ("1", "规上企业"), ("0", "规下企业")]
    )

    def __init__(self, *args: Any, actor: Any = None, queue: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if queue:
            for name in ("status", "above_designated_size"):
                del self.fields[name]
        self.fields["region"].bind(actor)


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
    region = JurisdictionField(label="区划", required=False)  # the user's own jurisdiction, as a tree
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("", "最新创建"),
            ("-cumulative", "累计完成投资从高到低"),
            ("cumulative", "累计完成投资从低到高"),
            ("-total", "总投资从高到低"),
            ("total", "总投资从低到高"),
        ],
    )

    def __init__(self, *args: Any, actor: Any = None, mode: str = "list", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].bind(actor)
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
