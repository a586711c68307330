"""Reads of accounts, always through the scope gate."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from .models import LoginRecord, User
from .roles import SECOND_FACTOR_ROLES


def user_list(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    """Users the actor may see. filters: role, region (a Region: that region and below), active
    ("1"/"0"), q (username, name or phone contains)."""
    filters = filters or {}
    qs = User.objects.restrict(actor, "view").select_related("region", "enterprise")
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    region = filters.get("region")
    if region is not None:
        qs = qs.filter(Q(region__path=region.path) | Q(region__path__startswith=f"{region.path}/"))
    if filters.get("active") in ("1", "0"):
        qs = qs.filter(is_active=filters["active"] == "1")
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone__icontains=q))
    return qs.order_by("username")


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def login_record_list(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[LoginRecord]:
    """Login records the actor may see (administrators: all; others: their own). filters: username
    (contains), kind, success ("1"/"0"), date_from, date_to (dates, inclusive, Asia/Shanghai)."""
    filters = filters or {}
    qs = LoginRecord.objects.restrict(actor, "view").select_related("user")
    if filters.get("username"):
        qs = qs.filter(username__icontains=filters["username"].strip())
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("success") in ("1", "0"):
        qs = qs.filter(success=filters["success"] == "1")
    if filters.get("date_from"):
        qs = qs.filter(created_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(created_at__lt=_day_start(filters["date_to"]) + timezone.timedelta(days=1))
    return qs.order_by("-created_at", "-id")


def recent_logins(*, actor: User, limit: int = 5) -> list[LoginRecord]:
    """The actor's own latest sign-in events, for the workbench (上次登录 …)."""
    return list(LoginRecord.objects.restrict(actor).filter(user=actor).order_by("-created_at", "-id")[:limit])


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts are locked now (AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME),
    counting failures from every browser and address since the lock is per account."""
    from axes.models import AccessAttempt

    since = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
    rows = (
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}


def locked_now() -> set[str]:
    """Every account locked at this moment (see locked_usernames)."""
    from axes.models import AccessAttempt

    since = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}


def security_account_list(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    """Accounts as the security administrator sees them, each with `otp_enrolled` (a confirmed
    authenticator). filters: q (username or name contains), role, state ("locked", "enrolled", "pending" =
    a second-factor role without an authenticator)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    filters = filters or {}
    qs = User.objects.restrict(actor, "secure").annotate(
        otp_enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    state = filters.get("state")
    if state == "locked":
        qs = qs.filter(username__in=locked_now())
    elif state == "enrolled":
        qs = qs.filter(otp_enrolled=True)
    elif state == "pending":
        qs = qs.filter(otp_enrolled=False, role__in=SECOND_FACTOR_ROLES)
    return qs.order_by("username")


def security_overview() -> dict[str, Any]:
    """The effective security settings and how many accounts stand where (安全策略 page)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    privileged = User.objects.filter(role__in=SECOND_FACTOR_ROLES, is_active=True)
    enrolled = privileged.filter(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).count()
    validators = {
        v["NAME"].rsplit(".", 1)[-1]: v.get("OPTIONS", {}) for v in settings.AUTH_PASSWORD_VALIDATORS
    }
    return {
        "password_min_length": validators.get("MinimumLengthValidator", {}).get("min_length", 8),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME * 60),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "privileged_total": privileged.count(),
        "privileged_enrolled": enrolled,
        "locked": len(locked_now()),
    }
