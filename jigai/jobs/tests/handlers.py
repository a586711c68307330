"""Job handlers used by the tests (real module-level functions, as the runner imports them by path)."""

from __future__ import annotations

from django.db import transaction

from jigai.jobs.models import Job
from jigai.jobs.services import JobFailed, JobOutcome, Progress
from jigai.notifications.models import Notification


def count(job: Job, progress: Progress) -> JobOutcome:
    total = int(job.params.get("total", 3))
    for i in range(total + 1):
        progress(i, total, f"第 {i} 步")
    return JobOutcome(f"数到了 {total}。", result=f"{total}".encode(), result_name="结果.txt")


def refuse(job: Job, progress: Progress) -> JobOutcome:
    progress(1, 4)
    raise JobFailed("第 2 行金额不是数字，全部行均未导入。", result=b"marked", result_name="错误标注.xlsx")


def crash_half_way(job: Job, progress: Progress) -> JobOutcome:
    with transaction.atomic():
        Notification.objects.create(recipient=job.owner, kind="half.done", title="写了一半")
        raise RuntimeError("boom")
