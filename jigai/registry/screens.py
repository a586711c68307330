"""Screens of the project library: one selector per screen returning a plain object that the page, the API
and the template only render (design.md "Architecture"). What the actor may do next — the workflow moves
with their labels, editing, reporting progress, the construction status — is decided here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jigai.accounts.permissions import can
from jigai.audit.selectors import audit_history

from . import selectors
from .facts import items_for
from .models import LibraryStatus, Project
from .services.projects import (
    allowed_moves,
    edit_refusal,
    progress_refusal,
    project_cumulative,
    submit_refusal,
)


@dataclass(frozen=True)
class ProjectMove:
    action: str  # the API's name of the move
    to: str  # the state it leads to (what the page posts)
    label: str
    kind: str  # primary / warning
    comment_label: str  # "" = the move takes no comment
    reason: str = ""  # not yet possible: the button is shown disabled with this reason (the service's)


@dataclass
class ProjectScreen:
    project: Project
    moves: list[ProjectMove]
    moves_title: str
    comment_shown: bool  # the reviewer's comment of a return for correction
    flow: list[Any]
    progress: list[Any]
    cumulative: Decimal
    missing: bool
    can_edit: bool
    can_report: bool
    can_set_construction: bool
    items: list[Any]
    history: list[Any]
    edit_blocked: str = ""  # the owner may not edit now: why (services.projects.edit_refusal)
    report_blocked: str = ""  # no progress report yet: why (services.projects.progress_refusal)


def _comment_label(action: str) -> str:
    if action == "submit":
        return ""
    return "退回意见（必填）" if action == "return" else "审核意见"


def project_screen(*, actor: Any, pk: Any) -> ProjectScreen:
    """The project page as one object (through the scope gate: 404 for missing and forbidden alike)."""
    project = selectors.project_get(actor=actor, pk=pk)
    moves = [
        ProjectMove(m.action, m.to, m.label, m.kind, _comment_label(m.action), _move_blocked(project, m))
        for m in allowed_moves(actor=actor, project=project)
    ]
    in_library = project.library_status == LibraryStatus.IN_LIBRARY
    reporter = can(actor, "progress.report")  # the enterprise; the gate already limits it to its own
    owner = can(actor, "project.submit")
    edit_refusal_ = edit_refusal(project) if owner else None
    report_refusal = progress_refusal(project) if reporter else None
    return ProjectScreen(
        project=project,
        moves=moves,
        moves_title="提交审核" if any(m.action == "submit" for m in moves) else "审核",
        comment_shown=bool(project.library_comment) and project.library_status == LibraryStatus.RETURNED,
        flow=list(project.events.select_related("actor").order_by("created_at", "pk")),
        progress=selectors.progress_with_cumulative(project=project),
        cumulative=project_cumulative(project),
        missing=selectors.is_missing_statistics(project),
        can_edit=can(actor, "project.submit") and project.is_editable,
        can_report=reporter and in_library,
        can_set_construction=reporter and in_library,
        items=items_for(project),
        history=list(audit_history(obj=project)),
        edit_blocked=edit_refusal_.message if edit_refusal_ is not None else "",
        report_blocked=report_refusal.message if report_refusal is not None else "",
    )


def _move_blocked(project: Project, move: Any) -> str:
    """Why a move the role may make is not yet possible ("" when it is): submitting needs the enterprise
    confirmed by the county (the rule project_transition checks)."""
    if move.action == "submit":
        refusal = submit_refusal(project)
        return refusal.message if refusal is not None else ""
    return ""
