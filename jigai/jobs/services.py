"""Starting and running background jobs.

    job_start(actor=…, permission=…, kind=…, label=…, handler="pkg.mod.func", params=…, input_data=…)
        → Job (queued); the task is enqueued when the surrounding transaction commits.
    job_run(job_id)  — what the worker runs (jigai.jobs.tasks.run_job): the handler, then done or failed.

A handler is `handler(job, progress) -> JobOutcome`. It reports with `progress(done, total, message)`
(outside any transaction of its own, so the page polling the job sees it), returns the outcome (a message
and optionally the result file) or raises a DomainError — its Chinese message becomes the job's error;
`JobFailed` may also carry a result file (e.g. the workbook with the bad cells marked). A handler leaves
nothing half-done: what it changes it changes in one transaction.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jigai.accounts.permissions import require
from jigai.accounts.scope import is_active_actor
from jigai.core.errors import AccessDenied, DomainError
from jigai.notifications.services import notify

from .models import Job, JobStatus

logger = logging.getLogger(__name__)

Progress = Callable[..., None]
PROGRESS_EVERY_SECONDS = 0.5
UNEXPECTED = "任务执行时发生系统错误，未做任何更改。请稍后重试，或联系系统管理员。"


@dataclass
class JobOutcome:
    message: str
    result: bytes | None = None  # the result file's bytes, or…
    result_path: str | None = None  # …a temporary local file, moved into storage then removed (exports)
    result_name: str = ""


class JobFailed(DomainError):
    """The job refused its input: `message` says why (Chinese); `result` is an optional file for the user."""

    default_code = "job_failed"

    def __init__(self, message: str, *, result: bytes | None = None, result_name: str = "") -> None:
        super().__init__(message)
        self.result = result
        self.result_name = result_name


def job_url(job: Job) -> str:
    return f"/jobs/{job.pk}/"


def job_start(
    *,
    actor: Any,
    permission: str | None,
    kind: str,
    label: str,
    handler: str,
    params: dict[str, Any] | None = None,
    input_data: bytes | None = None,
    input_name: str = "",
) -> Job:
    """A queued Job of `actor` (who must hold `permission`; None: any active user, the handler's reads are
    scoped); its input is kept in storage. The task is enqueued only when the transaction commits (a
    rolled-back request starts nothing)."""
    if permission is not None:
        require(actor, permission)
    elif not is_active_actor(actor):
        raise AccessDenied("请先登录。", code="permission_denied")
    import_string(handler)  # a wrong path fails here, in the request, not later in the worker
    with transaction.atomic():
        job = Job(owner=actor, kind=kind, label=label[:200], handler=handler, params=params or {})
        if input_data is not None:
            job.input_name = input_name[:255]
            stored = f"{kind}-{timezone.now():%Y%m%d%H%M%S}.bin"
            job.input_file.save(stored, ContentFile(input_data), save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


class _Reporter:
    """progress(done, total, message="") writes the job's progress, at most every half second (and always
    when done reaches total), so a loop over 100,000 rows costs a few hundred small updates."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and not message and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        fields: dict[str, Any] = {"done": max(0, int(done))}
        if total is not None:
            fields["total"] = max(0, int(total))
        if message:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job.pk).update(**fields)


def _store_result(job: Job, outcome_or_error: JobOutcome | JobFailed) -> None:
    data = outcome_or_error.result
    path = getattr(outcome_or_error, "result_path", None)
    name = outcome_or_error.result_name or "结果"
    if data is None and path is None:
        return
    job.result_name = name[:255]
    suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
    stored = f"{job.kind}-{job.pk}.{suffix}"
    if path is not None:
        try:
            with open(path, "rb") as fh:
                job.result_file.save(stored, File(fh), save=False)
        finally:
            os.unlink(path)
    else:
        job.result_file.save(stored, ContentFile(data), save=False)


def _finish(job: Job, status: str, *, message: str = "", error: str = "") -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.message = message[:500]
    job.error = error
    if status == JobStatus.DONE:
        job.done = max(job.done, job.total)
    job.save(
        update_fields=[
            "status",
            "finished_at",
            "message",
            "error",
            "done",
            "total",
            "result_file",
            "result_name",
        ]
    )
    ok = status == JobStatus.DONE
    notify(
        recipients=[job.owner],
        kind="job.done" if ok else "job.failed",
        title=f"{job.label}{'已完成' if ok else '失败'}",
        body=message if ok else error,
        url=job_url(job),
        email=False,
    )


def job_run(job_id: int) -> str:
    """Run a queued job (the worker's entry point); returns its final status. A job that is not queued any
    more (run twice by a retried task) is left as it is."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), message="正在处理……"
    )
    job = Job.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job.status
    try:
        handler = import_string(job.handler)
        outcome: JobOutcome = handler(job, _Reporter(job))
    except JobFailed as e:
        job.refresh_from_db(fields=["done", "total"])
        _store_result(job, e)
        _finish(job, JobStatus.FAILED, error=e.message)
    except DomainError as e:
        job.refresh_from_db(fields=["done", "total"])
        _finish(job, JobStatus.FAILED, error=e.message)
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        job.refresh_from_db(fields=["done", "total"])
        _finish(job, JobStatus.FAILED, error=UNEXPECTED)
    else:
        job.refresh_from_db(fields=["done", "total"])
        _store_result(job, outcome)
        _finish(job, JobStatus.DONE, message=outcome.message)
    _drop_input(job)
    return job.status


def _drop_input(job: Job) -> None:
    """The uploaded input (enterprise data) is not kept once the job has ended; its name stays."""
    if job.input_file:
        try:
            job.input_file.delete(save=False)
        except OSError:
            logger.warning("could not remove the input of job %s", job.pk)
        Job.objects.filter(pk=job.pk).update(input_file="")


def read_input(job: Job) -> bytes:
    with job.input_file.open("rb") as fh:
        return fh.read()
