"""The policy calculator page's form: built from the engine's item catalog, read from POST data, turned
into one case of the calculator contract (spec/policy-calculator.md); and the engine's answer turned
back into field errors and display strings.

Every input is named by its path in the contract ("as_of", "applicant.qualifications[0].kind",
"facts.periods[1].premium"), so an engine error's `field` finds its input without a mapping table.
Repeatable rows are counted by a hidden input "rows:<path>", so adding or removing a row works as a
plain form POST without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils import timezone

AUTO = "auto"
ROWS_PREFIX = "rows:"
MAX_ROWS = 50  # a hand-filled form never needs more; bounds what a crafted POST can make us build
CASE_ID = "calculator"

MONEY_RE = re.compile(r"^\d{1,16}(\.\d{1,2})?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT_RE = re.compile(r"^-?\d{1,9}$")
PATH_TAIL_RE = re.compile(r"(\[\d+\]|\.[^.\[\]]+)$")
CLAUSE_GROUP_RE = re.compile(r"^(.*?（[一二三四五六七八九十]+）)")
TRUE = {"on", "true", "1"}

REQUIRED = "请填写此项"
CHOOSE = "请选择一项"

# 三（一）2 and 三（一）3 turn on the applicant's qualification (头雁企业, 国家级专精特新"小巨人"); the other
# items do not look at it, so their form leaves the rows out. `auto` tries those items too.
QUALIFICATION_ITEMS = {"3.1.2", "3.1.3", AUTO}

QUALIFICATION_FIELDS = [
    {"key": "kind", "label": "资格类型", "type": "enum"},
    {"key": "valid_from", "label": "有效期起", "type": "date"},
    {"key": "valid_to", "label": "有效期止", "type": "date"},
]


# --- the form tree -----------------------------------------------------------------------------------


@dataclass
class Field:
    """One input, or one repeatable list of rows. `path` is the contract path and the HTML name."""

    path: str
    key: str
    label: str
    widget: str  # money | int | date | select | checkbox | tristate | text | multi | rows
    required: bool = False  # blank is an error
    nullable: bool = False  # blank is sent as null (a rank not awarded)
    choices: list[tuple[str, str]] = field(default_factory=list)
    choice_values: dict[str, Any] = field(default_factory=dict)  # shown value → JSON value
    help: str = ""
    min_items: int = 0
    value: Any = ""  # as typed: str; list[str] for multi; bool for checkbox
    errors: list[str] = field(default_factory=list)
    row_specs: list[dict[str, Any]] = field(default_factory=list)  # rows only: the catalog's `fields`
    rows: list[Row] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^0-9A-Za-z_-]", "-", self.path)

    @property
    def rows_name(self) -> str:
        return ROWS_PREFIX + self.path

    @property
    def is_rows(self) -> bool:
        return self.widget == "rows"

    @property
    def filled(self) -> bool:
        if self.is_rows:
            return any(row.filled for row in self.rows)
        return bool(self.value)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.has_errors for row in self.rows)


@dataclass
class Row:
    path: str
    fields: list[Field]
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "r-" + re.sub(r"[^0-9A-Za-z_-]", "-", self.path)

    @property
    def index(self) -> int:
        return int(self.path.rsplit("[", 1)[1].rstrip("]"))

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def inline_fields(self) -> list[Field]:
        return [f for f in self.fields if not f.is_rows]

    @property
    def nested_fields(self) -> list[Field]:
        return [f for f in self.fields if f.is_rows]

    @property
    def filled(self) -> bool:
        return any(f.filled for f in self.fields)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(f.has_errors for f in self.fields)


@dataclass
class FactGroup:
    title: str
    fields: list[Field]

    @property
    def open(self) -> bool:
        return any(f.filled or f.has_errors for f in self.fields)


# --- catalog helpers ---------------------------------------------------------------------------------


def group_title(item: dict[str, Any]) -> str:
    """ "三（一）技术改造项目" from the clause "三（一）1" and the group "技术改造项目"."""
    found = CLAUSE_GROUP_RE.match(item.get("clause") or "")
    prefix = found.group(1) if found else ""
    return f"{prefix}{item.get('group') or ''}" or "其他"


def item_groups(catalog: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The items by group (三（一）…三（四）), in catalog order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in catalog:
        groups.setdefault(group_title(item), []).append(item)
    return list(groups.items())


def auto_facts(catalog: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """For `auto`: every fact of every item once (the contract's facts are one flat object, so a key is
    the same input for every item), in the group of its first item, with the choices of all its items."""
    seen: dict[str, dict[str, Any]] = {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in catalog:
        for spec in item.get("facts") or []:
            key = spec["key"]
            if key in seen:
                merged = seen[key]
                known = {str(c[0]) for c in merged["choices"]}
                merged["choices"].extend(list(c) for c in spec.get("choices") or [] if str(c[0]) not in known)
                continue
            copy = {**spec, "choices": [list(c) for c in spec.get("choices") or []]}
            seen[key] = copy
            grouped.setdefault(group_title(item), []).append(copy)
    return list(grouped.items())


# --- building the tree from POST data ---------------------------------------------------------------


def _widget(spec: dict[str, Any], *, auto: bool) -> str:
    kind = spec.get("type", "text")
    if kind == "list":
        return "rows" if spec.get("fields") else "multi"  # multi: e.g. recognitions [provincial, national]
    if kind == "bool":
        return "tristate" if auto else "checkbox"  # in auto mode "not given" must differ from "no"
    if spec.get("choices"):
        return "select"  # enums, and ints with named values (考核等次 1/2/3)
    return kind if kind in {"money", "int", "date", "text"} else "text"


def _row_count(data: QueryDict | None, path: str, default: int) -> int:
    raw = data.get(ROWS_PREFIX + path) if data is not None else None
    if raw is None or not raw.isdigit():
        return default
    return min(int(raw), MAX_ROWS)


def build_field(spec: dict[str, Any], path: str, data: QueryDict | None, *, auto: bool) -> Field:
    widget = _widget(spec, auto=auto)
    choices = [(c[0], c[1]) for c in spec.get("choices") or []]
    nullable = bool(spec.get("nullable"))
    f = Field(
        path=path,
        key=spec["key"],
        label=spec.get("label") or spec["key"],
        widget=widget,
        # auto: only what is filled is sent, so the engine tries the items whose facts are all there
        required=not auto and not nullable and spec.get("required", True) and widget != "checkbox",
        nullable=nullable and not auto,
        choices=[(str(v), label) for v, label in choices],
        choice_values={str(v): v for v, _ in choices},
        help=spec.get("help", ""),
        min_items=int(spec.get("min_items") or 0),
        row_specs=list(spec.get("fields") or []),
    )
    if widget == "rows":
        count = _row_count(data, path, max(1, f.min_items))
        f.rows = [build_row(f.row_specs, f"{path}[{i}]", data) for i in range(count)]
    elif widget == "multi":
        f.value = data.getlist(path) if data is not None else []
    elif widget == "checkbox":
        f.value = data is not None and data.get(path) in TRUE
    else:
        f.value = data.get(path, "").strip() if data is not None else ""
    return f


def build_row(specs: list[dict[str, Any]], path: str, data: QueryDict | None) -> Row:
    # Inside a row every input is asked for, also in auto mode: a half-filled row is a mistake.
    return Row(path=path, fields=[build_field(s, f"{path}.{s['key']}", data, auto=False) for s in specs])


def _repath(f: Field, path: str) -> None:
    f.path = path
    for i, row in enumerate(f.rows):
        row.path = f"{path}[{i}]"
        for sub in row.fields:
            _repath(sub, f"{row.path}.{sub.key}")


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
        self.as_of = Field(
            path="as_of",
            key="as_of",
            label="申报日期",
            widget="date",
            required=True,
            value=values.get("as_of", "").strip() if values else timezone.localdate().isoformat(),
            help="资格、认定按此日判断，其年份即申报年度",
        )
        self.in_henan = Field(
            path="applicant.in_henan",
            key="in_henan",
            label="省内企业（在河南省内注册并研发、制造）",
            widget="checkbox",
            value=values.get("applicant.in_henan") in TRUE if values else True,
        )
        self.other_support = Field(
            path="other_provincial_support",
            key="other_provincial_support",
            label="该项目已获省级财政其他专项资金支持",
            widget="checkbox",
            value=values.get("other_provincial_support") in TRUE if values else False,
        )
        self.uscc = Field(
            path="applicant.uscc",
            key="uscc",
            label="统一社会信用代码（选填）",
            widget="text",
            value=values.get("applicant.uscc", "").strip().upper() if values else "",
            help="18 位；填写后校验其校验位",
        )
        # 三（二）1、2 "单个企业年度…最高不超过": what the enterprise's other awards of the year already
        # take of the cap — asked only for the items that have one (the catalog's annual_cap_group).
        self.annual_cap_used = Field(
            path="annual_cap_used",
            key="annual_cap_used",
            label="本企业本年度其他同类奖励已占用的年度上限（元，选填）",
            widget="money",
            value=values.get("annual_cap_used", "").strip() if values else "",
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
            for i in range(_row_count(values, self.qualifications.path, q_default))
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
                _repath(owner, owner.path)
            return True
        return False

    # --- from the form to the contract ---

    def to_case(self) -> dict[str, Any] | None:
        """The contract's case; None when an input is blank or malformed (its field then has the error)."""
        if not self.item:
            self.item_field.errors.append("请选择申报事项")
        as_of = _clean(self.as_of)
        annual_cap_used = _clean(self.annual_cap_used) if self.show_annual_cap_used else MISSING
        qualifications = _clean(self.qualifications)
        facts: dict[str, Any] = {}
        for f in self.fact_fields:
            value = _clean(f)
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


