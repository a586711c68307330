"""Excel exports of the registry's filtered lists. Each starts from the same selector as the list page (so
the scope gate and the filters are the same), reads `.values()` with `.iterator()` and hands the rows to
jigai.core.excel.write_rows, which writes them in constant memory: 100,000 rows never sit in memory."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.http import FileResponse
from django.utils import timezone

from jigai.audit.services import audit_record
from jigai.core.excel import XLSX_CONTENT_TYPE, Spec, write_rows

from .. import selectors
from ..models import ProgressReport, Qualification
from . import specs

ITER_CHUNK = 2000
NUMERIC_FILTERS = frozenset({"enterprise", "project", "year"})
EXPORT_FILTERS = (
    "q",
    "status",
    "region",
    "above_designated_size",
    "category",
    "construction",
    "enterprise",
    "missing",
    "kind",
    "year",
    "project",
)


def clean_filters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The known filters of a query string (a list page's GET), empty ones dropped."""
    out: dict[str, Any] = {}
    for key in EXPORT_FILTERS:
        value = params.get(key)
        if value in (None, ""):
            continue
        value = str(value).strip()[:100]
        if key in NUMERIC_FILTERS and not value.isdigit():
            continue  # an id that is not a number matches nothing anyway; never a 500
        out[key] = value
    return out


