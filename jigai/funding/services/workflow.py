"""The review workflow as data: one table (state, role) → {action: next state}, one service that applies a
move (conventions: django-oscar's pipeline). County 初审 → city 推荐 → province formal check → expert review
→ province decision; at each step approve / return for correction (补正) / reject."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record
from jigai.core.workflow import Move, Workflow, apply_move

from .. import calc
from ..models import Action, Application, AppStatus, ExpertAssignment, Level, ReviewEvent
from ._common import (
    DomainError,
    application_url,
    enterprise_users,
    inform,
    record_event,
    reviewers_of,
    role_users,
    snapshot,
)

S, A, R, L = AppStatus, Action, Role, Level

# Actions applied by their own services (they need more than a comment); elsewhere they give this hint.
SPECIAL_HINT = {
    A.SUBMIT: "请使用“提交申报”。",
    A.DECIDE: "请在“资金分配”页面按预算作出决定。",
    A.NOTICE: "请在“公示管理”页面发布公示。",
    A.OBJECTION_UPHELD: "请在公示异议中处理。",
    A.FINALIZE: "请在公示期满后确定立项。",
}
SPECIAL_ACTIONS = frozenset(SPECIAL_HINT)
KIND = {A.APPROVE: "primary", A.RETURN: "warning", A.REJECT: "danger", A.WITHDRAW: "secondary"}


def _row(
    state: str, role: str, action: str, to: str, permission: str, step: str, verb: str = "", label: str = ""
) -> Move:
    return Move(
        state=state,
        role=role,
        action=action,
        to=to,
        permission=permission,
        label=label or Action(action).label,
        verb=verb or action,
        kind=KIND.get(action, "primary"),
        step=step,
        special=SPECIAL_HINT.get(action, ""),
    )


def _review(
    state: str, role: str, to: str, permission: str, step: str, verb: str = "approve", label: str = "通过"
) -> list[Move]:
    """Approve (to `to`, with the button's label), return for correction (补正) or reject at one level."""
    return [
        _row(state, role, A.APPROVE, to, permission, step, verb, label),
        _row(state, role, A.RETURN, S.RETURNED, permission, step),
        _row(state, role, A.REJECT, S.REJECTED, permission, step),
    ]


SUBMIT, ENT = "application.submit", L.ENTERPRISE
# The review workflow: (state, role, action) → next state, permission, label, audit verb, button, level.
APPLICATION_WORKFLOW = Workflow(
    noun="申报",
    field="status",
    state_label=lambda s: AppStatus(s).label,
    action_label=lambda a: Action(a).label,
    authorize=require,
    record=audit_record,
    moves=[
        _row(S.DRAFT, R.ENTERPRISE, A.SUBMIT, S.SUBMITTED, SUBMIT, ENT),
        _row(S.DRAFT, R.ENTERPRISE, A.WITHDRAW, S.WITHDRAWN, SUBMIT, ENT),
        _row(S.RETURNED, R.ENTERPRISE, A.SUBMIT, S.SUBMITTED, SUBMIT, ENT),
        _row(S.RETURNED, R.ENTERPRISE, A.WITHDRAW, S.WITHDRAWN, SUBMIT, ENT),
        _row(S.SUBMITTED, R.ENTERPRISE, A.WITHDRAW, S.WITHDRAWN, SUBMIT, ENT),
        *_review(S.SUBMITTED, R.COUNTY, S.COUNTY_APPROVED, "application.review_county", L.COUNTY),
        *_review(
            S.COUNTY_APPROVED,
            R.CITY,
            S.CITY_RECOMMENDED,
            "application.review_city",
            L.CITY,
            "recommend",
            "推荐",
        ),
        *_review(
            S.CITY_RECOMMENDED, R.PROVINCE, S.FORMAL_CHECKED, "application.review_province", L.PROVINCE_FORMAL
        ),
        *_review(
            S.FORMAL_CHECKED,
            R.PROVINCE,
            S.REVIEWED,
            "application.review_province",
            L.EXPERT,
            label="结束专家评审",
        ),
        _row(S.REVIEWED, R.PROVINCE, A.DECIDE, S.APPROVED, "application.decide", L.DECISION, "decide"),
        _row(S.REVIEWED, R.PROVINCE, A.RETURN, S.RETURNED, "application.decide", L.DECISION),
        _row(S.REVIEWED, R.PROVINCE, A.REJECT, S.REJECTED, "application.decide", L.DECISION),
        _row(S.APPROVED, R.PROVINCE, A.NOTICE, S.ON_NOTICE, "notice.publish", L.NOTICE),
        _row(S.ON_NOTICE, R.PROVINCE, A.OBJECTION_UPHELD, S.REVIEWED, "notice.publish", L.NOTICE, "resolve"),
        _row(S.ON_NOTICE, R.PROVINCE, A.FINALIZE, S.AWARDED, "notice.publish", L.NOTICE),
    ],
)
# Derived view, (state, role) → {action: next state}: for tests and documentation only.
WORKFLOW: dict[tuple[str, str], dict[str, str]] = APPLICATION_WORKFLOW.actions()
# At least this many experts must have scored before the expert review can close.
MIN_EXPERT_SCORES = 2


def allowed_moves(application: Application, actor: Any) -> list[Move]:
    """The generic moves the actor's role may make on the application now (buttons; the service re-checks)."""
    return APPLICATION_WORKFLOW.moves(application.status, getattr(actor, "role", None))


def allowed_actions(application: Application, actor: Any) -> dict[str, str]:
    """{action: next state} of `allowed_moves`."""
    return {m.action: m.to for m in allowed_moves(application, actor)}


def may_submit(application: Application, actor: Any) -> bool:
    return APPLICATION_WORKFLOW.get(application.status, getattr(actor, "role", None), A.SUBMIT) is not None


def _event_writer(actor: Any) -> Any:
    """The workflow's `write_event` hook: one ReviewEvent at the move's level."""

    def write(application: Application, m: Move, from_status: str, comment: str) -> ReviewEvent:
        return record_event(
            application=application,
            actor=actor,
            level=m.step,
            action=m.action,
            from_status=from_status,
            to_status=m.to,
            comment=comment,
        )

    return write


def move(*, application: Application, actor: Any, action: str, comment: str = "") -> ReviewEvent:
    """Apply one move from the table to an application the caller has locked; writes the event. For the
    services of the special actions (decide, notice, objection, finalize), which check the rest."""
    if action in (A.RETURN, A.REJECT):
        application.last_comment = comment
    _move, event = APPLICATION_WORKFLOW.step(
        application, actor=actor, action=action, comment=comment, write_event=_event_writer(actor)
    )
    return event


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

    Applied by the one workflow service (jigai.core.workflow.apply_move): locks the row, refuses an illegal
    or repeated move, writes the ReviewEvent, the audit record and the notifications. A return voids the
    approvals given so far."""
    if action not in Action.values:
        raise DomainError("未知的操作。", field="action")
    if action in SPECIAL_ACTIONS:
        raise DomainError(SPECIAL_HINT[action], field="action")
    comment = (comment or "").strip()
    if action in (A.RETURN, A.REJECT) and not comment:
        raise DomainError("退回补正或不予通过时须填写意见（说明理由）。", field="comment")

    def prepare(app: Any, m: Move) -> None:
        if m.action == A.APPROVE and m.to == S.CITY_RECOMMENDED:
            # The city ranks what it recommends.
            chosen = _next_city_rank(app) if rank is None else int(rank)
            _check_city_rank(app, chosen)
            app.city_rank = chosen
        if m.action == A.APPROVE and m.to == S.REVIEWED:
            _check_expert_review_done(app)
        if m.action == A.RETURN:
            void_for_correction(app)
        if m.action in (A.RETURN, A.REJECT):
            app.last_comment = comment

    return apply_move(
        workflow=APPLICATION_WORKFLOW,
        queryset=Application.objects.restrict(actor, "change").select_related(
            "enterprise__region", "guideline"
        ),
        pk=application.pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=_event_writer(actor),
        snapshot=lambda app: snapshot(app, ["status", "city_rank", "granted_amount"]),
        prepare=prepare,
        notify=lambda app, m: _notify_move(app, m.action, comment),
        not_found="未找到该申报，或您无权查看。",
    )


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