MISSING = object()


def _clean(f: Field) -> Any:
    """The field's value for the contract, or MISSING when it is left out; errors go on the field."""
    if f.is_rows:
        rows = [row for row in f.rows if row.filled]  # a row added and left blank is ignored
        values = []
        for row in rows:
            item = {}
            for sub in row.fields:
                value = _clean(sub)
                if value is not MISSING:
                    item[sub.key] = value
            values.append(item)
        if not rows:
            if f.required and f.min_items:
                f.errors.append(f"请至少填写 {f.min_items} 行")
            return [] if f.required else MISSING
        return values
    if f.widget == "checkbox":
        return bool(f.value)
    if f.widget == "multi":
        if any(v not in f.choice_values for v in f.value):
            f.errors.append(CHOOSE)
            return MISSING
        if not f.value and not f.required:
            return MISSING
        return [f.choice_values[v] for v in f.value]
    if f.widget == "tristate":
        if f.value in {"true", "false"}:
            return f.value == "true"
        if f.value:
            f.errors.append(CHOOSE)
        return MISSING
    raw = f.value
    if raw == "":
        if f.nullable:
            return None
        if f.required:
            f.errors.append(CHOOSE if f.widget == "select" else REQUIRED)
        return MISSING
    if f.widget == "money":
        return _clean_money(f, raw)
    if f.widget == "int":
        if not INT_RE.match(raw):
            f.errors.append("请输入整数")
            return MISSING
        return int(raw)
    if f.widget == "date":
        return _clean_date(f, raw)
    if f.widget == "select":
        if raw not in f.choice_values:
            f.errors.append(CHOOSE)
            return MISSING
        return f.choice_values[raw]
    if len(raw) > 200:
        f.errors.append("不超过 200 个字")
        return MISSING
    return raw


