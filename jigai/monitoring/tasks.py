"""Background work of monitoring: the refresh of computed figures after their records changed runs in the
worker (`jigai db_worker`), not in the request that saved the record — at provincial size one county's
refresh takes about half a second (bench/bench_dashboards.py --refresh-cost), which an enterprise saving
its monthly progress should not wait for. The tests' immediate backend runs it at once."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def refresh_changed_figures(changes: list[list[Any]]) -> int:
    """changes: [[computations…], region code, year, month] (services/sources.py Change, as JSON)."""
    from .services.sources import refresh_changes

    return refresh_changes(
        [(tuple(codes), region, int(year), int(month)) for codes, region, year, month in changes]
    )
