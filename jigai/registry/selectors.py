"""Reads of the registry. Every selector starts from the scope gate (`.restrict(actor)`); views never filter
by region themselves. Out-of-scope ids answer 404 (get_scoped_or_404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Window

from jigai.accounts.roles import Role
from jigai.accounts.scope import get_scoped_or_404

from .models import (
    ConstructionStatus,
    Enterprise,
    EnterpriseStatus,
    LibraryStatus,
    Platform,
    Product,
    ProgressReport,
    Project,
    Qualification,
    Title,
)

# ---------------------------------------------------------------------------------------------- enterprises


def enterprise_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Enterprise]:
    """Enterprises the actor may see; filters: q (name or code), status, size, region (code: that region
    and below), above_designated_size ("1"/"0")."""
    f = filters or {}
    qs = Enterprise.objects.restrict(actor).select_related("region", "region__parent")
    if f.get("q"):
        qs = qs.filter(Q(name__icontains=f["q"]) | Q(uscc__icontains=f["q"].upper()))
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("size"):
        qs = qs.filter(size=f["size"])
    if f.get("region"):
        code = f["region"]
        # Codes are 6 characters between slashes, so "code/" in a path means "below that region".
        qs = qs.filter(Q(region_id=code) | Q(region__path__contains=f"{code}/"))
    if f.get("above_designated_size") in ("1", "0"):
        qs = qs.filter(above_designated_size=f["above_designated_size"] == "1")
    return qs.order_by("name", "pk")


def enterprises_to_confirm(*, actor: Any) -> QuerySet[Enterprise]:
    """The county's work queue 待确认企业: registrations of its region still pending."""
    return enterprise_list(actor=actor, filters={"status": EnterpriseStatus.PENDING}).order_by(
        "created_at", "pk"
    )


def enterprise_get(*, actor: Any, pk: Any) -> Enterprise:
    return get_scoped_or_404(Enterprise.objects.select_related("region", "region__parent"), actor, pk=pk)


def qualification_get(*, actor: Any, pk: Any) -> Qualification:
    return get_scoped_or_404(Qualification.objects.select_related("enterprise"), actor, pk=pk)


def qualifications_valid_on(*, enterprise: Enterprise, on: dt.date) -> QuerySet[Qualification]:
    """Qualifications in force on a date (valid_from ≤ on ≤ valid_to). Not scoped: callers already hold an
    enterprise they were allowed to see."""
    return enterprise.qualifications.filter(valid_from__lte=on, valid_to__gte=on)


# ---------------------------------------------------------------------------------------------- projects


def previous_month(as_of: dt.date) -> dt.date:
    first = as_of.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


# The list's orders (filters["sort"]); each has its index (Project.Meta.indexes), the pk breaks ties.
PROJECT_SORTS: dict[str, tuple[str, ...]] = {
    "": ("-created_at", "-pk"),
    "-cumulative": ("-cumulative_investment", "-pk"),
    "cumulative": ("cumulative_investment", "pk"),
    "-total": ("-total_investment", "-pk"),
    "total": ("total_investment", "pk"),
}


def project_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Project]:
    """Projects the actor may see; filters: q (project or enterprise name, code), status (library),
    category, construction, region (code), enterprise (id), missing ("1": 应统尽统 flag, see below),
    sort (PROJECT_SORTS). The cumulative investment is the project's stored field, never summed here."""
    f = filters or {}
    qs = Project.objects.restrict(actor).select_related("enterprise", "enterprise__region")
    if f.get("q"):
        q = f["q"]
        qs = qs.filter(
            Q(name__icontains=q) | Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q)
        )
    if f.get("status"):
        qs = qs.filter(library_status=f["status"])
    if f.get("category"):
        qs = qs.filter(category=f["category"])
    if f.get("construction"):
        qs = qs.filter(construction_status=f["construction"])
    if f.get("enterprise"):
        qs = qs.filter(enterprise_id=f["enterprise"])
    if f.get("region"):
        code = f["region"]
        qs = qs.filter(Q(enterprise__region_id=code) | Q(enterprise__region__path__contains=f"{code}/"))
    if f.get("missing") == "1":
        qs = _missing_filter(qs, f.get("as_of") or dt.date.today())
    return qs.order_by(*PROJECT_SORTS.get(f.get("sort") or "", PROJECT_SORTS[""]))


QUEUE_STATUS = {Role.COUNTY: LibraryStatus.SUBMITTED, Role.CITY: LibraryStatus.COUNTY_CHECKED}


def project_queue(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Project]:
    """Projects waiting for the actor's check: county → submitted, city → county_checked."""
    waiting = QUEUE_STATUS.get(getattr(actor, "role", None))
    if waiting is None:
        return Project.objects.none()
    f = {**(filters or {}), "status": waiting}
    qs = project_list(actor=actor, filters=f)
    return qs if f.get("sort") else qs.order_by("submitted_at", "pk")


