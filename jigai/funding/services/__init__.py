"""Services of the funding app (state changes). One module per stage of the flow; import from here."""

from .allocation import allocate, allocation_decide, allocation_propose, available_budget
from .applications import (
    application_create_draft,
    application_preview,
    application_submit,
    application_update_draft,
    attachment_add,
    enterprise_targets,
    resolve_target,
)
from .drafts import application_delete_draft, draft_refusal
from .experts import RUBRIC, expert_assign, expert_declare, expert_score, review_stats
from .guidelines import (
    guideline_close,
    guideline_create,
    guideline_extend_window,
    guideline_publish,
    guideline_update,
)
from .notices import (
    add_working_days,
    mask_name,
    mask_phone,
    mask_uscc,
    notice_finalize,
    notice_publish,
    objection_assign,
    objection_record,
    objection_resolve,
)
from .notices import (
    finalize_refusal as notice_finalize_refusal,
)
from .payments import payment_cancel, payment_confirm, payment_enter, payment_schedule
from .workflow import WORKFLOW, allowed_actions, application_transition

__all__ = [
    "RUBRIC",
    "WORKFLOW",
    "add_working_days",
    "allocate",
    "allocation_decide",
    "allocation_propose",
    "allowed_actions",
    "application_create_draft",
    "application_delete_draft",
    "application_preview",
    "application_submit",
    "application_transition",
    "application_update_draft",
    "attachment_add",
    "available_budget",
    "draft_refusal",
    "enterprise_targets",
    "expert_assign",
    "expert_declare",
    "expert_score",
    "guideline_close",
    "guideline_create",
    "guideline_extend_window",
    "guideline_publish",
    "guideline_update",
    "mask_name",
    "mask_phone",
    "mask_uscc",
    "notice_finalize",
    "notice_finalize_refusal",
    "notice_publish",
    "objection_assign",
    "objection_record",
    "objection_resolve",
    "payment_cancel",
    "payment_confirm",
    "payment_enter",
    "payment_schedule",
    "resolve_target",
    "review_stats",
]
