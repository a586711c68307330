"""Sending notifications: an in-app message per recipient and, after the transaction commits, an e-mail
through Django's mail backend to those who have an address — sent by a background task
(jigai.notifications.tasks.send_notification_mail), enqueued on commit.

Notifications are messages about state changes, not state of the business themselves: writing one, or
marking one read, leaves no audit record (the change that caused it has its own).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from jigai.core.errors import InvalidInput, NotFound

from .models import Notification

logger = logging.getLogger(__name__)


def _check_url(url: str) -> str:
    url = (url or "").strip()
    # Only paths of this site: a message must never carry the user off to another site or a script.
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValueError(f"notification url must be a local path, got {url!r}")
    return url


def send_mail_now(messages: list[dict[str, Any]]) -> int:
    """Send mail described as dicts (subject, body, from_email, to) — the task's body. A mail server that
    is down is logged, never raised: the change that caused the mail has committed."""
    emails = [
        EmailMessage(subject=m["subject"], body=m["body"], from_email=m["from_email"], to=list(m["to"]))
        for m in messages
    ]
    try:
        with get_connection() as connection:
            return connection.send_messages(emails) or 0
    except Exception:
        logger.exception("sending %d notification e-mail(s) failed", len(emails))
        return 0


def _enqueue_mail(messages: list[dict[str, Any]]) -> None:
    from .tasks import send_notification_mail

    try:
        send_notification_mail.enqueue(messages)
    except Exception:  # the queue being unreachable must not break the request that already committed
        logger.exception("queueing %d notification e-mail(s) failed", len(messages))


def _email_body(body: str, url: str) -> str:
    lines = [body] if body else []
    if url:
        base = getattr(settings, "JIGAI_SITE_URL", "").rstrip("/")
        lines.append(f"详情请登录技改通查看：{base}{url}")
    lines.append("（本邮件由技改通系统自动发送，请勿直接回复。）")
    return "\n\n".join(lines)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """One in-app message to every active recipient (duplicates once), and an e-mail to those with an
    address, sent only when the surrounding transaction commits (a rolled-back change mails nobody)."""
    if not kind or not title or not title.strip():
        raise InvalidInput({"title": ["消息标题不能为空。"]})
    url = _check_url(url)
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []
    now = timezone.now()
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=u, kind=kind, title=title.strip()[:200], body=body, url=url, created_at=now
                )
                for u in users
            ]
        )
        if email:
            messages = [
                {
                    "subject": f"【技改通】{title}",
                    "body": _email_body(body, url),
                    "from_email": settings.DEFAULT_FROM_EMAIL,
                    "to": [u.email],  # one message each: recipients never see each other's address
                }
                for u in users
                if u.email
            ]
            if messages:
                transaction.on_commit(lambda: _enqueue_mail(messages))
    return created


@transaction.atomic
def notification_mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (again: a no-op). Another user's id is "not found"."""
    n = Notification.objects.restrict(actor, "change").select_for_update().filter(pk=notification_id).first()
    if n is None:
        raise NotFound("未找到该消息。")
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n


@transaction.atomic
def notification_mark_all_read(*, actor: Any) -> int:
    """Mark all the actor's unread notifications read; returns how many."""
    return (
        Notification.objects.restrict(actor, "change")
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
