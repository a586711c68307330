"""The registry's Excel work as background jobs (jigai.jobs): an import of an uploaded workbook and an
export of a large filtered list. Each handler is `handler(job, progress) -> JobOutcome`."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from jigai.jobs.models import Job
from jigai.jobs.services import JobFailed, JobOutcome, Progress, job_start, read_input

from . import importer_for
from .base import run_import
from .exports import export_filename, export_plan, write_export

SHOWN_ERRORS = 20  # cell errors written into the job's failure message (all of them are in the workbook)


def start_import(*, actor: Any, kind: str, data: bytes, filename: str) -> Job:
    imp = importer_for(kind)
    return job_start(
        actor=actor,
        permission=imp.permission,
        kind=f"import.{kind}",
        label=f"导入{imp.label}",
        handler="jigai.registry.excel.jobs.import_job",
        params={"kind": kind},
        input_data=data,
        input_name=filename,
    )


def import_job(job: Job, progress: Progress) -> JobOutcome:
    imp = importer_for(job.params["kind"])
    result = run_import(
        actor=job.owner, importer=imp, data=read_input(job), filename=job.input_name, progress=progress
    )
    if result.ok:
        return JobOutcome(result.message)
    lines = [result.message]
    lines += [f"第 {e.row} 行第 {e.col} 列：{e.message}" for e in result.errors[:SHOWN_ERRORS]]
    if len(result.errors) > SHOWN_ERRORS:
        lines.append(f"另有 {len(result.errors) - SHOWN_ERRORS} 处错误，请查看标注文件。")
    raise JobFailed(
        "\n".join(lines),
        result=result.error_file,
        result_name=f"{imp.label}导入-错误标注.xlsx" if result.error_file else "",
    )


def start_export(*, actor: Any, name: str, filters: dict[str, Any], total: int) -> Job:
    """A background export of list `name` with the list page's filters (scope: the actor's, at run time)."""
    plan = export_plan(name, actor, filters)
    return job_start(
        actor=actor,
        permission=None,  # the scope gate of the list decides which rows; every signed-in user may export
        kind=f"export.{name}",
        label=f"导出{plan.label}",
        handler="jigai.registry.excel.jobs.export_job",
        params={"name": name, "filters": plan.filters, "total": total},
    )


def export_job(job: Job, progress: Progress) -> JobOutcome:
    plan = export_plan(job.params["name"], job.owner, job.params.get("filters") or {})
    total = int(job.params.get("total") or 0) or plan.count()
    progress(0, total, f"正在导出约 {total} 行……")
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="jigai-export-job-")
    os.close(fd)
    try:
        written = write_export(
            job.owner,
            plan.kind,
            plan.qs,
            plan.spec,
            plan.filters,
            path,
            lambda n: progress(min(n, total), total),
        )
    except BaseException:
        os.unlink(path)
        raise
    progress(written, max(total, written))
    # The runner moves the temporary file into storage and removes it.
    return JobOutcome(
        f"已导出 {written} 行{plan.label}。", result_path=path, result_name=export_filename(plan.label)
    )
