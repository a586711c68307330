"""Reads of the funding app, always through the scope gate (Model.objects.restrict / get_scoped_or_404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jigai.accounts.roles import Role
from jigai.accounts.scope import get_scoped_or_404

from .models import (
    DECIDED_STATUSES,
    Allocation,
    AllocationStatus,
    Application,
    AppStatus,
    Conflict,
    ExpertAssignment,
    Guideline,
    GuidelineBudget,
    GuidelineStatus,
    ItemGroup,
    NoticeEntry,
    Objection,
    Payment,
    PaymentStage,
    PaymentStatus,
    PublicNotice,
    ReviewEvent,
)

# What waits for each role (the work queue's default filter).
QUEUE_STATUSES: dict[str, tuple[str, ...]] = {
    Role.ENTERPRISE: (AppStatus.DRAFT, AppStatus.RETURNED),
    Role.COUNTY: (AppStatus.SUBMITTED,),
    Role.CITY: (AppStatus.COUNTY_APPROVED,),
    Role.PROVINCE: (
        AppStatus.CITY_RECOMMENDED,
        AppStatus.FORMAL_CHECKED,
        AppStatus.REVIEWED,
        AppStatus.APPROVED,
    ),
    Role.FINANCE: (AppStatus.AWARDED,),
}
SORTS = {
    "submitted": "submitted_at",
    "-submitted": "-submitted_at",
    "ceiling": "ceiling",
    "-ceiling": "-ceiling",
    "score": "score_avg",
    "-score": "-score_avg",
    "rank": "city_rank",
    "-rank": "-city_rank",
    "requested": "requested_amount",
    "-requested": "-requested_amount",
    "granted": "granted_amount",
    "-granted": "-granted_amount",
    "tracking": "tracking_no",
    "-tracking": "-tracking_no",
    "enterprise": "enterprise__name",
    "-enterprise": "-enterprise__name",
    "region": "enterprise__region__path",
    "-region": "-enterprise__region__path",
    "status": "status",
    "-status": "-status",
    "item": "item",
    "-item": "-item",
}
# The money columns of the queue, summed over the whole filtered set (registry.paging.paginate totals).
QUEUE_MONEY = {"ceiling": "ceiling", "requested": "requested_amount", "granted": "granted_amount"}
ZERO = Decimal("0")


# ---------------------------------------------------------------------------------------------- guidelines


def guideline_list(*, actor: Any) -> QuerySet[Guideline]:
    return Guideline.objects.restrict(actor, "view").prefetch_related("budgets")


def guideline_public_list() -> QuerySet[Guideline]:
    """Published guidelines for everyone, signed in or not (design.md flow 3)."""
    return Guideline.objects.exclude(status=GuidelineStatus.DRAFT).prefetch_related("budgets")


def guideline_get(*, actor: Any, pk: int, action: str = "view") -> Guideline:
    return get_scoped_or_404(Guideline, actor, action, pk=pk)


def guidelines_open_now(*, now: Any) -> QuerySet[Guideline]:
    return Guideline.objects.filter(status=GuidelineStatus.PUBLISHED, opens_at__lte=now, closes_at__gte=now)


# ---------------------------------------------------------------------------------------------- applications


def application_list(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[Application]:
    """The actor's applications with the queue's filters: status (or "todo"), guideline, item group, item,
    region (code), q (tracking number, enterprise name or credit code), sort."""
    filters = filters or {}
    qs = Application.objects.restrict(actor, "view").select_related("enterprise__region", "guideline")
    status = filters.get("status") or ""
    if status == "todo":
        qs = qs.filter(status__in=QUEUE_STATUSES.get(actor.role, ()))
    elif status in AppStatus.values:
        qs = qs.filter(status=status)
    if str(filters.get("guideline") or "").isdigit():
        qs = qs.filter(guideline_id=int(filters["guideline"]))
    if filters.get("item_group") in ItemGroup.values:
        qs = qs.filter(item_group=filters["item_group"])
    if filters.get("item"):
        qs = qs.filter(item=filters["item"])
    region = str(filters.get("region") or "").strip()
    if region.isdigit():
        qs = qs.filter(
            Q(enterprise__region__path__endswith=region) | Q(enterprise__region__path__contains=f"{region}/")
        )
    text = str(filters.get("q") or "").strip()
    if text:
        qs = qs.filter(
            Q(tracking_no__icontains=text)
            | Q(enterprise__name__icontains=text)
            | Q(enterprise__uscc__iexact=text)
        )
    sort = SORTS.get(filters.get("sort") or "", "-submitted_at")
    return qs.order_by(sort, "-pk")


def application_get(*, actor: Any, pk: int, action: str = "view") -> Application:
    """The application with its enterprise, region and guideline. Its object (project, product, platform or
    title: only one is set) is read when asked for, in a query of its own: PostgreSQL planned the eight-table
    join of all four for 3-4 ms on every read, the costliest query of the application page (bench_rush)."""
    return get_scoped_or_404(
        Application.objects.select_related("enterprise__region", "guideline"),
        actor,
        action,
        pk=pk,
    )


def application_events(*, actor: Any, application: Application) -> QuerySet[ReviewEvent]:
    return ReviewEvent.objects.restrict(actor, "view").filter(application=application).select_related("actor")


def application_counts(*, actor: Any) -> dict[str, int]:
    rows = Application.objects.restrict(actor, "view").values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


# ---------------------------------------------------------------------------------------------- experts


def expert_assignments(*, actor: Any) -> QuerySet[ExpertAssignment]:
    return (
        ExpertAssignment.objects.restrict(actor, "view")
        .select_related("application__enterprise", "application__guideline", "expert")
        .order_by("submitted_at", "-assigned_at")
    )


def expert_assignment_get(*, actor: Any, pk: int) -> ExpertAssignment:
    return get_scoped_or_404(
        ExpertAssignment.objects.select_related("application__enterprise__region", "application__guideline"),
        actor,
        "view",
        pk=pk,
    )


def may_read_application(*, actor: Any, application: Application) -> bool:
    """An expert reads the application only after declaring no conflict of interest."""
    if actor.role != Role.EXPERT:
        return True
    return ExpertAssignment.objects.filter(
        application=application, expert=actor, voided=False, conflict=Conflict.NONE
    ).exists()


def experts_available(*, actor: Any) -> QuerySet[Any]:
    """The active experts `actor` may give a review to, read through the scope gate ("assign": the
    province's officers; anyone else gets none)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.restrict(actor, "assign")
        .filter(role=Role.EXPERT, is_active=True)
        .order_by("username")
    )


