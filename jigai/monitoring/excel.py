"""Import of the statistics bureau's monthly workbook (统计局月度数据): one row per region and month, one
column per imported indicator (1–N月累计 for the sums), all rows or none, through the registry's Excel
toolkit (template, background job with progress, the workbook returned with the bad cells marked)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jigai.core.excel import DECIMAL, INT, Column, Rows, Spec
from jigai.registry.excel.base import Errors, Importer
from jigai.registry.excel.bulk import bulk_insert

from .models import Indicator, MonthlyValue, Source, ValueStatus
from .services.common import within
from .services.values import reports_at

FIXED = ("region_code", "region_name", "year", "month")


def imported_indicators() -> list[Indicator]:
    return [i for i in Indicator.objects.filter(active=True, source=Source.IMPORTED) if i.is_enterable]


def statistics_spec() -> Spec:
    columns = [
        Column(
            "region_code",
            "区划代码",
            required=True,
            max_length=6,
            width=12,
            example="410305",
            help="6位行政区划代码（县、市、区；济源示范区 419001）",
        ),
        Column(
            "region_name",
            "地区名称",
            max_length=50,
            width=16,
            example="涧西区",
            help="仅供核对，以区划代码为准",
        ),
        Column("year", "年度", type=INT, required=True, example=2026, min_value=2000, max_value=2100),
        Column("month", "月份", type=INT, required=True, example=10, min_value=1, max_value=12),
    ]
    for ind in imported_indicators():
        columns.append(
            Column(
                ind.code,
                f"{ind.name}（{ind.unit}）",
                type=DECIMAL,
                width=18,
                min_value=Decimal("-1e12"),
                help="1–N月累计" if ind.is_cumulative else "当月水平值",
            )
        )
    return Spec("统计局月度数据", columns)


class StatisticsImporter(Importer):
    kind = "monthly_statistics"
    label = "统计局月度数据"
    permission = "indicator.import"
    model = MonthlyValue
    audit_action = "import"
    scope_key = "region_code"

    def spec(self) -> Spec:
        return statistics_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        return {
            "notes": [
                "每行一个地区一个月份；累计指标填 1–N 月累计数。已发布月份的数据不能导入，请走更正。",
                "整份文件全部通过校验才导入，有错误的单元格会在返回的文件中标红说明。",
            ]
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> dict[int, list[tuple[Indicator, Decimal]]]:
        from jigai.regions.models import Region

        indicators = imported_indicators()
        regions = {
            r.code: r for r in Region.objects.filter(pk__in={str(r.get("region_code") or "") for r in rows})
        }
        seen: dict[tuple[str, int, int], int] = {}
        published = set(
            MonthlyValue.objects.filter(status=ValueStatus.PUBLISHED, indicator__in=indicators)
            .filter(year__in={r.get("year") for r in rows if r.get("year")})
            .values_list("region_id", "year", "month", "indicator_id")
        )
        out: dict[int, list[tuple[Indicator, Decimal]]] = {}
        for row in rows:
            n = row["_row"]
            if any(errors.failed(n, k) for k in FIXED):
                continue
            region = regions.get(str(row["region_code"]))
            if region is None:
                errors.add(n, "region_code", "区划代码不存在。")
                continue
            if not within(actor, region):
                errors.add(n, "region_code", "该地区不在您的管辖范围内。")
                continue
            key = (region.pk, row["year"], row["month"])
            if key in seen:
                errors.add(n, "region_code", f"与第 {seen[key]} 行重复（同一地区、同一月份）。")
                continue
            seen[key] = n
            cells: list[tuple[Indicator, Decimal]] = []
            for ind in indicators:
                v = row.get(ind.code)
                if v is None or v == "" or errors.failed(n, ind.code):
                    continue
                if not reports_at(ind, region):
                    errors.add(
                        n, ind.code, f"{region.name}不报送该指标（由{ind.get_reported_by_display()}报送）。"
                    )
                elif ind.is_cumulative and v < 0:
                    errors.add(n, ind.code, "累计数不能为负数。")
                elif (region.pk, row["year"], row["month"], ind.pk) in published:
                    errors.add(n, ind.code, "该月数据已发布，不能导入覆盖，请由省工信厅更正。")
                else:
                    cells.append((ind, Decimal(v)))
            if not cells and not errors.failed(n, "region_code"):
                errors.add(n, "region_code", "该行没有任何指标数值。")
            out[n] = cells
        return out

    def create(
        self, actor: Any, rows: Rows, ctx: dict[int, list[tuple[Indicator, Decimal]]]
    ) -> list[tuple[int, Any]]:
        from .services.rollups import refresh_rollups

        pairs: list[tuple[int, MonthlyValue]] = []
        for row in rows:
            for ind, v in ctx.get(row["_row"], []):
                pairs.append(
                    (
                        row["_row"],
                        MonthlyValue(
                            indicator=ind,
                            region_id=str(row["region_code"]),
                            year=row["year"],
                            month=row["month"],
                            value=v,
                            source=Source.IMPORTED,
                            status=ValueStatus.REPORTED,
                            entered_by=actor,
                        ),
                    )
                )
        for ind_id, code, year, month in {(o.indicator_id, o.region_id, o.year, o.month) for _n, o in pairs}:
            MonthlyValue.objects.filter(indicator_id=ind_id, region_id=code, year=year, month=month).delete()
        bulk_insert([o for _n, o in pairs])
        codes = sorted({o.indicator.code for _n, o in pairs})
        for year in sorted({o.year for _n, o in pairs}):
            refresh_rollups(indicator_codes=codes, year=year, warnings=False)
        return pairs

    def audit_item(self, obj: MonthlyValue, ctx: Any) -> tuple[str, int | None, dict[str, Any]]:
        from jigai.regions.models import Region

        path = Region.objects.filter(pk=obj.region_id).values_list("path", flat=True).first() or ""
        return (
            path,
            None,
            {
                "indicator": obj.indicator.code,
                "region": obj.region_id,
                "year": obj.year,
                "month": obj.month,
                "value": str(obj.value),
            },
        )
