"""Excel import of the green-development figures (绿色发展数据), one row per enterprise and year, through the
registry's toolkit (all rows or none, bad cells marked, scope re-check, one audit record per row). A row for
an enterprise-year already entered corrects it. Each row is checked by the same function as the form
(services.ranking.clean_green)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from jigai.core.errors import InvalidInput
from jigai.core.excel import DECIMAL, INT, Column, Rows, Spec
from jigai.registry.excel.base import Errors, Importer, chunks
from jigai.registry.excel.bulk import bulk_insert
from jigai.registry.models import Enterprise

from .models import GreenData
from .services.ranking import GREEN_FIELDS, WAN, clean_green

FIELDS = ("year", *GREEN_FIELDS)


def green_spec() -> Spec:
    this_year = timezone.localdate().year
    return Spec(
        "绿色发展数据",
        [
            Column(
                "uscc",
                "统一社会信用代码",
                required=True,
                max_length=18,
                width=22,
                example="91410300MA44B2XK4G",
            ),
            Column(
                "year",
                "年度",
                type=INT,
                required=True,
                min_value=2000,
                max_value=this_year,
                example=this_year - 1,
            ),
            Column("value_added", "工业增加值（万元）", type=DECIMAL, required=True, example="12500.00"),
            Column("energy_use", "综合能耗（吨标准煤）", type=DECIMAL, required=True, example="3600.00"),
            Column("water_use", "用水量（立方米）", type=DECIMAL, required=True, example="85000.00"),
            Column("emissions", "二氧化碳排放量（吨）", type=DECIMAL, required=True, example="9100.00"),
        ],
    )


class GreenDataImporter(Importer):
    kind = "green_data"
    label = "绿色发展数据"
    permission = "ranking.manage"
    model = GreenData
    audit_action = "import"

    def spec(self) -> Spec:
        return green_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        return {
            "notes": [
                "政策二（三）发布“绿色发展排行榜”：每家企业每年一行；已录入的年度再次导入即更正。",
                "企业须已在企业库登记并填有行业大类，才参加所属行业的排名。",
            ]
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> dict[str, Any]:
        usccs = {str(r.get("uscc") or "").strip().upper() for r in rows}
        ents: dict[str, Enterprise] = {}
        scoped = Enterprise.objects.restrict(actor, "change").select_related("region")
        for part in chunks(sorted(usccs)):
            ents.update({e.uscc: e for e in scoped.filter(uscc__in=part)})
        cleaned: dict[int, tuple[Enterprise, int, dict[str, Decimal]]] = {}
        seen: dict[tuple[int, int], int] = {}
        for row in rows:
            n = row["_row"]
            if any(errors.failed(n, key) for key in ("uscc", *FIELDS)):
                continue
            ent = ents.get(str(row["uscc"]).strip().upper())
            if ent is None:
                errors.add(n, "uscc", "未找到该信用代码的企业，或不在您的管辖范围内。")
                continue
            values = {name: row.get(name) for name in GREEN_FIELDS}
            if values["value_added"] is not None:
                values["value_added"] = Decimal(str(values["value_added"])) * WAN  # 万元 → 元
            try:
                clean = clean_green(values)
            except InvalidInput as exc:
                for name, messages in exc.errors.items():
                    errors.add(n, name, messages[0])
                continue
            key = (ent.pk, int(row["year"]))
            if key in seen:
                errors.add(n, "uscc", f"与第 {seen[key]} 行重复：同一企业同一年度只能有一行。")
                continue
            seen[key] = n
            cleaned[n] = (ent, int(row["year"]), clean)
        return {"rows": cleaned}

    def create(self, actor: Any, rows: Rows, ctx: dict[str, Any]) -> list[tuple[int, GreenData]]:
        cleaned = ctx["rows"]
        existing = {
            (g.enterprise_id, g.year): g
            for g in GreenData.objects.filter(
                enterprise_id__in=[e.pk for e, _y, _c in cleaned.values()],
                year__in={y for _e, y, _c in cleaned.values()},
            )
        }
        out: list[tuple[int, GreenData]] = []
        new: list[GreenData] = []
        changed: list[GreenData] = []
        for n, (ent, year, clean) in cleaned.items():
            obj = existing.get((ent.pk, year)) or GreenData(enterprise=ent, year=year)
            for name, value in clean.items():
                setattr(obj, name, value)
            obj.entered_by = actor
            obj.updated_at = timezone.now()
            (changed if obj.pk else new).append(obj)
            out.append((n, obj))
        bulk_insert(new)
        if changed:
            GreenData.objects.bulk_update(changed, [*GREEN_FIELDS, "entered_by", "updated_at"])
        return out

    def audit_item(self, obj: GreenData, ctx: Any) -> tuple[str, int | None, dict[str, Any]]:
        return obj.enterprise.region.path, obj.enterprise_id, {name: getattr(obj, name) for name in FIELDS}
