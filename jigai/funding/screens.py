"""Screens of the funding round: one selector per screen, returning a plain object the page, the API and the
template only render (design.md "Architecture"). Every rule of what the actor sees and may do next is decided
here, once: the moves with their Chinese labels and button kinds, whether the enterprise may submit or delete,
whether the audit trail is shown, the expert's conflict-declaration gate, the public notice's masking, and
what the province may do with a guideline (edit, publish, extend, allocate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role
from jigai.audit.selectors import audit_history
from jigai.core.errors import AccessDenied, DomainError
from jigai.workdays.services import add_working_days

from . import calc, selectors
from .models import Application, AppStatus, FingerprintFlag, Guideline, GuidelineBudget, GuidelineStatus
from .services.drafts import draft_refusal
from .services.experts import review_stats
from .services.guidelines import publish_refusal
from .services.notices import mask_name, mask_phone, mask_uscc
from .services.payments import confirm_refusal
from .services.workflow import _check_expert_review_done as check_expert_review_done
from .services.workflow import allowed_moves, may_submit


class DeclarationRequired(AccessDenied):
    """An expert must declare no conflict of interest before reading the application. The page sends the
    expert to the declaration (`assignment_id`); the API answers 403 with this message."""

    default_code = "conflict_not_declared"

    def __init__(self, assignment_id: int | None) -> None:
        super().__init__(
            "专家须先在评审任务中声明与申报企业无利益冲突，才能查看申报内容；已声明回避的不能查看。",
            code="conflict_not_declared",
        )
        self.assignment_id = assignment_id


@dataclass(frozen=True)
class MoveButton:
    action: str
    label: str
    kind: str  # primary / warning / danger / secondary
    to: str
    reason: str = ""  # not yet possible: the button is shown disabled with this reason


@dataclass
class ApplicationScreen:
    app: Application
    item_label: str
    target_label: str
    result: dict[str, Any] | None
    moves: list[MoveButton]
    can_submit: bool
    submit_label: str
    can_delete: bool
    can_upload: bool
    wants_rank: bool  # the city ranks what it recommends
    comment_shown: bool  # the reviewer's comment of a return or a rejection
    history_visible: bool
    events: list[Any]
    history: list[Any]
    attachments: list[Any]
    stats: dict[str, Any] | None
    assignments: list[Any]
    can_assign_experts: bool
    stages: list[Any]
    paid: Decimal
    flags: list[Any] = field(default_factory=list)
    submit_blocked: str = ""  # submitting is not possible now (the guideline's window): the reason


def application_readable(*, actor: Any, pk: int) -> Application:
    """The application through the scope gate (404 for missing and forbidden alike), then the expert's
    conflict-declaration gate, decided here for the page and the API."""
    app = selectors.application_get(actor=actor, pk=pk)
    if not selectors.may_read_application(actor=actor, application=app):
        assignment = app.expert_assignments.filter(expert=actor, voided=False).first()
        raise DeclarationRequired(assignment.pk if assignment is not None else None)
    return app


def application_screen(*, actor: Any, pk: int, with_history: bool = True) -> ApplicationScreen:
    """The application page as one object: data, next moves with labels, what is shown. `with_history`:
    the whole audit trail is read (the API); the page reads none and loads it when the user opens it
    (application_history)."""
    app = application_readable(actor=actor, pk=pk)
    moves = [
        MoveButton(m.action, m.label, m.kind, m.to, _move_blocked(app, m)) for m in allowed_moves(app, actor)
    ]
    submit = may_submit(app, actor)
    reviewer_view = actor.role in (Role.PROVINCE, Role.LEADER)
    history_visible = sees_audit_trail(actor)
    awarded = app.status == AppStatus.AWARDED
    stages = list(app.payment_stages.prefetch_related("payments")) if awarded else []
    reviewer_flags = actor.role in FingerprintFlag.ROLES  # nobody else pays for the read (scope_q: NOTHING)
    return ApplicationScreen(
        app=app,
        item_label=calc.item_label(app.item),
        target_label=calc.TARGET_LABELS.get(app.target_kind, ""),
        result=(app.snapshot or {}).get("result"),
        moves=moves,
        can_submit=submit,
        submit_label="补正后重新提交" if app.status == AppStatus.RETURNED else "提交申报",
        # Only a draft may be deleted: the gate's query is asked of drafts only.
        can_delete=app.status == AppStatus.DRAFT and draft_refusal(actor=actor, application=app) is None,
        can_upload=submit,  # materials are added while the enterprise may still submit
        wants_rank=any(m.to == AppStatus.CITY_RECOMMENDED for m in moves),
        comment_shown=bool(app.last_comment) and app.status in (AppStatus.RETURNED, AppStatus.REJECTED),
        history_visible=history_visible,
        events=list(selectors.application_events(actor=actor, application=app)),
        history=list(audit_history(obj=app)) if history_visible and with_history else [],
        attachments=list(app.attachments.all()),
        stats=review_stats(app) if reviewer_view else None,
        assignments=list(app.expert_assignments.filter(voided=False).select_related("expert"))
        if reviewer_view
        else [],
        can_assign_experts=can(actor, "expert.assign") and app.status == AppStatus.FORMAL_CHECKED,
        stages=stages,
        # Money is paid on awarded applications only (services.payments): no query for the others.
        paid=selectors.paid_total(app) if stages else selectors.ZERO,
        flags=list(selectors.application_flags(actor=actor, application=app)) if reviewer_flags else [],
        submit_blocked=window_refusal(app.guideline) if submit else "",
    )


def application_history(*, actor: Any, pk: int) -> tuple[Application, Any]:
    """The application and its audit events, newest first, for whoever may read the application's page and
    its trail (the same gates as application_screen; experts see the application, not its trail: 404)."""
    app = application_readable(actor=actor, pk=pk)
    if not sees_audit_trail(actor):
        raise Http404("未找到该申报的审计记录，或您无权查看。")
    return app, audit_history(obj=app)


def sees_audit_trail(actor: Any) -> bool:
    """Experts see the application, not its audit trail; every other reader of the page sees both."""
    return actor.role != Role.EXPERT


def _day(value: Any) -> str:
    local = timezone.localtime(value)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def window_refusal(guideline: Guideline, now: Any = None) -> str:
    """Why an application cannot be submitted now under `guideline` ("" when it can): the same window the
    submit service checks (services.applications._check_window), said as the disabled button's reason."""
    now = now or timezone.now()
    if guideline.status != GuidelineStatus.PUBLISHED:
        return "申报指南未发布或已结束，暂不能提交。"
    if now < guideline.opens_at:
        return f"申报于 {_day(guideline.opens_at)} 开始，届时方可提交。"
    if now > guideline.closes_at:
        return f"申报已于 {_day(guideline.closes_at)} 截止，不能再提交。"
    return ""


