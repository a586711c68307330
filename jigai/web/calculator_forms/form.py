"""The page form for one item (or `auto`): built from the catalog, edited by its buttons, turned
into one case of the contract, and given back the engine's errors beside their inputs.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from jigai.web.calculator_forms.catalog import auto_facts, item_groups
from jigai.web.calculator_forms.cleaning import MISSING, clean_field
from jigai.web.calculator_forms.tree import (
    AUTO,
    MAX_ROWS,
    TRUE,
    FactGroup,
    Field,
    Row,
    build_field,
    build_row,
    repath,
    row_count,
)

CASE_ID = "calculator"
PATH_TAIL_RE = re.compile(r"(\[\d+\]|\.[^.\[\]]+)$")

# 三（一）2 and 三（一）3 turn on the applicant's qualification (头雁企业, 国家级专精特新"小巨人"); the other
# items do not look at it, so their form leaves the rows out. `auto` tries those items too.
QUALIFICATION_ITEMS = {"3.1.2", "3.1.3", AUTO}

QUALIFICATION_FIELDS = [
    {"key": "kind", "label": "资格类型", "type": "enum"},
    {"key": "valid_from", "label": "有效期起", "type": "date"},
    {"key": "valid_to", "label": "有效期止", "type": "date"},
]


class CalculatorForm:
    """The page form for one item (or `auto`): the applicant, the application date and the item's facts."""

    def __init__(
        self,
        catalog: list[dict[str, Any]],
        data: QueryDict | None = None,
        *,
        item: str | None = None,
        qualification_labels: dict[str, str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.items = {i["code"]: i for i in catalog}
        requested = item or (data.get("item") if data is not None else None) or ""
        self.item = requested if requested == AUTO or requested in self.items else ""
        self.auto = self.item == AUTO
        self.non_field_errors: list[str] = []
        # Only a form that was on the page carries its own values; a bare item choice starts fresh.
        bound = data is not None and "as_of" in data
        values = data if bound else None

        self.item_field = Field(path="item", key="item", label="申报事项", widget="select", value=self.item)
        self.as_of = _case_field(
            "as_of",
            "申报日期",
            "date",
            values,
            timezone.localdate().isoformat(),
            required=True,
            help="资格、认定按此日判断，其年份即申报年度",
        )
        self.in_henan = _case_field(
            "applicant.in_henan", "省内企业（在河南省内注册并研发、制造）", "checkbox", values, True
        )
        self.other_support = _case_field(
            "other_provincial_support", "该项目已获省级财政其他专项资金支持", "checkbox", values, False
        )
        self.uscc = _case_field(
            "applicant.uscc", "统一社会信用代码（选填）", "text", values, "", help="18 位；填写后校验其校验位"
        )
        self.uscc.value = self.uscc.value.upper()
        # 三（二）1、2 "单个企业年度…最高不超过": what the enterprise's other awards of the year already
        # take of the cap — asked only for the items that have one (the catalog's annual_cap_group).
        self.annual_cap_used = _case_field(
            "annual_cap_used",
            "本企业本年度其他同类奖励已占用的年度上限（万元，选填）",
            "wan",
            values,
            "",
            help="本申报年度已获或待批的其他首台（套）奖励或首版次软件奖励（两者分别计算）；不填按 0 计",
        )
        q_specs = [dict(s) for s in QUALIFICATION_FIELDS]
        q_specs[0]["choices"] = [[k, v] for k, v in (qualification_labels or {}).items()]
        self.qualifications = Field(
            path="applicant.qualifications",
            key="qualifications",
            label="企业资格",
            widget="rows",
            row_specs=q_specs,
            help="“头雁”企业、国家级专精特新“小巨人”企业等，按申报日期是否在有效期内判断",
        )
        q_default = 1 if self.item in QUALIFICATION_ITEMS else 0
        self.qualifications.rows = [
            build_row(q_specs, f"{self.qualifications.path}[{i}]", values)
            for i in range(row_count(values, self.qualifications.path, q_default))
        ]

        self.fact_groups: list[FactGroup] = []
        if self.auto:
            for title, specs in auto_facts(catalog):
                fields = [build_field(s, f"facts.{s['key']}", values, auto=True) for s in specs]
                self.fact_groups.append(FactGroup(title=title, fields=fields))
        elif self.item:
            chosen = self.items[self.item]
            fields = [
                build_field(s, f"facts.{s['key']}", values, auto=False) for s in chosen.get("facts") or []
            ]
            self.fact_groups.append(FactGroup(title=chosen.get("title", ""), fields=fields))

    # --- what the template needs ---

    @property
    def groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        return item_groups(self.catalog)

    @property
    def selected_item(self) -> dict[str, Any] | None:
        return self.items.get(self.item)

    @property
    def show_qualifications(self) -> bool:
        # rows filled for another item stay on the page rather than being dropped silently
        return self.item in QUALIFICATION_ITEMS or self.qualifications.filled

    @property
    def show_annual_cap_used(self) -> bool:
        chosen = self.items.get(self.item) or {}
        return self.auto or bool(chosen.get("annual_cap_group")) or bool(self.annual_cap_used.value)

    @property
    def fact_fields(self) -> list[Field]:
        return [f for g in self.fact_groups for f in g.fields]

    @property
    def has_errors(self) -> bool:
        return bool(self.non_field_errors) or any(f.has_errors for f in self._top_fields())

    def _top_fields(self) -> list[Field]:
        return [
            self.item_field,
            self.as_of,
            self.in_henan,
            self.other_support,
            self.uscc,
            self.annual_cap_used,
            self.qualifications,
            *self.fact_fields,
        ]

    def _index(self) -> dict[str, Field | Row]:
        index: dict[str, Field | Row] = {}

        def walk(f: Field) -> None:
            index[f.path] = f
            for row in f.rows:
                index[row.path] = row
                for sub in row.fields:
                    walk(sub)

        for f in self._top_fields():
            walk(f)
        return index

    # --- buttons that edit the form (no evaluation) ---

    def apply_action(self, data: QueryDict) -> bool:
        """Handle the "选择" (item), "添加一行" and "删除" buttons; True when one was pressed."""
        if "choose" in data:
            return True
        if "add_row" in data:
            target = self._index().get(data["add_row"])
            if isinstance(target, Field) and target.is_rows and len(target.rows) < MAX_ROWS:
                path = f"{target.path}[{len(target.rows)}]"
                target.rows.append(build_row(target.row_specs, path, None))
            return True
        if "remove_row" in data:
            index = self._index()
            row = index.get(data["remove_row"])
            owner = index.get(PATH_TAIL_RE.sub("", data["remove_row"]))
            if isinstance(row, Row) and isinstance(owner, Field) and row in owner.rows:
                owner.rows.remove(row)
                repath(owner, owner.path)
            return True
        return False

    # --- from the form to the contract ---

    def to_case(self) -> dict[str, Any] | None:
        """The contract's case; None when an input is blank or malformed (its field then has the error)."""
        if not self.item:
            self.item_field.errors.append("请选择申报事项")
        as_of = clean_field(self.as_of)
        annual_cap_used = clean_field(self.annual_cap_used) if self.show_annual_cap_used else MISSING
        qualifications = clean_field(self.qualifications)
        facts: dict[str, Any] = {}
        for f in self.fact_fields:
            value = clean_field(f)
            if value is not MISSING:
                facts[f.key] = value
        if self.auto and not facts and not self.has_errors:
            self.non_field_errors.append("自动推荐：请至少填写一个支持项目所需的全部事实")
        if self.has_errors:
            return None
        applicant: dict[str, Any] = {
            "in_henan": self.in_henan.value,
            "qualifications": [] if qualifications is MISSING else qualifications,
        }
        if self.uscc.value:
            applicant["uscc"] = self.uscc.value
        case = {
            "id": CASE_ID,
            "item": self.item,
            "as_of": as_of,
            "applicant": applicant,
            "other_provincial_support": self.other_support.value,
            "facts": facts,
        }
        if annual_cap_used is not MISSING:
            case["annual_cap_used"] = annual_cap_used
        return case

    def add_engine_error(self, error: dict[str, Any]) -> None:
        """Put the engine's per-case error beside its input, or beside the nearest enclosing one when the
        path names something the form does not show on its own (e.g. "facts.periods[1]" → that row)."""
        message = str(error.get("message") or "输入有误")
        path = re.sub(r"^cases\[\d+\]\.", "", str(error.get("field") or ""))
        index = self._index()
        while path:
            target = index.get(path)
            if target is not None:
                target.errors.append(message)
                return
            shorter = PATH_TAIL_RE.sub("", path)
            if shorter == path:
                break
            path = shorter
        self.non_field_errors.append(message)


def _case_field(
    path: str, label: str, widget: str, values: QueryDict | None, default: Any, **kw: Any
) -> Field:
    """An input of the case itself (not a fact), keyed by the last part of its path: as typed on a form
    that was on the page, `default` on a fresh one."""
    if values is None:
        value = default
    elif widget == "checkbox":
        value = values.get(path) in TRUE
    else:
        value = values.get(path, "").strip()
    return Field(path=path, key=path.rsplit(".", 1)[-1], label=label, widget=widget, value=value, **kw)
