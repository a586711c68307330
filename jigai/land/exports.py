"""Excel exports of every land list (xlsxwriter, streamed by jigai.core.excel): the cases with their waivers
(the rate and its date shown), the sums per city and year, the priority list, the rates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.utils import timezone

from jigai.core.excel import DATE, DECIMAL, INT, MONEY, TEXT, Column, Spec, export_rows

from .models import FeeRate, LandCase
from .selectors import PriorityRow

CASE_SPEC = Spec(
    "零增地项目",
    [
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("project", "项目名称", TEXT, width=30),
        Column("region", "所在地区", TEXT, width=14),
        Column("zone", "区域", TEXT, width=12),
        Column("status", "状态", TEXT, width=16),
        Column("area", "新增建筑面积（平方米）", DECIMAL),
        Column("started_on", "开工日期", DATE),
        Column("completed_on", "竣工日期", DATE),
        Column("checked_on", "核验日期", DATE),
        Column("result", "核验结果", TEXT, width=8),
        Column("unit", "核验单位", TEXT, width=24),
        Column("reason", "核验意见", TEXT, width=30),
        Column("premium_per_m2", "土地出让金标准（元/平方米）", MONEY),
        Column("premium_from", "土地出让金标准执行日期", DATE),
        Column("premium_waived", "免收土地出让金（元）", MONEY),
        Column("municipal_per_m2", "市政设施配套费标准（元/平方米）", MONEY),
        Column("municipal_from", "市政设施配套费标准执行日期", DATE),
        Column("municipal_waived", "免收市政设施配套费（元）", MONEY),
        Column("total", "减免合计（元）", MONEY),
    ],
)

SUM_SPEC = Spec(
    "零增地减免汇总",
    [
        Column("year", "年度", INT, width=8),
        Column("region", "省辖市", TEXT, width=16),
        Column("code", "区划代码", TEXT, width=10),
        Column("projects", "核验合格项目数", INT),
        Column("area", "新增建筑面积（平方米）", DECIMAL),
        Column("premium", "免收土地出让金（元）", MONEY),
        Column("municipal", "免收市政设施配套费（元）", MONEY),
        Column("total", "减免合计（元）", MONEY),
    ],
)

PRIORITY_SPEC = Spec(
    "工业用地保障清单",
    [
        Column("city", "省辖市", TEXT, width=12),
        Column("rank", "排序", INT, width=6),
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("project", "项目名称", TEXT, width=30),
        Column("region", "所在地区", TEXT, width=14),
        Column("library", "入库状态", TEXT, width=14),
        Column("honour", "荣誉分", INT, width=8),
        Column("total", "总投资（元）", MONEY),
        Column("area", "新增用地需求（平方米）", DECIMAL),
        Column("intensity", "投资强度（元/平方米）", MONEY),
        Column("met_on", "已保障日期", DATE),
        Column("note", "说明", TEXT, width=30),
    ],
)

RATE_SPEC = Spec(
    "收费标准",
    [
        Column("city", "省辖市", TEXT, width=14),
        Column("zone", "区域", TEXT, width=12),
        Column("kind", "收费项目", TEXT, width=16),
        Column("per_m2", "标准（元/平方米）", MONEY),
        Column("valid_from", "执行日期", DATE),
        Column("document_no", "文件依据", TEXT, width=30),
    ],
)


def _stamp(title: str) -> str:
    return f"{title}-{timezone.localdate():%Y%m%d}.xlsx"


def _case_rows(cases: Iterable[LandCase]) -> Iterable[dict[str, Any]]:
    for c in cases:
        yield {
            "enterprise": c.project.enterprise.name,
            "project": c.project.name,
            "region": c.project.enterprise.region.name,
            "zone": c.zone,
            "status": c.get_status_display(),
            "area": c.added_floor_area,
            "started_on": c.started_on,
            "completed_on": c.completed_on,
            "checked_on": c.checked_on,
            "result": c.get_check_result_display(),
            "unit": c.checking_unit,
            "reason": c.check_reason,
            "premium_per_m2": c.premium_per_m2,
            "premium_from": c.premium_valid_from,
            "premium_waived": c.premium_waived,
            "municipal_per_m2": c.municipal_per_m2,
            "municipal_from": c.municipal_valid_from,
            "municipal_waived": c.municipal_waived,
            "total": c.waived_total,
        }


def cases_xlsx(cases: Iterable[LandCase], title: str = "零增地项目") -> FileResponse:
    return export_rows(CASE_SPEC, _case_rows(cases), filename=_stamp(title))


def sums_xlsx(figures: list[dict[str, Any]], year: int) -> FileResponse:
    rows = (
        {
            "year": f["year"],
            "region": f["region_name"],
            "code": f["region_code"],
            "projects": f["projects"],
            "area": f["added_floor_area"],
            "premium": f["premium_waived"],
            "municipal": f["municipal_waived"],
            "total": f["amount_waived"],
        }
        for f in figures
    )
    return export_rows(SUM_SPEC, rows, filename=f"零增地减免汇总-{year}.xlsx")


def priority_xlsx(rows: list[PriorityRow], names: dict[str, str]) -> FileResponse:
    out = (
        {
            "city": names.get(r.city_code, r.city_code),
            "rank": r.rank,
            "enterprise": r.need.project.enterprise.name,
            "project": r.need.project.name,
            "region": r.need.project.enterprise.region.name,
            "library": r.need.project.get_library_status_display(),
            "honour": r.honour,
            "total": r.need.project.total_investment,
            "area": r.need.area,
            "intensity": r.intensity,
            "met_on": r.need.met_on,
            "note": r.need.note,
        }
        for r in rows
    )
    return export_rows(PRIORITY_SPEC, out, filename=_stamp("工业用地保障清单"))


def rates_xlsx(rates: Iterable[FeeRate]) -> FileResponse:
    rows = (
        {
            "city": r.city.name,
            "zone": r.zone,
            "kind": r.get_kind_display(),
            "per_m2": r.per_m2,
            "valid_from": r.valid_from,
            "document_no": r.document_no,
        }
        for r in rates
    )
    return export_rows(RATE_SPEC, rows, filename=_stamp("收费标准"))
