"""The django-tasks task every Job runs through (one task, so the worker's queue is one list of jobs)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from .services import job_run

    return job_run(job_id)
