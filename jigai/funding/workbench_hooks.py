"""What the funding round puts on the workbench beside its tiles (issue 9): the near deadlines of each
role — the closing dates of published guidelines, the end of the notice periods — and, for the province
and the leader, this year's headline figures (budget, requested, granted, paid). Registered when the
funding URLs load (funding.urls imports this module): the workbench itself imports no app above accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.roles import Role
from jigai.accounts.workbench import Deadline, register_deadlines, register_headlines

from .models import (
    DECIDED_STATUSES,
    NOT_COUNTED_STATUSES,
    Application,
    Guideline,
    GuidelineBudget,
    GuidelineStatus,
    Payment,
    PaymentStatus,
    PublicNotice,
)

ZERO = Decimal("0")


def _day_bounds(today: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def guideline_deadlines(actor: Any, today: dt.date, until: dt.date) -> Iterable[Deadline]:
    """申报截止: the published guidelines closing in the window — the enterprise applies by then, the
    county and the city see what will reach them, the province manages the guideline."""
    if actor.role not in (Role.ENTERPRISE, Role.COUNTY, Role.CITY, Role.PROVINCE):
        return []
    start, end = _day_bounds(today, until)
    guidelines = Guideline.objects.restrict(actor, "view").filter(
        status=GuidelineStatus.PUBLISHED, closes_at__gte=start, closes_at__lt=end
    )
    out = []
    for g in guidelines.order_by("closes_at"):
        if actor.role == Role.ENTERPRISE:
            url = reverse("funding:apply")
        elif actor.role == Role.PROVINCE:
            url = reverse("funding:guideline_detail", args=[g.pk])
        else:
            url = reverse("funding:queue")
        out.append(Deadline(f"{g.title}", timezone.localdate(g.closes_at), url, "申报截止"))
    return out


def notice_deadlines(actor: Any, today: dt.date, until: dt.date) -> Iterable[Deadline]:
    """公示截止: notice periods ending in the window — the province then finalizes (确定立项), the leader
    follows, an enterprise on the list sees when its award becomes final."""
    notices = PublicNotice.objects.filter(
        published=True, finalized_at__isnull=True, ends_on__gte=today, ends_on__lte=until
    )
    if actor.role == Role.PROVINCE:
        return [
            Deadline(n.title, n.ends_on, reverse("funding:notice_detail", args=[n.pk]), "公示截止")
            for n in notices.order_by("ends_on")
        ]
    if actor.role == Role.LEADER:
        return [
            Deadline(n.title, n.ends_on, reverse("funding:public_notice", args=[n.pk]), "公示截止")
            for n in notices.order_by("ends_on")
        ]
    if actor.role == Role.ENTERPRISE and actor.enterprise_id:
        mine = notices.filter(
            entries__application__enterprise_id=actor.enterprise_id, entries__withdrawn=False
        ).distinct()
        return [
            Deadline(n.title, n.ends_on, reverse("funding:public_notice", args=[n.pk]), "公示截止")
            for n in mine.order_by("ends_on")
        ]
    return []


def headline_figures(actor: Any) -> list[tuple[str, Decimal]]:
    """This year's figures in yuan (the page writes them in 万元): the budget of the year's guidelines,
    what was requested (submitted applications), what was granted (decided awards) and what was paid
    (confirmed payments dated this year)."""
    year = timezone.localdate().year
    budget = (
        GuidelineBudget.objects.restrict(actor, "view")
        .filter(guideline__year=year)
        .exclude(guideline__status=GuidelineStatus.DRAFT)
        .aggregate(s=Sum("amount"))["s"]
    )
    sums = (
        Application.objects.restrict(actor, "view")
        .filter(year=year)
        .aggregate(
            requested=Sum("requested_amount", filter=~Q(status__in=NOT_COUNTED_STATUSES)),
            granted=Sum("granted_amount", filter=Q(status__in=DECIDED_STATUSES)),
        )
    )
    paid = (
        Payment.objects.restrict(actor, "view")
        .filter(status=PaymentStatus.CONFIRMED, paid_on__year=year)
        .aggregate(s=Sum("amount"))["s"]
    )
    return [
        (f"{year}年度预算", budget or ZERO),
        ("已申请", sums["requested"] or ZERO),
        ("已安排", sums["granted"] or ZERO),
        ("本年已拨付", paid or ZERO),
    ]


register_deadlines("funding.guidelines", guideline_deadlines)
register_deadlines("funding.notices", notice_deadlines)
register_headlines("funding", (Role.PROVINCE, Role.LEADER), headline_figures)
