"""Every workflow of the system as data: one table type and one service that applies a move.

A workflow is a table of `Move`s, each `(state, role, action) → next state, permission, label, audit verb`
(plus the button kind and, for the funding review, the step the move belongs to). The illegal-move check
exists only here (`Workflow.check`); `apply_move` is the one service: it locks the row, checks the table,
then the permission, lets the caller's `prepare` hook apply the move's own rules, moves, writes the event
row and the audit record in the same transaction. Notifications written by `notify` are in-app rows of the
same transaction (a rolled-back move tells nobody); their e-mails go out only after commit
(jigai.notifications).

Used by the project library (jigai.registry.services.projects) and the funding review
(jigai.funding.services.workflow); whitelists, monthly data and targets take the same shape.
Like all of jigai.core it imports no app: the app that defines a table hands it its permission check
(`authorize`, jigai.accounts.permissions.require) and its audit writer (`record`, jigai.audit.services).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet

from jigai.core.errors import AccessDenied, Conflict, NotFound

ROLE_DENIED = "您的角色无权执行此操作。"


@dataclass(frozen=True)
class Move:
    """One row of a workflow table."""

    state: str
    role: str
    action: str
    to: str
    permission: str
    label: str
    verb: str  # the audit trail's verb (jigai.audit ACTION_LABELS)
    kind: str = "primary"  # button kind: primary / warning / danger
    step: str = ""  # the level or step the move belongs to (written on the event row)
    special: str = ""  # non-empty: applied by its own service; this is the hint shown elsewhere


class Workflow:
    """A table of moves over one state field of one model."""

    def __init__(
        self,
        *,
        noun: str,
        field: str,
        moves: Iterable[Move],
        state_label: Callable[[str], str],
        authorize: Callable[[Any, str], Any],
        record: Callable[..., Any],
        action_label: Callable[[str], str] | None = None,
    ) -> None:
        self.noun = noun
        self.authorize = authorize  # (actor, permission) → raises AccessDenied when the role lacks it
        self.record = record  # the audit writer: (actor=, action=, obj=, before=, after=, comment=)
        self.field = field
        self.state_label = state_label
        self.table: dict[tuple[str, str, str], Move] = {}
        for m in moves:
            key = (m.state, m.role, m.action)
            if key in self.table:
                raise ValueError(f"duplicate move {key}")
            self.table[key] = m
        labels = {m.action: m.label for m in reversed(list(self.table.values()))}
        self.action_label = action_label or (lambda action: labels.get(action, action))

    # --------------------------------------------------------------------------------------- reading
    def get(self, state: str, role: str | None, action: str) -> Move | None:
        return self.table.get((state, role or "", action))

    def moves(self, state: str, role: str | None, *, special: bool = False) -> list[Move]:
        """The moves `role` may make from `state`, in table order (special ones only when asked)."""
        return [
            m
            for (s, r, _a), m in self.table.items()
            if s == state and r == role and (special or not m.special)
        ]

    def by_role_action(self, role: str | None, action: str) -> list[Move]:
        return [m for m in self.table.values() if m.role == role and m.action == action]

    def action_to(self, role: str | None, to: str) -> str | None:
        """The action by which `role` moves an object to `to` (None when the role never does)."""
        return next((m.action for m in self.table.values() if m.role == role and m.to == to), None)

    def action_to_or_deny(self, role: str | None, to: str) -> str:
        """`action_to`, or AccessDenied when the role never moves an object to `to`."""
        action = self.action_to(role, to)
        if action is None:
            raise AccessDenied(ROLE_DENIED, code="permission_denied")
        return action

    def targets(self) -> dict[tuple[str, str], frozenset[str]]:
        """(state, role) → the states that role may move to (derived view of the table)."""
        out: dict[tuple[str, str], set[str]] = {}
        for m in self.table.values():
            out.setdefault((m.state, m.role), set()).add(m.to)
        return {k: frozenset(v) for k, v in out.items()}

    def actions(self) -> dict[tuple[str, str], dict[str, str]]:
        """(state, role) → {action: next state} (derived view of the table)."""
        out: dict[tuple[str, str], dict[str, str]] = {}
        for m in self.table.values():
            out.setdefault((m.state, m.role), {})[m.action] = m.to
        return out

    # --------------------------------------------------------------------------------------- checking
    def check(self, *, state: str, role: str | None, action: str) -> Move:
        """The move, or a Chinese Conflict: repeated (already in the state the move leads to) or illegal."""
        move = self.get(state, role, action)
        if move is not None:
            return move
        if any(m.to == state for m in self.by_role_action(role, action)):
            raise Conflict(
                f"该{self.noun}已是“{self.state_label(state)}”状态，请勿重复操作（可能已被处理，请刷新页面）。",
                code="repeated_transition",
            )
        raise Conflict(
            f"该{self.noun}当前为“{self.state_label(state)}”，您不能执行“{self.action_label(action)}”操作"
            "（可能已被处理，请刷新页面）。",
            code="illegal_transition",
        )

    def step(
        self,
        obj: Model,
        *,
        actor: Any,
        action: str,
        comment: str = "",
        write_event: Callable[[Model, Move, str, str], Any],
    ) -> tuple[Move, Any]:
        """Apply one move to a row the caller has locked in its transaction: check the table, set the
        state, save, write the event row. For services that lock and check more themselves."""
        current = getattr(obj, self.field)
        move = self.check(state=current, role=getattr(actor, "role", None), action=action)
        setattr(obj, self.field, move.to)
        obj.save()
        return move, write_event(obj, move, current, comment)


def apply_move(
    *,
    workflow: Workflow,
    queryset: QuerySet,
    pk: Any,
    actor: Any,
    action: str,
    comment: str = "",
    write_event: Callable[[Model, Move, str, str], Any],
    snapshot: Callable[[Model], dict[str, Any]],
    prepare: Callable[[Model, Move], None] | None = None,
    notify: Callable[[Model, Move], None] | None = None,
    not_found: str = "未找到该对象，或您无权操作。",
) -> Model:
    """The one service that applies a workflow move.

    `queryset` is already scoped by the gate (`Model.objects.restrict(actor, "change")`): a row outside it
    answers the same NotFound as a missing one. `prepare` applies the move's own rules and side changes
    (raising a DomainError refuses the move and changes nothing); `notify` writes the in-app messages."""
    role = getattr(actor, "role", None)
    with transaction.atomic():
        obj = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
        if obj is None:
            raise NotFound(not_found)
        move = workflow.check(state=getattr(obj, workflow.field), role=role, action=action)
        workflow.authorize(actor, move.permission)
        before = snapshot(obj)
        if prepare is not None:
            prepare(obj, move)
        workflow.step(obj, actor=actor, action=action, comment=comment, write_event=write_event)
        workflow.record(
            actor=actor,
            action=move.verb,
            obj=obj,
            before=before,
            after=snapshot(obj),
            comment=comment,
        )
        if notify is not None:
            notify(obj, move)
    return obj
