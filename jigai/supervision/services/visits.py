"""万人助万企 service visits: a county or city records an enterprise's problem raised in a visit; the problem
is carried by a supervision ticket (kind service_visit) to the unit responsible, which replies; the
recording unit (or the province) closes it with the resolution; the enterprise rates the resolution 1-5."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import Conflict, InvalidInput, NotFound
from jigai.registry.models import Enterprise

from ..models import ServiceVisit, TicketKind, TicketStatus
from .tickets import _clean_open, _create


def visit_record(*, actor: Any, data: dict[str, Any]) -> ServiceVisit:
    """Record a visit's problem and open its ticket to the unit responsible (the recording unit or a unit
    below it)."""
    require(actor, "visit.record")
    errors: dict[str, list[str]] = {}
    enterprise = data.get("enterprise")
    if isinstance(enterprise, int | str):
        enterprise = Enterprise.objects.filter(pk=enterprise).first()
    if (
        enterprise is None
        or not Enterprise.objects.restrict(actor, "change").filter(pk=enterprise.pk).exists()
    ):
        errors["enterprise"] = ["请选择本辖区内的企业。"]
    visit_date = data.get("visit_date")
    if not isinstance(visit_date, dt.date):
        errors["visit_date"] = ["请填写走访日期。"]
    elif visit_date > timezone.localdate():
        errors["visit_date"] = ["走访日期不能晚于今天。"]
    visitor = (data.get("visitor") or "").strip()
    if not visitor:
        errors["visitor"] = ["请填写走访人。"]
    problem = (data.get("problem") or "").strip()
    if not problem:
        errors["problem"] = ["请填写企业反映的问题。"]
    unit_code = (data.get("region_code") or "").strip()
    own = actor.region
    deadline = data.get("deadline")
    if isinstance(deadline, dt.date) and isinstance(visit_date, dt.date) and deadline < visit_date:
        errors["deadline"] = ["办理时限不能早于走访日期。"]
    if errors:
        raise InvalidInput(errors)
    name = enterprise.name
    region, subject, detail = _clean_open(
        region_code=unit_code, subject=f"{name}反映的问题"[:200], detail=problem, deadline=deadline
    )
    if not (region.path == own.path or region.path.startswith(f"{own.path}/")):
        raise InvalidInput({"region_code": ["责任单位须是本单位或下级单位。"]})
    with transaction.atomic():
        ticket, _new = _create(
            key=f"visit:{uuid.uuid4().hex}",
            kind=TicketKind.SERVICE_VISIT,
            region=region,
            subject=subject,
            detail=detail,
            deadline=deadline,
            opened_by=actor,
            opened_region=own,
            indicator_code="",
            enterprise=enterprise,
        )
        visit = ServiceVisit.objects.create(
            ticket=ticket,
            enterprise=enterprise,
            visit_date=visit_date,
            visitor=visitor[:100],
            problem=problem,
            recorded_by=actor,
        )
        audit_record(actor=actor, action="visit.record", obj=visit, after=snapshot(visit))
    return visit


def visit_rate(*, actor: Any, visit: ServiceVisit, rating: Any, comment: str = "") -> ServiceVisit:
    """The enterprise rates the resolution of its own problem, once, after the ticket is closed."""
    require(actor, "visit.rate")
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise InvalidInput({"rating": ["评价为 1 至 5 分。"]})
    with transaction.atomic():
        locked = (
            ServiceVisit.objects.restrict(actor, "change")
            .select_for_update(of=("self",))
            .select_related("ticket")
            .filter(pk=visit.pk)
            .first()
        )
        if locked is None:
            raise NotFound("未找到该问题，或您无权评价。")
        if locked.ticket.status != TicketStatus.CLOSED:
            raise Conflict("问题办结后才能评价。", code="not_closed")
        if locked.rating is not None:
            raise Conflict("您已评价过该问题，请勿重复评价。", code="rated")
        before = snapshot(locked)
        locked.rating = value
        locked.rating_comment = (comment or "").strip()
        locked.rated_at = timezone.now()
        locked.save(update_fields=["rating", "rating_comment", "rated_at"])
        audit_record(actor=actor, action="visit.rate", obj=locked, before=before, after=snapshot(locked))
    return locked