def _clean_money(f: Field, raw: str) -> Any:
    # People write amounts with thousands separators and the unit; the contract wants plain yuan.
    text = re.sub(r"[,，\s]", "", raw).removesuffix("元")
    if text.startswith("-"):
        f.errors.append("金额不能为负数")
        return MISSING
    if re.fullmatch(r"\d+\.\d{3,}", text):
        f.errors.append("金额最多两位小数（精确到分）")
        return MISSING
    if not MONEY_RE.match(text):
        f.errors.append("请输入以元为单位的金额，例如 12345678.90")
        return MISSING
    return str(Decimal(text))  # drops leading zeros: "007" → "7"


def _clean_date(f: Field, raw: str) -> Any:
    try:
        if not DATE_RE.match(raw):
            raise ValueError
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        f.errors.append("请输入日期，格式为 年-月-日，例如 2022-06-30")
        return MISSING


# --- the engine's answer for display ------------------------------------------------------------------


def yuan(amount: Any) -> str:
    """'3600000' → '3,600,000'."""
    return f"{Decimal(str(amount)):,f}"


def wan(amount: Any) -> str:
    """'3600000' → '360'; '3703703' → '370.3703' (万元, trailing zeros dropped)."""
    value = Decimal(str(amount)).scaleb(-4).normalize()
    return f"{value:,f}"


def percent(rate: Any) -> str:
    """'0.30' → '30%'."""
    return f"{Decimal(str(rate)).scaleb(2).normalize():f}%"


def _money(amount: Any) -> dict[str, str] | None:
    if amount in (None, ""):
        return None
    return {"wan": wan(amount), "yuan": yuan(amount)}


def present_result(result: dict[str, Any], catalog: list[dict[str, Any]], labels: dict[str, dict]) -> dict:
    """One result (or one auto option) with the Chinese labels and money strings the template shows."""
    item = next((i for i in catalog if i["code"] == result.get("item")), {})
    components = [
        {
            "name": c.get("name", ""),
            "base": _money(c.get("base")),
            "rate": percent(c["rate"]) if c.get("rate") not in (None, "") else "",
            "cap": _money(c.get("cap")),
            "amount": _money(c.get("amount")),
        }
        for c in result.get("components") or []
    ]
    return {
        "item": result.get("item"),
        "title": item.get("title", "自动推荐" if result.get("item") == AUTO else ""),
        "clause": item.get("clause", ""),
        "eligible": bool(result.get("eligible")),
        "amount": _money(result.get("amount") or "0"),
        "reasons": [{"code": r, "label": labels["reasons"].get(r, r)} for r in result.get("reasons") or []],
        "limits": [
            {"code": r, "label": labels["limits"].get(r, r)} for r in result.get("limits_applied") or []
        ],
        "components": components,
        "schedule": [
            {"label": labels["stages"].get(s["stage"], s["stage"]), "amount": _money(s["amount"])}
            for s in result.get("schedule") or []
        ],
        "citations": list(result.get("citations") or []),
        "explanation": list(result.get("explanation") or []),
        "options": [present_result(o, catalog, labels) for o in result.get("options") or []],
    }