def _rows(qs: QuerySet, spec: Spec, on_row: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    keys = [c.key for c in spec.columns]
    n = 0
    for row in qs.values(*keys).iterator(chunk_size=ITER_CHUNK):
        n += 1
        created = row.get("created_at")
        if isinstance(created, dt.datetime):
            row["created_at"] = timezone.localtime(created).date()
        if on_row is not None and n % ITER_CHUNK == 0:
            on_row(n)
        yield row


def export_filename(label: str) -> str:
    return f"{label}-{timezone.localdate():%Y%m%d}.xlsx"


def write_export(
    actor: Any,
    kind: str,
    qs: QuerySet,
    spec: Spec,
    filters: dict[str, Any],
    path: str,
    on_row: Callable[[int], None] | None = None,
) -> int:
    """Write the export to `path` (every row: past a sheet's limit on further sheets) and record it in the
    audit log with the number of rows really written. Returns that number."""
    written = write_rows(path, spec, _rows(qs, spec, on_row))
    # Exports of enterprise data are recorded (等保: who took which data out, with which filters).
    audit_record(actor=actor, action=f"{kind}.export", after={"filters": filters, "rows": written})
    return written


def _export(
    actor: Any, kind: str, label: str, qs: QuerySet, spec: Spec, filters: dict[str, Any]
) -> FileResponse:
    """The export as a direct download: written to a temporary file, streamed from disk; the file is
    unlinked at once and disappears when the response closes it."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="jigai-export-")
    os.close(fd)
    try:
        write_export(actor, kind, qs, spec, filters, path)
        fh = open(path, "rb")  # closed by the FileResponse
    finally:
        os.unlink(path)
    return FileResponse(
        fh, as_attachment=True, filename=export_filename(label), content_type=XLSX_CONTENT_TYPE
    )


def export_enterprises(actor: Any, filters: Mapping[str, Any] | None = None) -> FileResponse:
    f = clean_filters(filters or {})
    qs = selectors.enterprise_list(actor=actor, filters=f)
    return _export(actor, "enterprise", "企业名录", qs, specs.enterprise_export_spec(), f)


def qualification_list(*, actor: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Qualification]:
    """Qualifications the actor may see; filters: q (enterprise name or code), kind, enterprise (id),
    region (code: that region and below)."""
    f = filters or {}
    qs = Qualification.objects.restrict(actor)
    if f.get("q"):
        q = f["q"]
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q.upper()))
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("enterprise"):
        qs = qs.filter(enterprise_id=f["enterprise"])
    if f.get("region"):
        code = f["region"]
        qs = qs.filter(Q(enterprise__region_id=code) | Q(enterprise__region__path__contains=f"{code}/"))
    return qs.order_by("enterprise__name", "kind", "-valid_to", "pk")


def export_qualifications(actor: Any, filters: Mapping[str, Any] | None = None) -> FileResponse:
    f = clean_filters(filters or {})
    qs = qualification_list(actor=actor, filters=f)
    return _export(actor, "qualification", "企业资质", qs, specs.qualification_export_spec(), f)


def export_projects(actor: Any, filters: Mapping[str, Any] | None = None) -> FileResponse:
    f = clean_filters(filters or {})
    qs = selectors.project_list(actor=actor, filters=f)
    return _export(actor, "project", "技改项目", qs, specs.project_export_spec(), f)


def progress_list(*, actor: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[ProgressReport]:
    """Monthly reports the actor may see, each with `cumulative` (the project's total up to and including
    that month) and year/month_no; filters: q (project or enterprise name, code), region, project (id),
    enterprise (id), year."""
    f = filters or {}
    qs = ProgressReport.objects.restrict(actor)
    if f.get("q"):
        q = f["q"]
        qs = qs.filter(
            Q(project__name__icontains=q)
            | Q(project__enterprise__name__icontains=q)
            | Q(project__enterprise__uscc__icontains=q.upper())
        )
    if f.get("region"):
        code = f["region"]
        qs = qs.filter(
            Q(project__enterprise__region_id=code) | Q(project__enterprise__region__path__contains=f"{code}/")
        )
    if f.get("project"):
        qs = qs.filter(project_id=f["project"])
    if f.get("enterprise"):
        qs = qs.filter(project__enterprise_id=f["enterprise"])
    if f.get("year") and str(f["year"]).isdigit():
        year = int(f["year"])
        qs = qs.filter(month__gte=dt.date(year, 1, 1), month__lte=dt.date(year, 12, 1))
    # A correlated sum, not a window: the cumulative must count the months the filter leaves out.
    money = DecimalField(max_digits=18, decimal_places=2)
    upto = (
        ProgressReport.objects.filter(project=OuterRef("project"), month__lte=OuterRef("month"))
        .values("project")
        .annotate(s=Sum("investment_completed"))
        .values("s")
    )
    return qs.annotate(
        cumulative=Coalesce(Subquery(upto, output_field=money), Decimal("0"), output_field=money),
        year=ExtractYear("month"),
        month_no=ExtractMonth("month"),
    ).order_by("project__enterprise__name", "project_id", "month")


def export_progress(actor: Any, filters: Mapping[str, Any] | None = None) -> FileResponse:
    f = clean_filters(filters or {})
    qs = progress_list(actor=actor, filters=f)
    return _export(actor, "progress", "月度进度", qs, specs.progress_export_spec(), f)


@dataclass(frozen=True)
class ExportPlan:
    """What one export writes: the audit kind, the file's label, the scoped and filtered rows, the spec."""

    kind: str
    label: str
    qs: QuerySet
    spec: Spec
    filters: dict[str, Any]

    def count(self) -> int:
        return self.qs.order_by().values("pk").count()


def export_plan(name: str, actor: Any, filters: Mapping[str, Any] | None = None) -> ExportPlan:
    """The plan of export `name` (a key of EXPORTERS) for `actor` and a list page's filters."""
    f = clean_filters(filters or {})
    if name == "enterprises":
        qs = selectors.enterprise_list(actor=actor, filters=f)
        return ExportPlan("enterprise", "企业名录", qs, specs.enterprise_export_spec(), f)
    if name == "qualifications":
        qs = qualification_list(actor=actor, filters=f)
        return ExportPlan("qualification", "企业资质", qs, specs.qualification_export_spec(), f)
    if name == "projects":
        qs = selectors.project_list(actor=actor, filters=f)
        return ExportPlan("project", "技改项目", qs, specs.project_export_spec(), f)
    if name == "progress":
        return ExportPlan(
            "progress", "月度进度", progress_list(actor=actor, filters=f), specs.progress_export_spec(), f
        )
    raise KeyError(name)


def direct_export_limit() -> int:
    """Exports of at most this many rows are answered directly; larger ones run as a background job."""
    return int(getattr(settings, "JIGAI_EXPORT_DIRECT_ROWS", 5000))


EXPORTERS = {
    "enterprises": export_enterprises,
    "qualifications": export_qualifications,
    "projects": export_projects,
    "progress": export_progress,
}
