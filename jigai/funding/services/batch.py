"""批量初审 / 推荐 (issue 9): a county or city reviewer ticks several applications on the queue and acts once
with one comment. Nothing is decided here: each application goes through the one review service
(workflow.application_transition) on its own — its own lock, scope and permission checks, rules (a city
recommendation takes the next free rank of the city), ReviewEvent, audit record and notifications — in its
own transaction, so one refusal neither stops nor undoes the others. The caller gets one outcome per id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from jigai.accounts.permissions import can
from jigai.core.errors import AccessDenied, DomainError, InvalidInput

from ..models import Action, Application, AppStatus
from .workflow import application_transition

# The moves a batch may make: the reviewer's own level's approve / return / reject (never the special ones).
BATCH_MOVES = (Action.APPROVE, Action.RETURN, Action.REJECT)
# Permissions of the levels that review in batches: county 初审, city 推荐.
BATCH_PERMISSIONS = ("application.review_county", "application.review_city")
MAX_BATCH = 100  # the largest page of the queue


@dataclass(frozen=True)
class BatchOutcome:
    id: int
    ok: bool
    tracking_no: str  # "" when the id is not one the actor may reach
    status: str  # the application's status after the attempt (its label), "" when not reached
    message: str  # "已办理：…" or the refusal's Chinese reason


def batch_move(*, actor: Any, ids: list[int], move: str, comment: str = "") -> list[BatchOutcome]:
    """Apply `move` ("approve", "return" or "reject") with `comment` to each application of `ids` in turn,
    each through application_transition (checked, audited, notified one by one). Returns one outcome per
    distinct id, in the order given; refusals carry the service's reason."""
    if not any(can(actor, p) for p in BATCH_PERMISSIONS):
        raise AccessDenied("只有县级初审、市级推荐可以批量办理。")
    if move not in BATCH_MOVES:
        raise InvalidInput({"action": ["批量办理只能是通过（推荐）、退回补正或不予通过。"]})
    unique = list(dict.fromkeys(int(i) for i in ids))
    if not unique:
        raise InvalidInput({"ids": ["请先勾选要办理的申报。"]})
    if len(unique) > MAX_BATCH:
        raise InvalidInput({"ids": [f"一次最多批量办理 {MAX_BATCH} 件。"]})
    comment = (comment or "").strip()
    reachable = {
        a.pk: a
        for a in Application.objects.restrict(actor, "change").filter(pk__in=unique).only("pk", "tracking_no")
    }
    outcomes = []
    for pk in unique:
        app = reachable.get(pk)
        if app is None:
            outcomes.append(BatchOutcome(pk, False, "", "", "未找到该申报，或您无权办理。"))
            continue
        try:
            with transaction.atomic():  # this row only: a refusal rolls back its own changes, no others
                moved = application_transition(actor=actor, application=app, action=move, comment=comment)
        except DomainError as exc:
            app.refresh_from_db(fields=["status"])
            outcomes.append(BatchOutcome(pk, False, app.tracking_no, app.get_status_display(), exc.message))
            continue
        done = f"已办理，当前状态：{moved.get_status_display()}"
        if moved.city_rank and move == Action.APPROVE and moved.status == AppStatus.CITY_RECOMMENDED:
            done += f"（市级推荐第 {moved.city_rank} 位）"
        outcomes.append(BatchOutcome(pk, True, moved.tracking_no, moved.get_status_display(), done + "。"))
    return outcomes
