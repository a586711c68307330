"""Notification e-mail as a background task (django-tasks): the request that caused it does not wait for
the mail server, and a server that is down costs the request nothing."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def send_notification_mail(messages: list[dict[str, Any]]) -> int:
    """Send the messages (subject, body, from_email, to); returns how many were handed to the backend."""
    from .services import send_mail_now

    return send_mail_now(messages)
