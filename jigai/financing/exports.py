"""Excel exports of every financing list (jigai.core.excel: declarative columns, streamed xlsxwriter)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.utils import timezone

from jigai.core.excel import DATE, DECIMAL, INT, MONEY, TEXT, Column, Spec, export_rows

from .models import ConsentField, MatchEvent, Outcome, WhitelistEntry
from .selectors import BankProject

WHITELIST = Spec(
    "融资白名单",
    [
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("project", "项目名称", TEXT, width=30),
        Column("city", "推荐市", TEXT, width=10),
        Column("kind", "融资方式", TEXT, width=10),
        Column("amount", "融资需求（元）", MONEY),
        Column("term", "期限（月）", INT),
        Column("status", "状态", TEXT, width=16),
        Column("batch", "批次", TEXT, width=14),
        Column("published_on", "发布日期", DATE),
    ],
)
BANK_FIXED = [
    Column("enterprise", "企业名称", TEXT, width=30),
    Column("project", "项目名称", TEXT, width=30),
    Column("city", "所在市", TEXT, width=10),
    Column("kind", "融资方式", TEXT, width=10),
    Column("amount", "融资需求（元）", MONEY),
    Column("term", "期限（月）", INT),
    Column("batch", "批次", TEXT, width=14),
]
OUTCOMES = Spec(
    "融资成果",
    [
        Column("enterprise", "企业名称", TEXT, width=30),
        Column("project", "项目名称", TEXT, width=30),
        Column("city", "所在市", TEXT, width=10),
        Column("institution", "金融机构", TEXT, width=24),
        Column("stage", "阶段", TEXT, width=10),
        Column("amount", "金额（元）", MONEY),
        Column("on_date", "日期", DATE),
        Column("product", "金融产品", TEXT, width=16),
        Column("rate", "年利率（%）", DECIMAL),
        Column("status", "状态", TEXT, width=12),
    ],
)
EVENTS = Spec(
    "融资对接活动",
    [
        Column("title", "活动名称", TEXT, width=30),
        Column("held_on", "活动日期", DATE),
        Column("city", "举办市", TEXT, width=10),
        Column("organiser", "主办单位", TEXT, width=24),
        Column("place", "地点", TEXT, width=20),
        Column("institutions", "邀请机构数", INT),
        Column("projects", "邀请项目数", INT),
    ],
)
ACCESS = Spec(
    "查阅记录",
    [
        Column("at", "时间", TEXT, width=20),
        Column("who", "查阅人", TEXT, width=12),
        Column("institution", "金融机构", TEXT, width=24),
        Column("action", "操作", TEXT, width=8),
        Column("project", "项目", TEXT, width=30),
    ],
)
FIGURES = Spec(
    "融资统计",
    [
        Column("label", "分组", TEXT, width=16),
        Column("projects", "白名单项目数", INT),
        Column("needed", "融资需求（元）", MONEY),
        Column("approved", "授信审批（元，已确认）", MONEY),
        Column("disbursed", "放款（元，已确认）", MONEY),
        Column("unconfirmed", "待确认金额（元）", MONEY),
    ],
)


def whitelist_xlsx(entries: Iterable[WhitelistEntry]) -> FileResponse:
    def rows() -> Iterable[dict[str, Any]]:
        for e in entries:
            yield {
                "enterprise": e.project.enterprise.name,
                "project": e.project.name,
                "city": e.city.name,
                "kind": e.get_kind_display(),
                "amount": e.amount,
                "term": e.term_months,
                "status": e.get_status_display(),
                "batch": str(e.batch) if e.batch else "",
                "published_on": e.batch.published_on if e.batch else None,
            }

    return export_rows(WHITELIST, rows())


def bank_xlsx(projects: Iterable[BankProject]) -> FileResponse:
    """The bank's export: the whitelist facts and, per project, only the consented sections (a column
    of a section not consented to stays empty for that project)."""
    extra = [Column(code, label, TEXT, width=40) for code, label in ConsentField.choices]
    spec = Spec("融资需求", [*BANK_FIXED, *extra])

    def rows() -> Iterable[dict[str, Any]]:
        for bp in projects:
            e = bp.entry
            row: dict[str, Any] = {
                "enterprise": e.project.enterprise.name,
                "project": e.project.name,
                "city": e.city.name,
                "kind": e.get_kind_display(),
                "amount": e.amount,
                "term": e.term_months,
                "batch": str(e.batch) if e.batch else "",
            }
            for code, section in bp.sections.items():
                row[code] = "；".join(f"{k}：{'' if v is None else v}" for k, v in section)
            yield row

    return export_rows(spec, rows())


def outcomes_xlsx(outcomes: Iterable[Outcome]) -> FileResponse:
    def rows() -> Iterable[dict[str, Any]]:
        for o in outcomes:
            yield {
                "enterprise": o.entry.project.enterprise.name,
                "project": o.entry.project.name,
                "city": o.entry.city.name,
                "institution": o.institution.name,
                "stage": o.get_stage_display(),
                "amount": o.amount,
                "on_date": o.on_date,
                "product": o.product,
                "rate": o.rate,
                "status": o.get_status_display(),
            }

    return export_rows(OUTCOMES, rows())


def events_xlsx(events: Iterable[MatchEvent]) -> FileResponse:
    def rows() -> Iterable[dict[str, Any]]:
        for e in events:
            yield {
                "title": e.title,
                "held_on": e.held_on,
                "city": e.city.name,
                "organiser": e.organiser,
                "place": e.place,
                "institutions": e.n_inst,
                "projects": e.n_proj,
            }

    return export_rows(EVENTS, rows())


def access_xlsx(rows: list[dict[str, Any]]) -> FileResponse:
    shown = [{**r, "at": timezone.localtime(r["at"]).strftime("%Y-%m-%d %H:%M:%S")} for r in rows]
    return export_rows(ACCESS, shown)


def figures_xlsx(rows: list[dict[str, Any]], title: str) -> FileResponse:
    return export_rows(FIGURES, rows, filename=f"{title}.xlsx")
