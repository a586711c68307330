"""Session clocks for 等保三级 session rules: idle timeout (SESSION_COOKIE_AGE, 30 minutes) and an absolute
limit since sign-in (12 hours). `now()` is the one time source, so tests can move time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

LOGIN_AT = "jigai_login_at"
LAST_SEEN = "jigai_last_seen"
ABSOLUTE_LIMIT = timedelta(hours=12)


def now() -> datetime:
    return timezone.now()


def idle_limit() -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


def absolute_limit() -> timedelta:
    return timedelta(
        seconds=getattr(settings, "JIGAI_SESSION_ABSOLUTE_SECONDS", ABSOLUTE_LIMIT.total_seconds())
    )


def start_session_clock(session: Any) -> None:
    stamp = now().timestamp()
    session[LOGIN_AT] = stamp
    session[LAST_SEEN] = stamp


def session_expiry_reason(session: Any) -> str:
    """ "" while the session may go on, else the Chinese reason it ended; refreshes the idle clock."""
    current = now().timestamp()
    login_at = session.get(LOGIN_AT)
    last_seen = session.get(LAST_SEEN)
    if login_at is None:  # a session started before these rules: start its clocks now
        start_session_clock(session)
        return ""
    if current - login_at >= absolute_limit().total_seconds():
        return "登录已超过12小时，请重新登录"
    if last_seen is not None and current - last_seen >= idle_limit().total_seconds():
        return "超过30分钟未操作，请重新登录"
    session[LAST_SEEN] = current
    return ""
