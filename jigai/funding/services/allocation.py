"""Decision and allocation per item group against the guideline's budget (design.md flow 5: when the
requests exceed the budget the province allocates by score or pro rata). The granted amount never exceeds
the frozen ceiling (service + DB constraint) and the totals never exceed the budget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.core.money import wan_yuan

from .. import calc
from ..models import (
    DECIDED_STATUSES,
    Action,
    Allocation,
    AllocationLine,
    AllocationMethod,
    AllocationStatus,
    Application,
    AppStatus,
    Guideline,
    GuidelineBudget,
    ItemGroup,
)
from ._common import (
    Conflict,
    DomainError,
    application_url,
    audit,
    enterprise_users,
    inform,
    lock_application,
)
from .programme import annual_cap_limit, lock_enterprise, open_flags
from .workflow import move

ZERO = Decimal("0")
YUAN = Decimal("1")
NOT_FUNDED_COMMENT = "预算有限，本轮未获资金安排。"


def whole_yuan(amount: Decimal) -> Decimal:
    return amount.quantize(YUAN, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Candidate:
    key: Any
    base: Decimal  # what may be granted at most: min(requested, ceiling)
    score: Decimal | None = None
    order: tuple = ()  # tie-breaker after the score (city rank, submission time, id)


def allocate(candidates: list[Candidate], budget: Decimal, method: str) -> dict[Any, Decimal]:
    """Granted amount per candidate key, whole yuan, each ≤ its base, the sum ≤ budget.

    score: best score first, each gets its whole base while the budget lasts; the first that no longer
    fits gets what is left, the rest nothing ("until the budget runs out").
    pro_rata: every base scaled by budget / total when the total exceeds the budget, truncated to yuan."""
    budget = whole_yuan(max(budget, ZERO))
    bases = {c.key: whole_yuan(max(c.base, ZERO)) for c in candidates}
    if method == AllocationMethod.SCORE:
        ordered = sorted(
            candidates,
            key=lambda c: (-(c.score if c.score is not None else Decimal("-1")), c.order, str(c.key)),
        )
        left = budget
        granted: dict[Any, Decimal] = {}
        for c in ordered:
            give = min(bases[c.key], left)
            granted[c.key] = give
            left -= give
        return granted
    if method == AllocationMethod.PRO_RATA:
        total = sum(bases.values(), ZERO)
        if total <= budget:
            return dict(bases)
        return {k: whole_yuan(b * budget / total) for k, b in bases.items()}
    raise DomainError("未知的分配方式。", field="method")


def available_budget(guideline: Guideline, item_group: str) -> tuple[Decimal, Decimal, Decimal]:
    """(budget, already decided, available) for one item group of a guideline."""
    row = GuidelineBudget.objects.filter(guideline=guideline, item_group=item_group).first()
    if row is None:
        raise DomainError(f"本指南未设置“{ItemGroup(item_group).label}”的预算。", field="item_group")
    decided = (
        Application.objects.filter(
            guideline=guideline, item_group=item_group, status__in=DECIDED_STATUSES
        ).aggregate(s=Sum("granted_amount"))["s"]
        or ZERO
    )
    return row.amount, decided, max(row.amount - decided, ZERO)


def allocation_propose(*, actor: Any, guideline: Guideline, item_group: str, method: str) -> Allocation:
    """Propose the allocation of one item group among the applications awaiting decision."""
    require(actor, "application.decide")
    if method not in AllocationMethod.values:
        raise DomainError("请选择分配方式。", field="method")
    with transaction.atomic():
        Guideline.objects.select_for_update().get(pk=guideline.pk)  # one allocation of a guideline at a time
        _budget, _decided, available = available_budget(guideline, item_group)
        waiting = list(
            Application.objects.filter(
                guideline=guideline, item_group=item_group, status=AppStatus.REVIEWED
            ).order_by("pk")
        )
        # A flagged application (the same invoice or policy claimed elsewhere) waits until a reviewer
        # clears the flag; it takes no part in the allocation.
        apps = [a for a in waiting if not open_flags(a)]
        if waiting and not apps:
            raise DomainError(
                "该类别待决策的申报均存在未核查的重复申报疑点，请先核查排除后再拟定分配。", field="item_group"
            )
        if not apps:
            raise DomainError("该类别没有待决策的申报（须已完成专家评审）。", field="item_group")
        candidates = []
        taken: dict[tuple[int, int], Decimal] = {}  # (enterprise, year) → earlier lines under the annual cap
        for a in apps:
            base = min(a.requested_amount or a.ceiling, a.ceiling)
            # 三（二）1, 2: the 500万 a year holds over the enterprise's awards already decided this year.
            key = (a.enterprise_id, a.year)
            limit = annual_cap_limit(application=a, extra_used=taken.get(key, ZERO))
            if limit is not None:
                base = min(base, limit)
                taken[key] = taken.get(key, ZERO) + base
            candidates.append(
                Candidate(
                    key=a.pk,
                    base=base,
                    score=a.score_avg,
                    order=(a.city_rank or 9999, a.submitted_at.isoformat() if a.submitted_at else "", a.pk),
                )
            )
        granted = allocate(candidates, available, method)
        Allocation.objects.filter(
            guideline=guideline, item_group=item_group, status=AllocationStatus.PROPOSED
        ).update(status=AllocationStatus.SUPERSEDED)
        allocation = Allocation.objects.create(
            guideline=guideline,
            item_group=item_group,
            method=method,
            budget=available,
            total_requested=sum((whole_yuan(c.base) for c in candidates), ZERO),
            total_granted=sum(granted.values(), ZERO),
            made_by=actor,
        )
        ranked = sorted(candidates, key=lambda c: (-(c.score or Decimal("-1")), c.order))
        AllocationLine.objects.bulk_create(
            AllocationLine(
                allocation=allocation,
                application_id=c.key,
                rank=i,
                score=c.score,
                base=whole_yuan(c.base),
                granted=granted[c.key],
            )
            for i, c in enumerate(ranked, start=1)
        )
        audit(
            actor=actor,
            action="create",
            obj=allocation,
            after={"method": method, "budget": available, "total_granted": allocation.total_granted},
            comment=f"拟定资金分配：{ItemGroup(item_group).label}",
        )
    return allocation


def decide_refusal(
    allocation: Allocation, *, lines: list[Any] | None = None, apps: dict[int, Application] | None = None
) -> DomainError | None:
    """Why `allocation` cannot be decided now (None when it can): it is still a proposal, the budget has
    not changed since, and each application is still waiting for the decision, within its ceiling and
    without an open duplicate-claim flag. allocation_decide raises it (on the rows it has locked, `apps`);
    the decision page shows 按此方案决策 disabled with the same message. (The annual cap of 三（二） is
    re-checked by the service line by line, counting the lines decided before.)"""
    if allocation.status != AllocationStatus.PROPOSED:
        return Conflict("该分配方案已决策或已作废，不能重复决策。")
    _budget, _decided, available = available_budget(allocation.guideline, allocation.item_group)
    if allocation.total_granted > available:
        return Conflict("预算已变化（有申报已获安排），请重新拟定分配方案。")
    if lines is None:
        lines = list(allocation.lines.select_related("application").order_by("rank"))
    for line in lines:
        app = apps[line.application_id] if apps is not None else line.application
        if app.status != AppStatus.REVIEWED:
            return Conflict(f"{app.tracking_no} 已不在待决策状态，请重新拟定分配方案。")
        if line.granted > app.ceiling:  # the DB constraint would refuse it too
            return DomainError(f"{app.tracking_no} 的安排金额超过测算上限。")
        if line.granted > 0:
            flags = open_flags(app)
            if flags:
                return Conflict(
                    f"{app.tracking_no} 存在未核查的重复申报疑点（{flags[0].label}），"
                    "须由审核人员核查排除后才能安排资金。"
                )
    return None


def allocation_decide(*, actor: Any, allocation: Allocation, comment: str = "") -> Allocation:
    """Make a proposed allocation the decision: granted > 0 → 拟支持 (approved), 0 → not funded."""
    require(actor, "application.decide")
    with transaction.atomic():
        Guideline.objects.select_for_update().get(pk=allocation.guideline_id)
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        now = timezone.now()
        lines = list(locked.lines.select_related("application").order_by("rank"))
        # Lock every enterprise of the allocation, in one order (no deadlock with a parallel decision),
        # before its annual cap is re-checked against the awards decided meanwhile.
        for enterprise_id in sorted({line.application.enterprise_id for line in lines}):
            lock_enterprise(enterprise_id)
        apps = {line.application_id: lock_application(line.application_id) for line in lines}
        refusal = decide_refusal(locked, lines=lines, apps=apps)
        if refusal is not None:
            raise refusal
        for line in lines:
            app = apps[line.application_id]
            if line.granted > 0:
                limit = annual_cap_limit(application=app)
                if limit is not None and line.granted > limit:
                    raise Conflict(
                        f"{app.tracking_no}：该企业本年度已获同类奖励，单个企业年度奖励上限（政策三（二））"
                        f"剩余 {wan_yuan(limit)}，少于拟安排的 {wan_yuan(line.granted)}，请重新拟定分配方案。"
                    )
            if line.granted > 0:
                app.granted_amount = line.granted
                app.decided_at = now
                move(
                    application=app,
                    actor=actor,
                    action=Action.DECIDE,
                    comment=comment or f"安排资金 {wan_yuan(line.granted)}（{locked.get_method_display()}）",
                )
                audit(actor=actor, action="decide", obj=app, after={"granted_amount": line.granted})
                inform(
                    recipients=enterprise_users(app),
                    kind="application_decided",
                    title=f"拟支持：{app.tracking_no}",
                    body=f"“{calc.item_label(app.item)}”拟安排资金 {wan_yuan(line.granted)}，将进行公示。",
                    url=application_url(app),
                )
            else:
                app.last_comment = NOT_FUNDED_COMMENT
                app.save(update_fields=["last_comment", "updated_at"])
                move(application=app, actor=actor, action=Action.REJECT, comment=NOT_FUNDED_COMMENT)
                audit(
                    actor=actor,
                    action="decide",
                    obj=app,
                    after={"granted_amount": "0"},
                    comment=NOT_FUNDED_COMMENT,
                )
                inform(
                    recipients=enterprise_users(app),
                    kind="application_decided",
                    title=f"未获资金安排：{app.tracking_no}",
                    body=NOT_FUNDED_COMMENT,
                    url=application_url(app),
                )
        locked.status = AllocationStatus.DECIDED
        locked.decided_by = actor
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit(actor=actor, action="decide", obj=locked, after={"total_granted": locked.total_granted})
    return locked
