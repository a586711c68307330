"""Pages of the registry's Excel imports and exports (thin: the work is in importers/exports)."""

from __future__ import annotations

import re
import time
import uuid

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jigai.accounts.permissions import require
from jigai.core.errors import NotFound
from jigai.core.excel import ExcelError, check_xlsx, xlsx_response
from jigai.jobs.services import job_url

from . import EXPORTERS, Importer, importable_kinds, importer_for, template
from .exports import direct_export_limit, export_plan
from .jobs import start_export, start_import

ERROR_DIR = "excel-errors"
ERROR_KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _error_path(user_id: int, token: str) -> str:
    return f"{ERROR_DIR}/{user_id}/{token}.xlsx"


def _keep_error_file(user_id: int, data: bytes) -> str:
    """Store the marked workbook for its owner to download; older ones of that user are removed."""
    folder = f"{ERROR_DIR}/{user_id}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for name in files:
        path = f"{folder}/{name}"
        try:
            if time.time() - default_storage.get_modified_time(path).timestamp() > ERROR_KEEP_SECONDS:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            pass
    token = uuid.uuid4().hex
    default_storage.save(_error_path(user_id, token), ContentFile(data))
    return token


def _importer(kind: str) -> Importer:
    try:
        return importer_for(kind)
    except NotFound as e:
        raise Http404(e.message) from None


@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/excel/index.html", {"importers": importable_kinds(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, kind: str) -> HttpResponse:
    """GET: the template and the upload form. POST: the file's size and format are checked at once; the
    import itself runs as a background job and the user is sent to its progress page."""
    imp = _importer(kind)
    require(request.user, imp.permission)
    context = {"imp": imp, "columns": imp.spec().columns}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["message"] = "请选择要上传的 Excel 文件（.xlsx）。"
            return render(request, "registry/excel/import.html", context, status=400)
        try:
            check_xlsx(upload.file)  # size and format first, before the whole file is read into memory
        except ExcelError as e:
            context["message"] = e.message
            return render(request, "registry/excel/import.html", context, status=400)
        upload.file.seek(0)
        job = start_import(actor=request.user, kind=kind, data=upload.file.read(), filename=upload.name)
        return redirect(job_url(job))
    return render(request, "registry/excel/import.html", context)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    imp = _importer(kind)
    return xlsx_response(template(kind, request.user), f"{imp.label}导入模板.xlsx")


@login_required
@require_GET
def error_download(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    """The marked workbook of the user's own failed import (the path holds their id: no one else's)."""
    imp = _importer(kind)
    if not _TOKEN.match(token):
        raise Http404("文件不存在或已过期。")
    path = _error_path(request.user.pk, token)
    if not default_storage.exists(path):
        raise Http404("文件不存在或已过期，请重新上传。")
    with default_storage.open(path, "rb") as fh:
        data = fh.read()
    return xlsx_response(data, f"{imp.label}导入-错误标注.xlsx")


@login_required
@require_GET
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """A list's export: answered directly up to JIGAI_EXPORT_DIRECT_ROWS rows, a background job (the user
    goes to its progress page, the file is the job's result) above."""
    exporter = EXPORTERS.get(kind)
    if exporter is None:
        raise Http404("没有这种导出。")
    plan = export_plan(kind, request.user, request.GET)
    total = plan.count()
    if total <= direct_export_limit():
        return exporter(request.user, request.GET)
    job = start_export(actor=request.user, name=kind, filters=plan.filters, total=total)
    return redirect(job_url(job))
