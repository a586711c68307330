"""What is summed per project, kept as data: Project.cumulative_investment (the sum of the monthly reports)
and Project.last_reported_month (the latest month reported).

`project_totals` is the one rule (a pure function of a project's reports); `store_project_totals` applies it
to the projects whose reports changed and is what every writer of progress reports calls after writing:
the progress services (services.projects.progress_report / progress_update), the progress Excel importer
and the demo data. `refresh_all_project_totals` recomputes every project in one set-based statement (the
data migration's backfill and the scale benchmark), the same sum and maximum in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from ..models import ProgressReport, Project

CHUNK = 2000


def unexplained_overruns(
    months: dict[dt.date, tuple[Decimal, str]], total_investment: Decimal
) -> list[tuple[dt.date, Decimal]]:
    """The one rule of the cumulative check, used by the progress services and the progress importer:
    walking the months in order, every month where the cumulative investment passes the project's total and
    that month's report gives no reason — (month, cumulative then)."""
    out: list[tuple[dt.date, Decimal]] = []
    running = Decimal(0)
    for month in sorted(months):
        amount, reason = months[month]
        running += amount
        if running > total_investment and not (reason or "").strip():
            out.append((month, running))
    return out


@dataclass(frozen=True)
class ProjectTotals:
    cumulative_investment: Decimal
    last_reported_month: dt.date | None


def project_totals(reports: Iterable[tuple[dt.date, Decimal]]) -> ProjectTotals:
    """A project's totals from its reports, given as (month, investment completed in that month)."""
    total = Decimal(0)
    last: dt.date | None = None
    for month, amount in reports:
        total += Decimal(amount)
        if last is None or month > last:
            last = month
    return ProjectTotals(cumulative_investment=total, last_reported_month=last)


def store_project_totals(project_ids: Iterable[int]) -> int:
    """Recompute and store the totals of these projects from their reports (call it inside the writer's
    transaction, after the reports are written). Returns how many projects changed."""
    ids = sorted(set(project_ids))
    changed = 0
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        rows: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for pid, month, amount in ProgressReport.objects.filter(project_id__in=part).values_list(
            "project_id", "month", "investment_completed"
        ):
            rows[pid].append((month, amount))
        stale = []
        for project in Project.objects.filter(pk__in=part).only(
            "pk", "cumulative_investment", "last_reported_month"
        ):
            totals = project_totals(rows.get(project.pk, ()))
            if (project.cumulative_investment, project.last_reported_month) != (
                totals.cumulative_investment,
                totals.last_reported_month,
            ):
                project.cumulative_investment = totals.cumulative_investment
                project.last_reported_month = totals.last_reported_month
                stale.append(project)
        Project.objects.bulk_update(stale, ["cumulative_investment", "last_reported_month"], batch_size=500)
        changed += len(stale)
    return changed


def refresh_all_project_totals(schema_editor_connection: object | None = None) -> None:
    """Every project's totals in one UPDATE (the same sum and maximum as project_totals, in SQL)."""
    conn = schema_editor_connection or connection
    p, r = Project._meta.db_table, ProgressReport._meta.db_table
    with conn.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute(
            # table names from the models' meta, no input
            f"UPDATE {p} SET cumulative_investment = COALESCE((SELECT SUM(r.investment_completed) "  # noqa: S608
            f"FROM {r} r WHERE r.project_id = {p}.id), 0), last_reported_month = "
            f"(SELECT MAX(r.month) FROM {r} r WHERE r.project_id = {p}.id)"
        )
