"""政策计算器的批量计算 as a background job: a JSON file of the same shape as the API's and the command
line's request ({"cases": [...], optional "overrides" and "round_year"}), evaluated by the one engine; the
result file is the same JSON response the API would give."""

from __future__ import annotations

import json
from typing import Any

import orjson
from django.conf import settings

from jigai.policy import RequestError, evaluate_request

from .models import Job
from .services import JobFailed, JobOutcome, Progress, job_start, read_input

MB = 1024 * 1024


def batch_limit() -> int:
    """The largest batch file (bytes) a job takes: far beyond the API's single request (64 MB)."""
    return int(getattr(settings, "JIGAI_CALCULATOR_BATCH_MAX_BYTES", 256 * MB))


def start_batch(*, actor: Any, data: bytes, filename: str) -> Job:
    if len(data) > batch_limit():
        raise JobFailed(f"文件超过批量计算上限 {batch_limit() / MB:.0f} MB，请分成几个文件提交。")
    return job_start(
        actor=actor,
        permission=None,
        kind="calculator.batch",
        label="政策计算器批量计算",
        handler="jigai.jobs.calculator.batch_job",
        input_data=data,
        input_name=filename,
    )


def _loads(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:

        def refuse(name: str) -> Any:
            raise ValueError(name)

        return json.loads(data, parse_constant=refuse)


def batch_job(job: Job, progress: Progress) -> JobOutcome:
    try:
        body = _loads(read_input(job))
    except (ValueError, RecursionError):
        raise JobFailed(
            '文件不是有效的 JSON（应为 UTF-8 编码、形如 {"cases": [...]} 的 JSON 对象）。'
        ) from None
    if not isinstance(body, dict):
        raise JobFailed('文件内容应为 JSON 对象，形如 {"cases": [...]}。')
    cases = body.get("cases")
    n = len(cases) if isinstance(cases, list) else 0
    progress(0, n, f"正在计算 {n} 个案例……")
    try:
        result = evaluate_request(body, overrides=body.get("overrides"), round_year=body.get("round_year"))
    except RequestError as e:
        raise JobFailed(e.message) from None
    refused = sum(1 for r in result["results"] if "error" in r)
    progress(n, n)
    message = f"已计算 {n} 个案例" + (
        f"，其中 {refused} 个输入有误（见结果文件中的 error）。" if refused else "。"
    )
    return JobOutcome(message, result=orjson.dumps(result), result_name="政策计算器批量计算结果.json")
