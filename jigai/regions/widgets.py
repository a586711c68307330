"""The one region picker of the system (issue 9 "Finding and acting on work"): a <select> of the user's own
jurisdiction as a tree — an <optgroup> per city, its counties and development zones (开发区、高新区、航空港区,
marked "（功能区）") indented under it. The choices come from regions.selectors.jurisdiction_choices; a code
outside them is refused on the server with a Chinese message, so a hand-made request cannot pick a region
the user does not govern. No free-text region code box remains anywhere.

Usage in a form:

    region = JurisdictionField(label="区划", required=False)            # filters: city, county, zone
    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind(actor)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Region
from .selectors import jurisdiction_choices

FILTER_LEVELS = ("city", "county", "zone")
COUNTY_LEVELS = ("county", "zone")  # where an enterprise is located (Jiyuan included as county-level)
ALL_LEVELS = ("province", "city", "county", "zone")
OUTSIDE = "所选区划不在您的管辖范围内，请从列表中选择。"


class JurisdictionSelect(forms.Select):
    """A <select> with an <optgroup> per city, written in Python: Django renders every <option> through a
    template (~0.3 ms each), and the province's ~200 regions would cost 60 ms on every list page."""

    def __init__(self, attrs: dict | None = None, choices: Any = ()) -> None:
        base = {"class": "region-picker", "data-region-picker": "1"}
        super().__init__({**base, **(attrs or {})}, choices)

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = "" if value is None else str(getattr(value, "pk", value))

        def option(key: Any, label: Any) -> SafeString:
            selected = mark_safe(" selected") if str(key) == chosen else ""
            return format_html('<option value="{}"{}>{}</option>', key, selected, label)

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                inner = "".join(option(k, lab) for k, lab in label)
                # each option went through format_html (escaped); joining them keeps them safe
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', key, mark_safe(inner)))  # noqa: S308
            else:
                parts.append(option(key, label))
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(parts)))  # noqa: S308


class JurisdictionField(forms.ChoiceField):
    """A region picked from the actor's jurisdiction. `levels`: which levels may be picked; `blank`: the
    label of the empty choice ("全部" in filters, "——请选择——" in forms, None for no empty choice);
    `as_region`: clean to the Region row (None when empty) instead of the code. Until `bind(actor)` is
    called the choices are those of a signed-out user (the whole province: the public registration)."""

    widget = JurisdictionSelect
    default_error_messages = {"invalid_choice": OUTSIDE, "required": "请选择区划。"}

    def __init__(
        self,
        *,
        levels: tuple[str, ...] = FILTER_LEVELS,
        blank: str | None = "全部",
        as_region: bool = False,
        **kwargs: Any,
    ) -> None:
        self.levels = levels
        self.blank = blank
        self.as_region = as_region
        super().__init__(choices=self._choices_for(None), **kwargs)

    def _choices_for(self, actor: Any) -> Any:
        blank = [("", self.blank)] if self.blank is not None else []
        levels = self.levels
        # a callable: read when the form is rendered or validated, never at import time
        return lambda: blank + jurisdiction_choices(actor, levels)

    def bind(self, actor: Any) -> JurisdictionField:
        """Limit the choices to `actor`'s jurisdiction (read once: rendering and validation share it)."""
        self.choices = list(self._choices_for(actor)())
        return self

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "pk", value)

    def to_python(self, value: Any) -> str:
        return super().to_python(getattr(value, "pk", value))

    def clean(self, value: Any) -> Any:
        code = super().clean(value)
        if not self.as_region:
            return code
        return Region.objects.filter(pk=code).first() if code else None