def _move_blocked(app: Application, m: Any) -> str:
    """Why a move the role may make is not yet possible ("" when it is): closing the expert review needs
    every assigned expert's score and at least two (the rule the workflow service checks)."""
    if m.action == "approve" and m.to == AppStatus.REVIEWED:
        try:
            check_expert_review_done(app)
        except DomainError as exc:
            return exc.message
    return ""


@dataclass(frozen=True)
class NoticeRow:
    """One row of a public notice as the public sees it (page, API, PDF): the privacy rule applied."""

    tracking_no: str
    enterprise: str
    uscc: str
    region: str
    item: str
    item_label: str
    contact: str
    phone: str
    granted_amount: Decimal


def notice_row(entry: Any, *, masked: bool = True) -> NoticeRow:
    """One row of a notice. The one place of the masking rule: credit code, contact person and phone are
    partly hidden on everything the public sees (`masked=False` only for the province's own copies)."""
    app = entry.application
    ent = app.enterprise
    return NoticeRow(
        tracking_no=app.tracking_no,
        enterprise=ent.name,
        uscc=mask_uscc(ent.uscc) if masked else ent.uscc,
        region=ent.region.name,
        item=app.item,
        item_label=calc.item_label(app.item),
        contact=mask_name(app.contact_person) if masked else app.contact_person,
        phone=mask_phone(app.contact_phone) if masked else app.contact_phone,
        granted_amount=entry.granted_amount,
    )


def notice_rows(notice: Any, *, masked: bool = True) -> list[NoticeRow]:
    """The rows of a public notice (not those withdrawn) as the public page, the API and the PDF show them."""
    return [notice_row(entry, masked=masked) for entry in selectors.notice_public_entries(notice)]


@dataclass(frozen=True)
class PaymentRow:
    payment: Any
    may_confirm: bool  # confirm or void it: a finance user other than the one who entered it
    confirm_blocked: str = ""  # why the 复核确认 button is disabled (services.payments.confirm_refusal)


def may_confirm_payment(*, actor: Any, payment: Any) -> bool:
    """Maker-checker (the rule payment_confirm enforces): another finance user confirms an entered payment."""
    return can(actor, "payment.confirm") and confirm_refusal(actor=actor, payment=payment) is None


def payments_to_confirm(*, actor: Any) -> list[PaymentRow]:
    """The 待复核 list of the payment page, each row saying whether this actor may confirm it, and if not,
    why (the message payment_confirm would answer)."""
    rows = []
    for p in selectors.payments_to_confirm(actor=actor):
        refusal = confirm_refusal(actor=actor, payment=p)
        rows.append(
            PaymentRow(
                payment=p,
                may_confirm=can(actor, "payment.confirm") and refusal is None,
                confirm_blocked=refusal.message if refusal is not None else "",
            )
        )
    return rows


