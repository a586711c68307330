"""The review workflow as data: one table (state, role) → {action: next state}, one service that applies a
move (conventions: django-oscar's pipeline). County 初审 → city 推荐 → province formal check → expert review
→ province decision; at each step approve / return for correction (补正) / reject."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role

from .. import calc
from ..models import Action, Application, AppStatus, ExpertAssignment, Level, ReviewEvent
from ._common import (
    Conflict,
    DomainError,
    NotFound,
    application_url,
    audit,
    enterprise_users,
    inform,
    lock_application,
    record_event,
    reviewers_of,
    role_users,
    snapshot,
)

S, A, R = AppStatus, Action, Role

# (state, role) → {action: next state}. Actions marked * are applied by their own services (they need more
# than a comment): submit (application_submit), decide (allocation_decide), notice (notice_publish),
# objection_upheld (objection_resolve), finalize (notice_finalize).
WORKFLOW: dict[tuple[str, str], dict[str, str]] = {
    (S.DRAFT, R.ENTERPRISE): {A.SUBMIT: S.SUBMITTED, A.WITHDRAW: S.WITHDRAWN},
    (S.RETURNED, R.ENTERPRISE): {A.SUBMIT: S.SUBMITTED, A.WITHDRAW: S.WITHDRAWN},
    (S.SUBMITTED, R.ENTERPRISE): {A.WITHDRAW: S.WITHDRAWN},
    (S.SUBMITTED, R.COUNTY): {A.APPROVE: S.COUNTY_APPROVED, A.RETURN: S.RETURNED, A.REJECT: S.REJECTED},
    (S.COUNTY_APPROVED, R.CITY): {A.APPROVE: S.CITY_RECOMMENDED, A.RETURN: S.RETURNED, A.REJECT: S.REJECTED},
    (S.CITY_RECOMMENDED, R.PROVINCE): {
        A.APPROVE: S.FORMAL_CHECKED,
        A.RETURN: S.RETURNED,
        A.REJECT: S.REJECTED,
    },
    (S.FORMAL_CHECKED, R.PROVINCE): {A.APPROVE: S.REVIEWED, A.RETURN: S.RETURNED, A.REJECT: S.REJECTED},
    (S.REVIEWED, R.PROVINCE): {A.DECIDE: S.APPROVED, A.RETURN: S.RETURNED, A.REJECT: S.REJECTED},
    (S.APPROVED, R.PROVINCE): {A.NOTICE: S.ON_NOTICE},
    (S.ON_NOTICE, R.PROVINCE): {A.OBJECTION_UPHELD: S.REVIEWED, A.FINALIZE: S.AWARDED},
}
# Actions the generic transition service refuses: they have their own service.
SPECIAL_ACTIONS = frozenset({A.SUBMIT, A.DECIDE, A.NOTICE, A.OBJECTION_UPHELD, A.FINALIZE})
SPECIAL_HINT = {
    A.SUBMIT: "请使用“提交申报”。",
    A.DECIDE: "请在“资金分配”页面按预算作出决定。",
    A.NOTICE: "请在“公示管理”页面发布公示。",
    A.OBJECTION_UPHELD: "请在公示异议中处理。",
    A.FINALIZE: "请在公示期满后确定立项。",
}
# The level of each state's step and the permission it needs.
LEVEL_OF_STATE: dict[str, tuple[str, str]] = {
    S.DRAFT: (Level.ENTERPRISE, "application.submit"),
    S.RETURNED: (Level.ENTERPRISE, "application.submit"),
    S.SUBMITTED: (Level.COUNTY, "application.review_county"),
    S.COUNTY_APPROVED: (Level.CITY, "application.review_city"),
    S.CITY_RECOMMENDED: (Level.PROVINCE_FORMAL, "application.review_province"),
    S.FORMAL_CHECKED: (Level.EXPERT, "application.review_province"),
    S.REVIEWED: (Level.DECISION, "application.decide"),
    S.APPROVED: (Level.NOTICE, "notice.publish"),
    S.ON_NOTICE: (Level.NOTICE, "notice.publish"),
}
# At least this many experts must have scored before the expert review can close.
MIN_EXPERT_SCORES = 2


def allowed_actions(application: Application, actor: Any) -> dict[str, str]:
    """The moves the actor's role may make on the application now (for buttons; the service re-checks)."""
    role = getattr(actor, "role", None)
    moves = WORKFLOW.get((application.status, role), {})
    return {a: to for a, to in moves.items() if a not in SPECIAL_ACTIONS}


def move(*, application: Application, actor: Any, action: str, comment: str = "") -> ReviewEvent:
    """Apply one move from the table to a locked application; writes the event. Callers check the rest."""
    role = actor.role
    moves = WORKFLOW.get((application.status, role), {})
    if action not in moves:
        raise Conflict(
            f"该申报当前为“{application.get_status_display()}”，您不能执行“{Action(action).label}”操作"
            "（可能已被处理，请刷新页面）。",
            code="illegal_transition",
        )
    level, _perm = LEVEL_OF_STATE.get(application.status, (Level.DECISION, ""))
    if role == R.ENTERPRISE:
        level = Level.ENTERPRISE
    from_status = application.status
    application.status = moves[action]
    if action in (A.RETURN, A.REJECT):
        application.last_comment = comment
    application.save()
    return record_event(
        application=application,
        actor=actor,
        level=level,
        action=action,
        from_status=from_status,
        to_status=application.status,
        comment=comment,
    )


def void_for_correction(application: Application) -> int:
    """补正: the approvals and expert reviews given so far no longer count; the resubmitted application
    goes through every level again."""
    n = ReviewEvent.objects.filter(application=application, action=A.APPROVE, voided=False).update(
        voided=True
    )
    ExpertAssignment.objects.filter(application=application, voided=False).update(voided=True)
    application.city_rank = None
    application.score_avg = None
    application.granted_amount = None
    application.decided_at = None
    return n


