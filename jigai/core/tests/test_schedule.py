"""The daily self-queuing tasks (audit anchor, nightly matching) share one helper: next day at HH:MM, and a
next run queued once only, on the database task backend."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django_tasks import task

from jigai.core.schedule import next_daily, queue_once

SHANGHAI = ZoneInfo("Asia/Shanghai")


@task()
def sample_daily() -> int:
    return 1


def test_next_daily_is_tomorrow_at_the_hour_local_time():
    now = dt.datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)
    assert next_daily(1, 30, now) == dt.datetime(2027, 1, 1, 1, 30, tzinfo=SHANGHAI)
    early = dt.datetime(2026, 12, 2, 0, 1, tzinfo=SHANGHAI)
    assert next_daily(0, 5, early) == dt.datetime(2026, 12, 3, 0, 5, tzinfo=SHANGHAI)


def test_immediate_backend_queues_nothing():
    assert queue_once(sample_daily, next_daily(1, 0)) is False


@pytest.mark.django_db
def test_queued_once_on_the_database_backend():
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        when = next_daily(2, 0)
        assert queue_once(sample_daily, when) is True
        assert queue_once(sample_daily, when) is False
        rows = DBTaskResult.objects.filter(task_path=sample_daily.module_path)
        assert rows.count() == 1 and rows.get().run_after == when
