"""The daily anchor of the audit chain, run by the background worker (`jigai db_worker`): the task writes
today's anchor and enqueues itself for shortly after the next midnight. `jigai audit anchor --schedule`
(run by `make run` at start) writes one now and makes sure exactly one next run is queued."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

TASK_PATH = "jigai.audit.tasks.daily_anchor"


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    now = timezone.localtime(now or timezone.now())
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)
    return tomorrow


def schedule_next() -> bool:
    """Queue the next daily run unless one is already waiting (the database backend); True when queued."""
    if not daily_anchor.get_backend().supports_defer:
        return False  # a backend that cannot run later (the tests' immediate one): nothing to schedule
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend
        DBTaskResult = None
    if DBTaskResult is not None:
        waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
        if waiting.exists():
            return False
    daily_anchor.using(run_after=next_run()).enqueue()
    return True


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
