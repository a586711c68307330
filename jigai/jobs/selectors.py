"""Reads of jobs, always through the scope gate: a user reaches only their own jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jigai.core.errors import NotFound

from .models import Job

RECENT = 20


def job_list(actor: Any, *, limit: int = RECENT) -> QuerySet[Job]:
    """The actor's most recent jobs."""
    return Job.objects.restrict(actor).order_by("-created_at", "-id")[:limit]


def job_get(actor: Any, job_id: int) -> Job:
    """One of the actor's jobs; missing and someone else's answer the same "not found"."""
    job = Job.objects.restrict(actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound("未找到该任务。")
    return job
