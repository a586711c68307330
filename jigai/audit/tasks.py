"""The daily anchor of the audit chain, run by the background worker (`jigai db_worker`): the task writes
today's anchor and enqueues itself for shortly after the next midnight. `jigai audit anchor --schedule`
(run by `make run` at start) writes one now and makes sure exactly one next run is queued."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from jigai.core.schedule import next_daily, queue_once

TASK_PATH = "jigai.audit.tasks.daily_anchor"


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    return next_daily(0, 5, now)


def schedule_next() -> bool:
    """Queue the next daily run unless one is already waiting; True when queued."""
    return queue_once(daily_anchor, next_run())


@task()
def daily_anchor() -> str:
    from .anchors import write_anchor
    from .archive import archive_login_log, archive_operation_log

    try:
        path = write_anchor()
        archive_login_log()  # past the retention (at least 6 months): archived, then removed online
        archive_operation_log()  # copied to the archive; the chain itself keeps every record
    finally:
        schedule_next()
    return str(path)