# ---------------------------------------------------------------------------------------------- decision


def budget_summary(*, actor: Any, guideline: Guideline) -> list[dict[str, Any]]:
    """Per item group: budget, decided (拟支持 and after), proposed (latest proposal), awaiting decision,
    with percentages for the budget bars."""
    rows = []
    budgets = {
        b.item_group: b.amount for b in GuidelineBudget.objects.restrict(actor).filter(guideline=guideline)
    }
    apps = Application.objects.restrict(actor, "view").filter(guideline=guideline)
    for group in ItemGroup:
        budget = budgets.get(group.value)
        in_group = apps.filter(item_group=group.value)
        decided = in_group.filter(status__in=DECIDED_STATUSES).aggregate(s=Sum("granted_amount"))["s"] or ZERO
        waiting = in_group.filter(status=AppStatus.REVIEWED)
        proposal = (
            Allocation.objects.restrict(actor)
            .filter(guideline=guideline, item_group=group.value, status=AllocationStatus.PROPOSED)
            .first()
        )
        if budget is None and not in_group.exists():
            continue
        rows.append(
            {
                "group": group,
                "budget": budget,
                "decided": decided,
                "decided_pct": _pct(decided, budget),
                "proposal": proposal,
                "proposed_pct": _pct(proposal.total_granted, budget) if proposal else 0,
                "waiting": waiting.count(),
                "waiting_requested": waiting.aggregate(s=Sum("requested_amount"))["s"] or ZERO,
                "left": (budget - decided) if budget is not None else None,
            }
        )
    return rows


