"""The monthly progress import (月度进度): reports of projects in the library, with the cumulative check
and the projects' stored totals kept as the services keep them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jigai.core.excel import Rows, Spec

from ...models import (
    LibraryStatus,
    ProgressReport,
    Project,
)
from ...services.progress_totals import store_project_totals, unexplained_overruns
from .. import specs
from ..audit import snapshot_fields
from ..base import Errors, Importer, chunks
from ..bulk import bulk_insert
from .lookups import _enterprises


@dataclass
class _ProjectInfo:
    obj: Project
    region_path: str
    months: dict[dt.date, tuple[Decimal, str]]  # the reports already in the system


class ProgressImporter(Importer):
    kind = "progress"
    label = "月度进度"
    permission = "import.progress"
    model = ProgressReport
    audit_action = "progress.import"
    FIELDS = ("project_id", "month", "investment_completed", "over_total_reason", "note")
    REFERENCE_LIMIT = 10_000

    def spec(self) -> Spec:
        return specs.progress_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        table = [["项目编号", "统一社会信用代码", "企业名称", "项目名称"]]
        qs = (
            Project.objects.restrict(actor, "change")
            .filter(library_status=LibraryStatus.IN_LIBRARY)
            .order_by("enterprise__name", "name")
            .values_list("pk", "enterprise__uscc", "enterprise__name", "name")[: self.REFERENCE_LIMIT]
        )
        table.extend(list(t) for t in qs)
        return {
            "notes": [
                "只能填报已入库项目的进度，每个项目每月一条；累计完成投资超过项目总投资时须填写说明。",
                "“可填报项目”表列出了您可以填报的项目及其编号。",
            ],
            "reference": {"可填报项目": table},
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> dict[int, _ProjectInfo]:
        ents = _enterprises(actor, rows, errors, need_confirmed=False)
        by_ent = {e.id: e for e in ents.values()}
        projects: dict[int, _ProjectInfo] = {}
        by_name: dict[tuple[int, str], list[int]] = defaultdict(list)
        ids = sorted(by_ent)
        for part in chunks(ids):
            for p in Project.objects.filter(enterprise_id__in=part).only(
                "pk", "enterprise_id", "name", "total_investment", "library_status"
            ):
                projects[p.pk] = _ProjectInfo(p, by_ent[p.enterprise_id].region_path, {})
                by_name[(p.enterprise_id, p.name)].append(p.pk)
        pids = sorted(projects)
        for part in chunks(pids):
            for pid, month, amount, reason in ProgressReport.objects.filter(project_id__in=part).values_list(
                "project_id", "month", "investment_completed", "over_total_reason"
            ):
                projects[pid].months[month] = (amount, reason)
        this_month = timezone.localdate().replace(day=1)
        new: dict[int, dict[dt.date, dict]] = defaultdict(dict)
        for row in rows:
            n = row["_row"]
            row["_project"] = None
            info = ents.get(row["uscc"])
            name = (row["project_name"] or "").strip()
            if info is None:
                continue
            pid = row["project_id"]
            if pid is not None:
                p = projects.get(pid)
                if p is None or p.obj.enterprise_id != info.id:
                    errors.add(n, "project_id", f"该企业没有编号为 {pid} 的项目。")
                    continue
                if name and name != p.obj.name:
                    errors.add(n, "project_name", f"项目名称与项目编号不符（系统中为“{p.obj.name}”）。")
            elif name:
                found = by_name.get((info.id, name), [])
                if not found:
                    errors.add(n, "project_name", f"该企业没有名为“{name}”的项目。")
                    continue
                if len(found) > 1:
                    errors.add(n, "project_name", "该企业有多个同名项目，请填写项目编号。")
                    continue
                p = projects[found[0]]
            else:
                if not errors.failed(n, "project_id"):
                    errors.add(n, "project_name", "请填写项目编号或项目名称。")
                continue
            if p.obj.library_status != LibraryStatus.IN_LIBRARY:
                errors.add(
                    n,
                    "project_name",
                    f"项目尚未入库（当前为“{p.obj.get_library_status_display()}”），入库后方可填报月度进度。",
                )
                continue
            row["_project"] = p
            if row["year"] is None or row["month"] is None:
                continue
            month = dt.date(row["year"], row["month"], 1)
            row["_month"] = month
            if month > this_month:
                errors.add(n, "month", "不能填报未来月份的进度。")
            elif month in p.months:
                errors.add(n, "month", f"{month:%Y年%m月}的进度已填报，如需更正请在系统中修改该月报告。")
            elif month in new[p.obj.pk]:
                errors.add(n, "month", f"与第 {new[p.obj.pk][month]['_row']} 行是同一项目同一月份，重复。")
            elif row["investment_completed"] is not None:
                new[p.obj.pk][month] = row
        self._check_cumulative(projects, new, errors)
        return projects

    @staticmethod
    def _check_cumulative(
        projects: dict[int, _ProjectInfo], new: dict[int, dict[dt.date, dict]], errors: Errors
    ) -> None:
        """Walk each project's months in order with the imported months in place: wherever the cumulative
        passes the total investment, that month must say why (as services.projects._check_cumulative)."""
        for pid, added in new.items():
            p = projects[pid]
            total = p.obj.total_investment
            months = {
                **p.months,
                **{m: (r["investment_completed"], r["over_total_reason"]) for m, r in added.items()},
            }
            for month, running in unexplained_overruns(months, total):
                row = added.get(month)
                if row is not None:
                    errors.add(
                        row["_row"],
                        "over_total_reason",
                        f"累计完成投资 {running:,.2f} 元超过项目总投资 {total:,.2f} 元，请填写超出原因。",
                    )
                    continue
                earlier_new = [m for m in added if m < month]
                if earlier_new:
                    errors.add(
                        added[max(earlier_new)]["_row"],
                        "investment_completed",
                        f"导入后 {month:%Y年%m月} 的累计完成投资 {running:,.2f} 元将超过项目总投资，"
                        "而该月报告未填写超出原因。",
                    )
                    break

    def create(
        self, actor: Any, rows: Rows, ctx: dict[int, _ProjectInfo]
    ) -> list[tuple[int, ProgressReport]]:
        objs = [
            ProgressReport(
                project=r["_project"].obj,
                month=r["_month"],
                investment_completed=r["investment_completed"],
                over_total_reason=(r["over_total_reason"] or "").strip(),
                note=(r["note"] or "").strip(),
                reported_by=actor,
            )
            for r in rows
        ]
        bulk_insert(objs)
        # the projects' cumulative investment and latest month, by the same rule as the progress services
        store_project_totals(obj.project_id for obj in objs)
        return [(r["_row"], obj) for r, obj in zip(rows, objs, strict=True)]

    _snap = staticmethod(snapshot_fields(FIELDS))

    def audit_item(self, obj: ProgressReport, ctx: dict[int, _ProjectInfo]) -> tuple[str, int | None, dict]:
        return ctx[obj.project_id].region_path, obj.project.enterprise_id, self._snap(obj)
