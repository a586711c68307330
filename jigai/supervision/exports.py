"""Excel exports of the supervision lists (jigai.core.excel, streamed), each recorded in the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import FileResponse
from django.utils import timezone

from jigai.audit.services import audit_record
from jigai.core.excel import DATE, DECIMAL, INT, MONEY, TEXT, Column, Spec, export_rows

from .models import GreenRanking, Ticket

TICKET_SPEC = Spec(
    "督办事项",
    [
        Column("subject", "督办事项", TEXT, width=36),
        Column("kind", "类型", TEXT, width=14),
        Column("region", "承办单位", TEXT, width=16),
        Column("enterprise", "相关企业", TEXT, width=30),
        Column("indicator", "相关指标", TEXT, width=14),
        Column("opened", "督办日期", DATE),
        Column("deadline", "办理时限", DATE),
        Column("status", "状态", TEXT, width=10),
        Column("overdue", "是否逾期", TEXT, width=8),
        Column("conclusion", "办结意见", TEXT, width=40),
    ],
)
VISIT_SPEC = Spec(
    "服务企业问题",
    [
        Column("enterprise", "企业", TEXT, width=30),
        Column("visit_date", "走访日期", DATE),
        Column("visitor", "走访人", TEXT, width=12),
        Column("problem", "企业反映的问题", TEXT, width=40),
        Column("region", "责任单位", TEXT, width=16),
        Column("deadline", "办理时限", DATE),
        Column("status", "状态", TEXT, width=10),
        Column("resolution", "办理结果", TEXT, width=40),
        Column("rating", "企业评价（1-5）", INT),
    ],
)
RANKING_SPEC = Spec(
    "绿色发展排行榜",
    [
        Column("division", "行业大类", TEXT, width=8),
        Column("rank", "行业内排名", INT),
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("region", "所在地区", TEXT, width=14),
        Column("score", "综合得分", DECIMAL),
        Column("energy", "万元增加值能耗（吨标准煤）", TEXT, width=14),
        Column("water", "万元增加值用水量（立方米）", TEXT, width=14),
        Column("emission", "万元增加值碳排放（吨）", TEXT, width=14),
    ],
)
GREEN_SPEC = Spec(
    "绿色发展数据",
    [
        Column("uscc", "统一社会信用代码", TEXT, width=22),
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("year", "年度", INT),
        Column("value_added", "工业增加值（元）", MONEY),
        Column("energy_use", "综合能耗（吨标准煤）", DECIMAL),
        Column("water_use", "用水量（立方米）", DECIMAL),
        Column("emissions", "二氧化碳排放量（吨）", DECIMAL),
    ],
)
PRACTICE_SPEC = Spec(
    "典型做法",
    [
        Column("title", "标题", TEXT, width=36),
        Column("region", "报送地市", TEXT, width=12),
        Column("submitted", "报送日期", DATE),
        Column("status", "状态", TEXT, width=10),
        Column("published", "发布日期", DATE),
    ],
)


def _date(value: Any) -> Any:
    return timezone.localtime(value).date() if value else None


def _tickets(rows: Iterable[Ticket]) -> Iterator[dict[str, Any]]:
    for t in rows:
        yield {
            "subject": t.subject,
            "kind": t.kind_label,
            "region": t.region.name,
            "enterprise": t.enterprise.name if t.enterprise_id else "",
            "indicator": t.indicator_code,
            "opened": _date(t.opened_at),
            "deadline": t.deadline,
            "status": t.get_status_display(),
            "overdue": "逾期" if t.is_overdue else "",
            "conclusion": t.conclusion,
        }


def _visits(rows: Iterable[Ticket]) -> Iterator[dict[str, Any]]:
    for t in rows:
        v = getattr(t, "visit", None)
        yield {
            "enterprise": t.enterprise.name if t.enterprise_id else "",
            "visit_date": v.visit_date if v else None,
            "visitor": v.visitor if v else "",
            "problem": t.detail,
            "region": t.region.name,
            "deadline": t.deadline,
            "status": t.get_status_display(),
            "resolution": t.conclusion,
            "rating": v.rating if v else None,
        }


def _export(actor: Any, kind: str, spec: Spec, rows: Iterable[dict[str, Any]], count: int) -> FileResponse:
    audit_record(actor=actor, action=f"{kind}.export", after={"rows": count})
    return export_rows(spec, rows, filename=f"{spec.title}-{timezone.localdate():%Y%m%d}.xlsx")


def tickets_xlsx(actor: Any, qs: Any, *, visits: bool = False) -> FileResponse:
    spec, rows = (VISIT_SPEC, _visits(qs)) if visits else (TICKET_SPEC, _tickets(qs))
    return _export(actor, "supervision.visits" if visits else "supervision.tickets", spec, rows, qs.count())


def ranking_xlsx(actor: Any, ranking: GreenRanking) -> FileResponse:
    rows = (
        {
            "division": e.industry_division,
            "rank": e.rank,
            "enterprise": e.enterprise_name,
            "region": e.region_name,
            "score": e.score,
            "energy": str(e.energy_intensity),
            "water": str(e.water_intensity),
            "emission": str(e.emission_intensity),
        }
        for e in ranking.entries.all()
    )
    spec = Spec(f"{ranking.year}年度绿色发展排行榜", RANKING_SPEC.columns)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return export_rows(spec, rows, filename=f"{ranking.year}年度绿色发展排行榜.xlsx")
    return _export(actor, "supervision.ranking", spec, rows, ranking.entries.count())


def green_xlsx(actor: Any, qs: Any) -> FileResponse:
    rows = (
        {
            "uscc": d.enterprise.uscc,
            "enterprise": d.enterprise.name,
            "year": d.year,
            "value_added": d.value_added,
            "energy_use": d.energy_use,
            "water_use": d.water_use,
            "emissions": d.emissions,
        }
        for d in qs.iterator(chunk_size=2000)
    )
    return _export(actor, "supervision.green_data", GREEN_SPEC, rows, qs.count())


def practices_xlsx(actor: Any, qs: Any) -> FileResponse:
    rows = (
        {
            "title": p.title,
            "region": p.region.name,
            "submitted": _date(p.submitted_at),
            "status": p.get_status_display(),
            "published": _date(p.published_at),
        }
        for p in qs
    )
    return _export(actor, "supervision.practices", PRACTICE_SPEC, rows, qs.count())
