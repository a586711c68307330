"""Helpers shared by the funding services: audit, notifications, recipients, locking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from jigai.accounts.roles import Role
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import Conflict, DomainError, NotFound

from ..models import Application, ReviewEvent

__all__ = [
    "Conflict",
    "DomainError",
    "NotFound",
    "audit",
    "enterprise_users",
    "inform",
    "lock_application",
    "record_event",
    "reviewers_of",
    "role_users",
    "snapshot",
]


def audit(
    *,
    actor: Any,
    action: str,
    obj: Any,
    before: dict | None = None,
    after: dict | None = None,
    comment: str = "",
) -> None:
    audit_record(actor=actor, action=action, obj=obj, before=before, after=after, comment=comment)


def inform(*, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> None:
    """In-app messages written in the same transaction as the change (a rolled-back change tells nobody;
    the notifications app sends its e-mails only on commit)."""
    from jigai.notifications.services import notify

    notify(
        recipients=[u for u in recipients if u is not None],
        kind=f"funding.{kind}",
        title=title,
        body=body,
        url=url,
    )


def role_users(role: str) -> list[Any]:
    return list(get_user_model().objects.filter(role=role, is_active=True))


def enterprise_users(application: Application) -> list[Any]:
    return list(
        get_user_model().objects.filter(
            role=Role.ENTERPRISE, enterprise_id=application.enterprise_id, is_active=True
        )
    )


def reviewers_of(application: Application, role: str) -> list[Any]:
    """County or city reviewers whose region contains the enterprise's region."""
    path = application.enterprise.region.path
    prefixes = ["/".join(path.split("/")[: i + 1]) for i in range(len(path.split("/")))]
    return list(
        get_user_model().objects.filter(role=role, is_active=True).filter(Q(region__path__in=prefixes))
    )


def application_url(application: Application) -> str:
    return reverse("funding:application_detail", args=[application.pk])


def lock_application(
    pk: int,
    *,
    actor: Any = None,
    action: str = "change",
    related: tuple[str, ...] = ("enterprise__region", "guideline"),
) -> Application:
    """The application row locked for this transaction (PostgreSQL: FOR UPDATE; SQLite: the IMMEDIATE
    transaction already holds the write lock). With `actor`, read through the scope gate
    (`restrict(actor, action)`): outside it answers the same NotFound as a missing id. `related`: the rows
    read with it (a draft save needs no guideline: its JSON columns were half of that read)."""
    rows = Application.objects.all() if actor is None else Application.objects.restrict(actor, action)
    found = rows.select_for_update(of=("self",)).select_related(*related).filter(pk=pk)
    app = found.first()
    if app is None:
        raise NotFound("未找到该申报，或您无权查看。")
    return app


def record_event(
    *,
    application: Application,
    actor: Any,
    level: str,
    action: str,
    from_status: str,
    to_status: str,
    comment: str = "",
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        application=application,
        actor=actor,
        level=level,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
