"""Excel imports and exports of the registry (企业、资质、项目、月度进度).

    template(kind, actor)                    → bytes of the import template
    import_file(actor=…, kind=…, file=…)     → ImportResult (all rows or none; annotated workbook on errors)
    export_enterprises(actor, filters)       → FileResponse (also export_qualifications/projects/progress)

Pages: jigai/registry/excel_urls.py (/registry/excel/…); list pages link their filters to
/registry/excel/export/<kind>/?<same query string> (or call export_<kind>(request.user, request.GET) on
?format=xlsx).
"""

from __future__ import annotations

from typing import IO, Any

from jigai.accounts.permissions import can, require
from jigai.core.errors import NotFound
from jigai.core.excel import ExcelError, check_xlsx, template_workbook

from .base import ImportResult, run_import
from .exports import (
    EXPORTERS,
    export_enterprises,
    export_progress,
    export_projects,
    export_qualifications,
    progress_list,
    qualification_list,
)
from .importers import IMPORTERS, Importer
from .qualification_lists import QualificationListImporter  # registers the 资质名单 import

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "ImportResult",
    "Importer",
    "QualificationListImporter",
    "export_enterprises",
    "export_progress",
    "export_projects",
    "export_qualifications",
    "import_file",
    "importable_kinds",
    "importer_for",
    "progress_list",
    "qualification_list",
    "template",
]


def importer_for(kind: str) -> Importer:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise NotFound("没有这种导入。") from None


def importable_kinds(actor: Any) -> list[Importer]:
    return [imp for imp in IMPORTERS.values() if can(actor, imp.permission)]


def template(kind: str, actor: Any) -> bytes:
    """The import template of `kind`, with the reference lists (regions, projects) of the actor's scope."""
    imp = importer_for(kind)
    require(actor, imp.permission)
    return template_workbook(imp.spec(), **imp.template_extras(actor))


def import_file(*, actor: Any, kind: str, file: IO[bytes] | Any, filename: str = "") -> ImportResult:
    """Import an uploaded .xlsx (bytes, a file or a Django UploadedFile) as `kind`, all rows or none."""
    imp = importer_for(kind)
    require(actor, imp.permission)
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "open") and hasattr(file, "chunks"):
            file.open("rb")
        fh = getattr(file, "file", file)
        try:
            check_xlsx(fh)  # size and format first, before the whole file is read into memory
        except ExcelError as e:
            return ImportResult(kind=kind, ok=False, message=e.message)
        fh.seek(0)
        data = fh.read()
    return run_import(actor=actor, importer=imp, data=data, filename=filename or getattr(file, "name", ""))
