"""/jobs/ — the user's recent jobs, one job's progress page (htmx polls it every second) and its result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jigai.core.errors import NotFound

from .calculator import batch_limit, start_batch
from .models import Job, JobStatus
from .selectors import job_get, job_list
from .services import JobFailed, job_url


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    try:
        return job_get(request.user, pk)
    except NotFound as e:
        raise Http404(e.message) from None


@login_required
@require_GET
def job_index(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": list(job_list(request.user))})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    template = "jobs/_progress.html" if getattr(request, "htmx", False) else "jobs/detail.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_or_404(request, pk)
    if not job.result_file or job.status not in (JobStatus.DONE, JobStatus.FAILED):
        raise Http404("该任务没有可下载的文件。")
    try:
        fh = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在或已被清理。") from None
    return FileResponse(fh, as_attachment=True, filename=job.result_name or job.result_file.name)


@login_required
@require_http_methods(["GET", "POST"])
def calculator_batch(request: HttpRequest) -> HttpResponse:
    """Upload a JSON batch for the policy calculator; it is evaluated as a background job."""
    context = {"limit_mb": batch_limit() // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["message"] = "请选择要提交的 JSON 文件。"
            return render(request, "jobs/calculator_batch.html", context, status=400)
        if upload.size > batch_limit():
            context["message"] = f"文件超过批量计算上限 {context['limit_mb']} MB，请分成几个文件提交。"
            return render(request, "jobs/calculator_batch.html", context, status=400)
        try:
            job = start_batch(actor=request.user, data=upload.read(), filename=upload.name)
        except JobFailed as e:
            context["message"] = e.message
            return render(request, "jobs/calculator_batch.html", context, status=400)
        return redirect(job_url(job))
    return render(request, "jobs/calculator_batch.html", context)
