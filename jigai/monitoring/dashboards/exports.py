"""Each chart's data as an Excel download (the same rows as the table beside the chart)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse

from jigai.core.errors import AccessDenied, NotFound
from jigai.core.excel import DECIMAL, INT, MONEY, TEXT, Column, Spec, export_rows

from .finance import FINANCING_BLOCKS
from .selectors import Dashboard

_LEVEL = Column("level", "预警", TEXT, width=8)

SPECS: dict[str, Spec] = {
    "progress": Spec(
        "目标完成进度",
        [
            Column("indicator", "指标", TEXT, width=30),
            Column("clause", "政策条款", TEXT, width=10),
            Column("unit", "单位", TEXT, width=8),
            Column("actual", "年累计", DECIMAL),
            Column("month_value", "当月", DECIMAL),
            Column("target", "年度目标", DECIMAL),
            Column("expected", "序时进度值", DECIMAL),
            Column("completion", "完成率（%）", DECIMAL),
            Column("yoy", "同比增长（%）", DECIMAL),
            Column("share", "占全省（上级）比重（%）", DECIMAL),
            _LEVEL,
        ],
    ),
    "ranking": Spec(
        "排名",
        [
            Column("rank", "排名", INT, width=6),
            Column("region", "地区", TEXT, width=20),
            Column("actual", "年累计", DECIMAL),
            Column("target", "年度目标", DECIMAL),
            Column("completion", "完成率（%）", DECIMAL),
            Column("yoy", "同比增长（%）", DECIMAL),
            Column("share", "占比（%）", DECIMAL),
            _LEVEL,
        ],
    ),
    "trend": Spec(
        "月度趋势",
        [
            Column("month", "月份", TEXT, width=8),
            Column("actual", "本年累计", DECIMAL),
            Column("last_year", "上年同期", DECIMAL),
            Column("expected", "序时进度值", DECIMAL),
            Column("month_value", "当月", DECIMAL),
        ],
    ),
    "programmes": Spec(
        "四大专项",
        [
            Column("programme", "专项", TEXT, width=16),
            Column("indicator", "指标", TEXT, width=30),
            Column("unit", "单位", TEXT, width=8),
            Column("actual", "年累计", DECIMAL),
            Column("target", "年度目标", DECIMAL),
            Column("completion", "完成率（%）", DECIMAL),
            Column("yoy", "同比增长（%）", DECIMAL),
        ],
    ),
}
SPECS["map"] = SPECS["ranking"]


def _progress(d: Dashboard) -> Iterable[dict[str, Any]]:
    for r in d.rows:
        yield {
            "indicator": r.indicator.name,
            "clause": r.indicator.clause,
            "unit": r.indicator.unit,
            "actual": r.actual,
            "month_value": r.month_value,
            "target": r.target,
            "expected": r.expected,
            "completion": r.completion,
            "yoy": r.yoy,
            "share": r.share,
            "level": r.level_label,
        }


def _ranking(d: Dashboard) -> Iterable[dict[str, Any]]:
    for c in d.children:
        yield {
            "rank": c.rank,
            "region": c.region.name,
            "actual": c.actual,
            "target": c.target,
            "completion": c.completion,
            "yoy": c.yoy,
            "share": c.share,
            "level": c.level_label,
        }


def _trend(d: Dashboard) -> Iterable[dict[str, Any]]:
    for t in d.trend:
        yield {
            "month": f"{t.month}月",
            "actual": t.actual,
            "last_year": t.last_year,
            "expected": t.expected,
            "month_value": t.month_value,
        }


def _programmes(d: Dashboard) -> Iterable[dict[str, Any]]:
    for g in d.programmes:
        for r in g.rows:
            yield {
                "programme": f"{g.clause}{g.label}",
                "indicator": r.indicator.name,
                "unit": r.indicator.unit,
                "actual": r.actual,
                "target": r.target,
                "completion": r.completion,
                "yoy": r.yoy,
            }


# 融资与用地（四（二））: the same rows as the tables on the page, the total last; money in exact 元.
def _financing_spec(title: str, group_label: str) -> Spec:
    return Spec(
        title,
        [
            Column("label", group_label, TEXT, width=22),
            Column("projects", "白名单项目数", INT),
            Column("needed", "融资需求（元）", MONEY),
            Column("approved", "授信审批（元，已确认）", MONEY),
            Column("disbursed", "放款（元，已确认）", MONEY),
            Column("unconfirmed", "待确认金额（元）", MONEY),
        ],
    )


for _key, (_title, _group) in FINANCING_BLOCKS.items():
    SPECS[_key] = _financing_spec(f"融资{_title or '按地区'}", _group)
SPECS["land"] = Spec(
    "零增地项目减免",
    [
        Column("region", "地区", TEXT, width=22),
        Column("projects", "核验合格项目数", INT),
        Column("added_floor_area", "新增建筑面积（㎡）", DECIMAL),
        Column("premium_waived", "免收土地出让金（元）", MONEY),
        Column("municipal_waived", "免收市政设施配套费（元）", MONEY),
        Column("amount_waived", "减免合计（元）", MONEY),
    ],
)


def _finance_block(key: str) -> Any:
    def rows(d: Dashboard) -> Iterable[dict[str, Any]]:
        if d.finance is None or d.finance.financing is None:
            raise AccessDenied("您的角色无权查看融资对接数据。")
        block = d.finance.financing[key]
        yield from block.rows
        yield block.total

    return rows


def _land(d: Dashboard) -> Iterable[dict[str, Any]]:
    if d.finance is None or d.finance.land is None:
        raise AccessDenied("您的角色无权查看用地数据。")
    for r in d.finance.land.rows:
        yield {**r, "region": r["region_name"]}
    yield {**d.finance.land.total, "region": "合计"}


ROWS = {
    "progress": _progress,
    "ranking": _ranking,
    "map": _ranking,
    "trend": _trend,
    "programmes": _programmes,
    **{key: _finance_block(key) for key in FINANCING_BLOCKS},
    "land": _land,
}
CHARTS = tuple(ROWS)
FINANCE_CHARTS = (*FINANCING_BLOCKS, "land")


def chart_xlsx(d: Dashboard, chart: str) -> FileResponse:
    """The chart's table as a workbook named after the region, the month (the year for 融资与用地) and the
    chart."""
    if chart not in ROWS:
        raise NotFound("没有这个图表。")
    spec = SPECS[chart]
    if chart in FINANCE_CHARTS:
        rows = list(ROWS[chart](d))  # refused before the response starts
        return export_rows(spec, rows, filename=f"{d.region.name}{d.year}年{spec.title}.xlsx")
    name = d.indicator.name if d.indicator and chart in ("ranking", "map", "trend") else ""
    filename = f"{d.region.name}{d.year}年{d.month}月{name}{spec.title}.xlsx"
    return export_rows(spec, ROWS[chart](d), filename=filename)


WARNING_SPEC = Spec(
    "预警",
    [
        Column("region", "地区", TEXT, width=18),
        Column("indicator", "指标", TEXT, width=30),
        Column("unit", "单位", TEXT, width=8),
        Column("level", "预警", TEXT, width=8),
        Column("actual", "年累计", DECIMAL),
        Column("expected", "序时进度值", DECIMAL),
        Column("target", "年度目标", DECIMAL),
        Column("progress", "占序时进度（%）", DECIMAL),
        Column("gap", "差距", DECIMAL),
        Column("streak", "连续红色月数", INT, width=10),
    ],
)


def warnings_xlsx(w: Any) -> FileResponse:
    """The list of those behind (amber and red), worst first, as on the page."""
    rows = (
        {
            "region": s.region.name,
            "indicator": s.indicator.name,
            "unit": s.indicator.unit,
            "level": s.get_level_display(),
            "actual": s.actual,
            "expected": s.expected,
            "target": s.target,
            "progress": None if s.progress is None else s.progress * 100,
            "gap": s.gap,
            "streak": s.red_streak,
        }
        for s in w.behind
    )
    return export_rows(WARNING_SPEC, rows, filename=f"{w.year}年{w.month}月预警名单.xlsx")