@dataclass(frozen=True)
class GuidelineScreen:
    """The guideline page as one object: the round, its budgets and execution, and what the actor may do
    with it now, each with its label (the template renders these, never `g.status`)."""

    g: Guideline
    status_label: str
    item_labels: list[str]
    leading_goose_labels: list[str]
    budgets: list[Any]
    summary: list[dict[str, Any]]
    history: list[Any]
    can_edit: bool
    edit_label: str
    can_publish: bool
    publish_label: str
    can_extend: bool
    extend_label: str
    can_allocate: bool
    allocate_label: str
    publish_blocked: str = ""  # a draft not yet publishable: why (services.guidelines.publish_refusal)


def guideline_screen(*, actor: Any, pk: int) -> GuidelineScreen:
    """The guideline through the scope gate (404 for missing and forbidden alike), with its moves: a draft
    is published once; a published round's window may be extended (a closed one no longer); once published
    the round goes to the allocation (资金分配) page; a published guideline keeps its items and parameters,
    so its edit only changes the description and budgets (services.guideline_update)."""
    g = selectors.guideline_get(actor=actor, pk=pk)
    manage = can(actor, "guideline.manage")
    labels = dict(calc.item_choices())
    draft = g.status == GuidelineStatus.DRAFT
    return GuidelineScreen(
        g=g,
        status_label=g.get_status_display(),
        item_labels=[labels.get(code, code) for code in g.items],
        leading_goose_labels=[labels.get(code, code) for code in g.leading_goose_items],
        budgets=list(GuidelineBudget.objects.restrict(actor).filter(guideline=g)),
        summary=selectors.budget_summary(actor=actor, guideline=g),
        history=list(audit_history(obj=g)),
        can_edit=manage,
        edit_label="修改" if draft else "修改说明和预算",
        can_publish=manage and draft,
        publish_label="发布指南",
        can_extend=manage and g.status == GuidelineStatus.PUBLISHED,
        extend_label="延长申报期",
        can_allocate=not draft and can(actor, "application.decide"),
        allocate_label="资金分配",
        publish_blocked=_publish_blocked(g) if manage and draft else "",
    )


def _publish_blocked(g: Guideline) -> str:
    refusal = publish_refusal(g)
    return refusal.message if refusal is not None else ""


# ---------------------------------------------------------------------------------------------- the queue

# The batch moves of the queue (services.batch): who may tick rows, and what its 通过 button says.
BATCH_APPROVE_LABELS = {Role.COUNTY: "通过（县级初审）", Role.CITY: "推荐（市级）"}
BATCH_STATUS = {Role.COUNTY: AppStatus.SUBMITTED, Role.CITY: AppStatus.COUNTY_APPROVED}


def queue_batch_label(*, actor: Any) -> str:
    """The batch 通过 label for a county (初审) or city (推荐) reviewer; "" when the actor has no batch."""
    role = getattr(actor, "role", None)
    perm = {Role.COUNTY: "application.review_county", Role.CITY: "application.review_city"}.get(role)
    return BATCH_APPROVE_LABELS[role] if perm and can(actor, perm) else ""


def queue_row_pickable(*, actor: Any, application: Application) -> bool:
    """A row gets a tick box when it waits for the actor's batch level (the service re-checks each)."""
    return BATCH_STATUS.get(getattr(actor, "role", None)) == application.status


# ---------------------------------------------------------------------------------------------- the expert

# The time an expert has to score an assignment: working days from the day it was given. The guideline holds
# no review deadline, so the one period lives here (the workbench's near deadlines can read it too).
EXPERT_REVIEW_WORKING_DAYS = 10


@dataclass(frozen=True)
class ExpertTask:
    assignment: Any
    tracking_no: str
    enterprise: str
    project: str  # the object applied for: project, product, platform or title name
    item_label: str  # the item's Chinese name (never the code)
    requested_amount: Decimal | None
    deadline: Any  # date: the last working day to score
    overdue: bool
    done: bool


def _object_name(app: Application) -> str:
    for attr in ("project", "product", "platform", "title"):
        obj = getattr(app, attr, None)
        if obj is not None:
            return str(getattr(obj, "name", obj))
    return "—"


def expert_tasks(*, actor: Any, today: Any = None) -> list[ExpertTask]:
    """The expert's 评审任务: enterprise, project, item, amount requested and the review deadline; the open
    ones first, each group sorted by deadline (the nearest first)."""
    today = today or timezone.localdate()
    rows = []
    assignments = selectors.expert_assignments(actor=actor).select_related(
        "application__project", "application__product", "application__platform", "application__title"
    )
    for a in assignments:
        app = a.application
        given = timezone.localtime(a.assigned_at).date() if a.assigned_at else today
        deadline = add_working_days(given + dt.timedelta(days=1), EXPERT_REVIEW_WORKING_DAYS)
        done = a.submitted_at is not None
        rows.append(
            ExpertTask(
                assignment=a,
                tracking_no=app.tracking_no,
                enterprise=app.enterprise.name,
                project=_object_name(app),
                item_label=calc.item_label(app.item),
                requested_amount=app.requested_amount,
                deadline=deadline,
                overdue=not done and deadline < today,
                done=done,
            )
        )
    rows.sort(key=lambda t: (t.done, t.deadline, t.tracking_no))
    return rows
