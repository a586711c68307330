"""Session clocks for 等保三级 session rules: idle timeout (SESSION_COOKIE_AGE, 30 minutes) and an absolute
limit since sign-in (12 hours). `now()` is the one time source, so tests can move time.

The idle clock (LAST_SEEN) is written at most once a minute (JIGAI_SESSION_TOUCH_SECONDS, 60 s), not on every
request, and the session is saved only when something in it changed (SESSION_SAVE_EVERY_REQUEST = False):
an active user's session is written about once a minute instead of on every request (the deadline rush,
bench/bench_rush.py). What that costs the limits, to the minute:
- idle: a session ends 30 minutes after its last stamp, so between 29 and 30 minutes after the last request
  (never later than 30 — the 等保 limit — and at most one touch interval earlier);
- absolute: unchanged, checked on every request against LOGIN_AT (written once, at sign-in);
- the cookie and the database row: Django's SessionMiddleware saves a modified session and then sets the
  cookie with max-age SESSION_COOKIE_AGE (and the row's expire_date the same), so both are renewed with every
  stamp and expire no earlier than the idle limit above, while an active user renews them every minute."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

LOGIN_AT = "jigai_login_at"
LAST_SEEN = "jigai_last_seen"
ABSOLUTE_LIMIT = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)


def now() -> datetime:
    return timezone.now()


def idle_limit() -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


def absolute_limit() -> timedelta:
    return timedelta(
        seconds=getattr(settings, "JIGAI_SESSION_ABSOLUTE_SECONDS", ABSOLUTE_LIMIT.total_seconds())
    )


def touch_interval() -> timedelta:
    """How stale the idle stamp may get before a request writes it again (setting JIGAI_SESSION_TOUCH_SECONDS,
    60 s; never more than a tenth of the idle limit)."""
    seconds = getattr(settings, "JIGAI_SESSION_TOUCH_SECONDS", TOUCH_EVERY.total_seconds())
    return min(timedelta(seconds=seconds), idle_limit() / 10)


def start_session_clock(session: Any) -> None:
    stamp = now().timestamp()
    session[LOGIN_AT] = stamp
    session[LAST_SEEN] = stamp


def session_expiry_reason(session: Any) -> str:
    """ "" while the session may go on, else the Chinese reason it ended. Refreshes the idle clock when its
    stamp is older than `touch_interval()` (the only write, so most requests leave the session unsaved)."""
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
    if last_seen is None or current - last_seen >= touch_interval().total_seconds():
        session[LAST_SEEN] = current
    return ""