def _next_city_rank(application: Application) -> int:
    city_path = "/".join(application.enterprise.region.path.split("/")[:2])
    top = (
        Application.objects.filter(
            guideline=application.guideline,
            city_rank__isnull=False,
            enterprise__region__path__startswith=city_path,
        )
        .exclude(pk=application.pk)
        .aggregate(m=Max("city_rank"))["m"]
    )
    return (top or 0) + 1


def _check_city_rank(application: Application, rank: int) -> None:
    if rank < 1:
        raise DomainError("推荐排序须为正整数。", field="rank")
    city_path = "/".join(application.enterprise.region.path.split("/")[:2])
    clash = (
        Application.objects.filter(
            guideline=application.guideline, city_rank=rank, enterprise__region__path__startswith=city_path
        )
        .exclude(pk=application.pk)
        .first()
    )
    if clash is not None:
        raise DomainError(f"推荐排序 {rank} 已用于 {clash.tracking_no}，请换一个序号。", field="rank")


def _check_expert_review_done(application: Application) -> None:
    live = ExpertAssignment.objects.filter(application=application, voided=False).exclude(conflict="declared")
    pending = live.filter(submitted_at__isnull=True).count()
    done = live.filter(submitted_at__isnull=False).count()
    if pending:
        raise DomainError(f"还有 {pending} 位专家未提交评分，不能结束专家评审。", code="experts_pending")
    if done < MIN_EXPERT_SCORES:
        raise DomainError(
            f"至少需要 {MIN_EXPERT_SCORES} 位专家完成评分，目前 {done} 位。", code="experts_pending"
        )


def application_transition(
    *, actor: Any, application: Application, action: str, comment: str = "", rank: int | None = None
) -> Application:
    """Approve, return for correction (补正) or reject at the actor's level, or withdraw (enterprise).

    Locks the row; an illegal or repeated move is refused; writes the ReviewEvent, the audit record and
    the notifications. A return voids the approvals given so far."""
    if action not in Action.values:
        raise DomainError("未知的操作。", field="action")
    if action in SPECIAL_ACTIONS:
        raise DomainError(SPECIAL_HINT[action], field="action")
    comment = (comment or "").strip()
    if action in (A.RETURN, A.REJECT) and not comment:
        raise DomainError("退回补正或不予通过时须填写意见（说明理由）。", field="comment")
    with transaction.atomic():
        app = lock_application(application.pk)
        if not Application.objects.restrict(actor, "change").filter(pk=app.pk).exists():
            raise NotFound("未找到该申报，或您无权查看。")
        _level, perm = LEVEL_OF_STATE.get(app.status, (None, "application.decide"))
        if action == A.WITHDRAW:
            perm = "application.submit"
        if action not in WORKFLOW.get((app.status, actor.role), {}):
            raise Conflict(
                f"该申报当前为“{app.get_status_display()}”，您不能执行“{Action(action).label}”操作"
                "（可能已被处理，请刷新页面）。",
                code="illegal_transition",
            )
        require(actor, perm)
        before = snapshot(app, ["status", "city_rank", "granted_amount"])
        if action == A.APPROVE and app.status == S.COUNTY_APPROVED and actor.role == R.CITY:
            # The city ranks what it recommends.
            if rank is None:
                rank = _next_city_rank(app)
            _check_city_rank(app, int(rank))
            app.city_rank = int(rank)
        if action == A.APPROVE and app.status == S.FORMAL_CHECKED and actor.role == R.PROVINCE:
            _check_expert_review_done(app)
        if action == A.RETURN:
            void_for_correction(app)
        move(application=app, actor=actor, action=action, comment=comment)
        audit_action = {A.APPROVE: "recommend" if app.status == S.CITY_RECOMMENDED else "approve"}.get(
            action, action
        )
        audit(
            actor=actor,
            action=audit_action,
            obj=app,
            before=before,
            after=snapshot(app, ["status", "city_rank", "granted_amount"]),
            comment=comment,
        )
        _notify_move(app, action, comment)
    return app


def _notify_move(app: Application, action: str, comment: str) -> None:
    url = application_url(app)
    label = calc.item_label(app.item)
    if action == A.RETURN:
        inform(
            recipients=enterprise_users(app),
            kind="application_returned",
            title=f"申报被退回补正：{app.tracking_no}",
            body=f"意见：{comment}。请修改后重新提交。",
            url=url,
        )
    elif action == A.REJECT:
        inform(
            recipients=enterprise_users(app),
            kind="application_rejected",
            title=f"申报未通过：{app.tracking_no}",
            body=f"理由：{comment}",
            url=url,
        )
    elif action == A.APPROVE and app.status == S.COUNTY_APPROVED:
        inform(
            recipients=reviewers_of(app, R.CITY),
            kind="application_county_approved",
            title=f"申报待市级推荐：{app.tracking_no}",
            body=f"{app.enterprise.name}“{label}”已通过县级初审。",
            url=url,
        )
    elif action == A.APPROVE and app.status == S.CITY_RECOMMENDED:
        inform(
            recipients=role_users(R.PROVINCE),
            kind="application_recommended",
            title=f"市级推荐：{app.tracking_no}",
            body=f"{app.enterprise.name}“{label}”，市级推荐第 {app.city_rank} 位。",
            url=url,
        )
        inform(
            recipients=enterprise_users(app),
            kind="application_recommended",
            title=f"申报已获市级推荐：{app.tracking_no}",
            body="等待省级形式审查。",
            url=url,
        )
