"""Pages of the registry's Excel imports and exports (thin: the work is in importers/exports)."""

from __future__ import annotations

import re
import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from jigai.accounts.permissions import require
from jigai.core.errors import NotFound
from jigai.web.excel import xlsx_response

from . import EXPORTERS, Importer, import_file, importable_kinds, importer_for, template

ERROR_DIR = "excel-errors"
ERROR_KEEP_SECONDS = 24 * 3600
SHOWN_ERRORS = 200
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
    imp = _importer(kind)
    require(request.user, imp.permission)
    context = {"imp": imp, "columns": imp.spec().columns}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["message"] = "请选择要上传的 Excel 文件（.xlsx）。"
            return render(request, "registry/excel/import.html", context, status=400)
        result = import_file(actor=request.user, kind=kind, file=upload, filename=upload.name)
        context["result"] = result
        if result.ok:
            messages.success(request, result.message)
        else:
            context["message"] = result.message
            context["errors"] = result.errors[:SHOWN_ERRORS]
            context["more_errors"] = max(0, len(result.errors) - SHOWN_ERRORS)
            if result.error_file is not None:
                context["error_token"] = _keep_error_file(request.user.pk, result.error_file)
        return render(request, "registry/excel/import.html", context, status=200 if result.ok else 400)
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
    exporter = EXPORTERS.get(kind)
    if exporter is None:
        raise Http404("没有这种导出。")
    return exporter(request.user, request.GET)
