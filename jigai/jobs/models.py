"""A Job: one background task of one user, with its progress and its result file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigai.accounts.scope import ScopedQuerySet, own_q
from jigai.core.uploads import ServerNamedUpload


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class Job(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE, related_name="jobs"
    )
    # What kind of work, as "<area>.<what>" (e.g. "import.projects", "export.progress", "calculator.batch").
    kind = models.CharField("类型", max_length=50)
    label = models.CharField("名称", max_length=200)
    handler = models.CharField("处理函数", max_length=200)  # dotted path, set by server code only
    params = models.JSONField("参数", default=dict, blank=True)
    input_file = models.FileField("输入文件", upload_to=ServerNamedUpload("jobs/input/%Y/%m/"), blank=True)
    input_name = models.CharField("输入文件名", max_length=255, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("进度说明", max_length=500, blank=True)
    result_file = models.FileField("结果文件", upload_to=ServerNamedUpload("jobs/result/%Y/%m/"), blank=True)
    result_name = models.CharField("结果文件名", max_length=255, blank=True)
    error = models.TextField("失败原因", blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        # Only the owner, whatever the role: a province officer does not peek at a county's jobs either.
        return own_q(actor, "owner")

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(self.done * 100 / self.total))
