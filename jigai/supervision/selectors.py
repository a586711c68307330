"""Reading supervision data, always through the scope gate (Model.objects.restrict / get_scoped_or_404)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jigai.accounts.permissions import can
from jigai.accounts.scope import get_scoped_or_404
from jigai.core.workflow import Move

from .models import (
    GreenData,
    GreenRanking,
    GreenRankingEntry,
    Practice,
    PracticeStatus,
    RankingStatus,
    ServiceVisit,
    Ticket,
    TicketKind,
    TicketReply,
    TicketStatus,
)
from .services.practices import PRACTICE_WORKFLOW
from .services.ranking import RANKING_WORKFLOW
from .services.tickets import allowed_moves

LIVE = (TicketStatus.OPEN, TicketStatus.REPLIED)


def ticket_list(
    *, actor: Any, filters: Mapping[str, Any] | None = None, visits: bool = False
) -> QuerySet[Ticket]:
    """Tickets in the actor's scope: supervision tickets, or (visits=True) the service-visit problems.
    Filters: status, overdue ("1"), region (code, the unit or below it), q (subject, detail, enterprise)."""
    filters = filters or {}
    qs = Ticket.objects.restrict(actor, "view").select_related("region", "enterprise")
    qs = qs.filter(kind=TicketKind.SERVICE_VISIT) if visits else qs.exclude(kind=TicketKind.SERVICE_VISIT)
    status = filters.get("status") or ""
    if status in TicketStatus.values:
        qs = qs.filter(status=status)
    elif status == "live":
        qs = qs.filter(status__in=LIVE)
    if filters.get("overdue") in ("1", 1, True):
        qs = qs.filter(status__in=LIVE, deadline__lt=timezone.localdate())
    region = (filters.get("region") or "").strip()
    if region:
        qs = qs.filter(Q(region_id=region) | Q(region__parent_id=region))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(detail__icontains=q) | Q(enterprise__name__icontains=q))
    if visits:
        qs = qs.select_related("visit")
    return qs.order_by("-opened_at", "-pk")


def live_count(*, actor: Any, overdue: bool = False, visits: bool = False) -> int:
    """The workbench tiles: live tickets the actor's unit handles (county/city: addressed to their own
    region; province: all), or those of them past the deadline."""
    qs = Ticket.objects.restrict(actor, "view").filter(status__in=LIVE)
    qs = qs.filter(kind=TicketKind.SERVICE_VISIT) if visits else qs.exclude(kind=TicketKind.SERVICE_VISIT)
    if getattr(actor, "role", None) in ("county", "city"):
        qs = qs.filter(region_id=actor.region_id)
    if overdue:
        qs = qs.filter(deadline__lt=timezone.localdate())
    return qs.count()


@dataclass(frozen=True)
class TicketScreen:
    ticket: Ticket
    replies: list[Any]
    events: list[Any]
    moves: list[Move]
    may_reply: bool
    visit: ServiceVisit | None
    may_rate: bool
    reason_moves: list[Move] = field(default_factory=list)


def ticket_detail(*, actor: Any, pk: Any) -> TicketScreen:
    ticket = get_scoped_or_404(
        Ticket.objects.select_related("region", "enterprise", "opened_by", "closed_by", "opened_region"),
        actor,
        "view",
        pk=pk,
    )
    moves = allowed_moves(actor=actor, ticket=ticket)
    visit = ServiceVisit.objects.filter(ticket=ticket).first()
    may_rate = (
        visit is not None
        and can(actor, "visit.rate")
        and ticket.status == TicketStatus.CLOSED
        and visit.rating is None
    )
    return TicketScreen(
        ticket=ticket,
        replies=list(ticket.replies.select_related("author")),
        events=list(ticket.events.select_related("actor")),
        moves=moves,
        may_reply=any(m.action == "reply" for m in moves),
        visit=visit,
        may_rate=may_rate,
        reason_moves=[m for m in moves if m.action != "reply"],
    )


def reply_for_download(*, actor: Any, pk: Any) -> TicketReply:
    """A reply whose attachment the actor may download (the ticket in scope; else 404)."""
    return get_scoped_or_404(TicketReply.objects.select_related("ticket"), actor, "view", pk=pk)


# ------------------------------------------------------------------------------------------- ranking
def ranking_list(*, actor: Any) -> QuerySet[GreenRanking]:
    return GreenRanking.objects.restrict(actor, "view").select_related("rule")


@dataclass(frozen=True)
class RankingScreen:
    ranking: GreenRanking
    divisions: list[tuple[str, str, list[GreenRankingEntry]]]
    moves: list[Move]


def _division_groups(entries: list[GreenRankingEntry]) -> list[tuple[str, str, list[GreenRankingEntry]]]:
    from jigai.registry.industry import divisions

    names = divisions()
    groups: dict[str, list[GreenRankingEntry]] = {}
    for e in entries:
        groups.setdefault(e.industry_division, []).append(e)
    out = []
    for code in sorted(groups):
        label = names.get(code)
        out.append((code, label[1] if isinstance(label, tuple) else str(label or code), groups[code]))
    return out


def ranking_detail(*, actor: Any, pk: Any, division: str = "") -> RankingScreen:
    ranking = get_scoped_or_404(
        GreenRanking.objects.select_related("rule", "approved_by"), actor, "view", pk=pk
    )
    entries = ranking.entries.all()
    if division:
        entries = entries.filter(industry_division=division)
    role = getattr(actor, "role", None)
    moves = RANKING_WORKFLOW.moves(ranking.status, role) if can(actor, "ranking.manage") else []
    return RankingScreen(ranking=ranking, divisions=_division_groups(list(entries)), moves=moves)


def public_rankings() -> QuerySet[GreenRanking]:
    """What the public site shows: approved (published) lists only."""
    return GreenRanking.objects.filter(status=RankingStatus.PUBLISHED).select_related("rule")


def public_ranking(*, pk: Any, division: str = "") -> RankingScreen:
    from django.http import Http404

    ranking = public_rankings().filter(pk=pk).first() if str(pk).isdigit() else None
    if ranking is None:
        raise Http404("未找到该排行榜。")
    entries = ranking.entries.all()
    if division:
        entries = entries.filter(industry_division=division)
    return RankingScreen(ranking=ranking, divisions=_division_groups(list(entries)), moves=[])


def green_data_list(*, actor: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[GreenData]:
    filters = filters or {}
    qs = GreenData.objects.restrict(actor, "view").select_related("enterprise", "enterprise__region")
    year = str(filters.get("year") or "").strip()
    if year.isdigit():
        qs = qs.filter(year=int(year))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return qs.order_by("-year", "enterprise__name", "pk")


# ------------------------------------------------------------------------------------------- practices
def practice_list(*, actor: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Practice]:
    filters = filters or {}
    qs = Practice.objects.restrict(actor, "view").select_related("region")
    status = filters.get("status") or ""
    if status in PracticeStatus.values:
        qs = qs.filter(status=status)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return qs.order_by("-submitted_at", "-pk")


@dataclass(frozen=True)
class PracticeScreen:
    practice: Practice
    moves: list[Move]


def practice_detail(*, actor: Any, pk: Any) -> PracticeScreen:
    practice = get_scoped_or_404(
        Practice.objects.select_related("region", "submitted_by"), actor, "view", pk=pk
    )
    role = getattr(actor, "role", None)
    moves = [m for m in PRACTICE_WORKFLOW.moves(practice.status, role) if can(actor, m.permission)]
    return PracticeScreen(practice=practice, moves=moves)


def public_practices() -> QuerySet[Practice]:
    return (
        Practice.objects.filter(status=PracticeStatus.PUBLISHED)
        .select_related("region")
        .order_by("-published_at", "-pk")
    )