def _pct(part: Decimal, whole: Decimal | None) -> int:
    return min(int(part * 100 / whole), 100) if whole else 0


def allocation_get(*, actor: Any, pk: int) -> Allocation:
    return get_scoped_or_404(Allocation, actor, "view", pk=pk)


# ---------------------------------------------------------------------------------------------- notices


def notice_public_list() -> QuerySet[PublicNotice]:
    return (
        PublicNotice.objects.filter(published=True).select_related("guideline").order_by("-starts_on", "-pk")
    )


def notice_public_entries(notice: PublicNotice) -> QuerySet[NoticeEntry]:
    return (
        NoticeEntry.objects.filter(notice=notice, withdrawn=False)
        .select_related("application__enterprise__region")
        .order_by("application__item", "application__tracking_no")
    )


def notice_list(*, actor: Any) -> QuerySet[PublicNotice]:
    return (
        PublicNotice.objects.restrict(actor, "view")
        .select_related("guideline")
        .annotate(open_objections=Count("objections", filter=Q(objections__status="open")))
    )


def notice_get(*, actor: Any, pk: int) -> PublicNotice:
    return get_scoped_or_404(PublicNotice, actor, "view", pk=pk)


def objection_list(*, actor: Any, notice: PublicNotice) -> QuerySet[Objection]:
    return (
        Objection.objects.restrict(actor, "view")
        .filter(notice=notice)
        .select_related("application__enterprise", "assigned_to", "resolved_by")
    )


def objection_get(*, actor: Any, pk: int) -> Objection:
    return get_scoped_or_404(Objection, actor, "view", pk=pk)


# ---------------------------------------------------------------------------------------------- payments


def payment_stages(*, actor: Any, filters: dict[str, Any] | None = None) -> QuerySet[PaymentStage]:
    filters = filters or {}
    qs = (
        PaymentStage.objects.restrict(actor, "view")
        .select_related("application__enterprise", "application__guideline")
        .prefetch_related("payments")
        .order_by("application__tracking_no", "sequence")
    )
    if filters.get("state") == "unpaid":
        qs = qs.exclude(payments__status=PaymentStatus.CONFIRMED)
    elif filters.get("state") == "paid":
        qs = qs.filter(payments__status=PaymentStatus.CONFIRMED)
    text = str(filters.get("q") or "").strip()
    if text:
        qs = qs.filter(
            Q(application__tracking_no__icontains=text) | Q(application__enterprise__name__icontains=text)
        )
    return qs


def payments_to_confirm(*, actor: Any) -> QuerySet[Payment]:
    return (
        Payment.objects.restrict(actor, "view")
        .filter(status=PaymentStatus.ENTERED)
        .select_related("stage__application__enterprise", "entered_by")
    )


def stage_get(*, actor: Any, pk: int) -> PaymentStage:
    return get_scoped_or_404(PaymentStage.objects.select_related("application"), actor, "view", pk=pk)


def payment_get(*, actor: Any, pk: int) -> Payment:
    return get_scoped_or_404(Payment.objects.select_related("stage__application"), actor, "view", pk=pk)


def paid_total(application: Application) -> Decimal:
    return (
        Payment.objects.filter(stage__application=application, status=PaymentStatus.CONFIRMED).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )


def application_flags(*, actor: Any, application: Application) -> list[Any]:
    """The duplicate-claim flags of an application (the same invoice or policy in another application),
    for the reviewers who reach it; nobody else sees them."""
    from .models import FingerprintFlag

    return list(
        FingerprintFlag.objects.restrict(actor, "view")
        .filter(application=application)
        .select_related("other_application", "cleared_by")
        .order_by("pk")
    )
