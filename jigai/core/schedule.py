"""Tasks that run once a day and queue themselves for the next day (the audit anchor, the nightly matching):
the one way to say "after the next HH:MM" and to queue the next run exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def next_daily(hour: int, minute: int, now: dt.datetime | None = None) -> dt.datetime:
    """HH:MM local time tomorrow (a daily task that has just run: its next run)."""
    now = timezone.localtime(now or timezone.now())
    return (now + dt.timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)


def queue_once(task: Any, run_after: dt.datetime) -> bool:
    """Queue `task` to run after `run_after` unless a run of it is already waiting; True when queued.
    A backend that cannot run later (the tests' immediate one) queues nothing."""
    if not task.get_backend().supports_defer:
        return False
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend: it must deduplicate itself
        DBTaskResult = None
    if DBTaskResult is not None:
        if DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists():
            return False
    task.using(run_after=run_after).enqueue()
    return True
