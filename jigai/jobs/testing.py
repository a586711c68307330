"""Helpers for tests: switch to the database task backend and run its worker in-process."""

from __future__ import annotations

from typing import Any

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker(*, max_tasks: int | None = None) -> None:
    """Run django-tasks-db's own worker on this thread until the queue is empty (its `--batch` mode).

    The worker checks its connection between tasks (close_old_connections); inside a test's transaction
    that would close the test's own connection on PostgreSQL, so the check is left out here."""
    from unittest import mock

    from django_tasks_db.management.commands.db_worker import Worker

    kwargs: dict[str, Any] = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": max_tasks,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        Worker(**kwargs).run()