def reviewer_project_counts(*, actor: Any, as_of: dt.date | None = None) -> dict[str, int]:
    """The reviewer home's project figures in one pass over the actor's projects (conditional counts, one
    scan instead of one per figure): queue (waiting for the actor's check), missing (应统尽统, as
    projects_missing_statistics), in_library."""
    waiting = QUEUE_STATUS.get(getattr(actor, "role", None))
    return Project.objects.restrict(actor).aggregate(
        queue=Count("pk", filter=Q(library_status=waiting) if waiting else Q(pk__in=[])),
        missing=Count("pk", filter=_missing_q(as_of or dt.date.today())),
        in_library=Count("pk", filter=Q(library_status=LibraryStatus.IN_LIBRARY)),
    )


def project_get(*, actor: Any, pk: Any) -> Project:
    return get_scoped_or_404(Project.objects.select_related("enterprise__region"), actor, pk=pk)


def _missing_q(as_of: dt.date) -> Q:
    """No report for the month before `as_of`: read from the stored latest month (an index range), and
    only a project whose latest month is later than that one needs its reports looked at."""
    last = previous_month(as_of)
    reported = ProgressReport.objects.filter(project=OuterRef("pk"), month=last)
    return Q(
        Q(library_status=LibraryStatus.IN_LIBRARY),
        Q(construction_status=ConstructionStatus.UNDER_CONSTRUCTION),
        Q(last_reported_month__isnull=True)
        | Q(last_reported_month__lt=last)
        | (Q(last_reported_month__gt=last) & ~Exists(reported)),
    )


def _missing_filter(qs: QuerySet[Project], as_of: dt.date) -> QuerySet[Project]:
    return qs.filter(_missing_q(as_of))


def projects_missing_statistics(*, actor: Any, as_of: dt.date | None = None) -> QuerySet[Project]:
    """应统尽统: in-library projects under construction with no progress report for the month before
    `as_of` (default today)."""
    return project_list(actor=actor, filters={"missing": "1", "as_of": as_of or dt.date.today()})


def is_missing_statistics(project: Project, as_of: dt.date | None = None) -> bool:
    as_of = as_of or dt.date.today()
    return (
        project.library_status == LibraryStatus.IN_LIBRARY
        and project.construction_status == ConstructionStatus.UNDER_CONSTRUCTION
        and not project.progress_reports.filter(month=previous_month(as_of)).exists()
    )


def progress_with_cumulative(*, project: Project) -> list[ProgressReport]:
    """The project's monthly reports in month order, each with `.cumulative` (investment completed up to
    and including that month), computed by the database, never typed."""
    return list(
        project.progress_reports.select_related("reported_by")
        .annotate(cumulative=Window(Sum("investment_completed"), order_by=["month"]))
        .order_by("month")
    )


def progress_get(*, actor: Any, pk: Any) -> ProgressReport:
    return get_scoped_or_404(ProgressReport.objects.select_related("project__enterprise"), actor, pk=pk)


# ---------------------------------------------------------------------------------------------- other objects


def _common_filters(qs: QuerySet, f: dict[str, Any], name_field: str = "name") -> QuerySet:
    if f.get("q"):
        q = f["q"]
        qs = qs.filter(Q(**{f"{name_field}__icontains": q}) | Q(enterprise__name__icontains=q))
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("enterprise"):
        qs = qs.filter(enterprise_id=f["enterprise"])
    return qs


def product_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Product]:
    qs = Product.objects.restrict(actor).select_related("enterprise").prefetch_related("recognitions")
    return _common_filters(qs, filters or {}).order_by("enterprise__name", "name", "pk")


def product_get(*, actor: Any, pk: Any) -> Product:
    return get_scoped_or_404(Product.objects.select_related("enterprise__region"), actor, pk=pk)


def platform_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Platform]:
    qs = Platform.objects.restrict(actor).select_related("enterprise")
    return _common_filters(qs, filters or {}).order_by("enterprise__name", "kind", "name", "pk")


def platform_get(*, actor: Any, pk: Any) -> Platform:
    return get_scoped_or_404(Platform.objects.select_related("enterprise__region"), actor, pk=pk)


def title_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Title]:
    qs = Title.objects.restrict(actor).select_related("enterprise")
    return _common_filters(qs, filters or {}).order_by("-awarded_on", "pk")


def title_get(*, actor: Any, pk: Any) -> Title:
    return get_scoped_or_404(Title.objects.select_related("enterprise__region"), actor, pk=pk)


def scoped_get(*, actor: Any, model: type, pk: Any) -> Any:
    """Any registry row by id inside the actor's scope (child rows: recognitions, invoices, …)."""
    return get_scoped_or_404(model, actor, pk=pk)
