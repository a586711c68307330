"""The login log (等保三级 安全审计): one LoginRecord per sign-in, failure, lockout, sign-out and timeout.

Connected in AccountsConfig.ready(). Session timestamps for the timeouts (middleware.py) start here too.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import LoginRecord
from .sessions import start_session_clock

# Set on the request once a record is written, so one attempt never leaves two rows.
_RECORDED = "_jigai_login_recorded"
# Set by the timeout middleware before it logs the user out, so the row says why.
LOGOUT_REASON = "_jigai_logout_reason"


def client_ip(request: Any) -> str | None:
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def _record(
    request: Any, *, kind: str, success: bool, username: str, user: Any = None, reason: str = ""
) -> None:
    if request is not None:
        if getattr(request, _RECORDED, False):
            return
        setattr(request, _RECORDED, True)
    LoginRecord.objects.create(
        user=user,
        username=(username or "")[:150],
        ip=client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
        success=success,
        kind=kind,
        reason=reason[:100],
    )


def record_login_event(request: Any, *, kind: str, user: Any, reason: str = "", success: bool = True) -> None:
    """One more row of the login log for this request (the second factor's step, views.otp_verify)."""
    if request is not None and hasattr(request, _RECORDED):
        delattr(request, _RECORDED)
    _record(request, kind=kind, success=success, username=user.get_username(), user=user, reason=reason)


@receiver(user_logged_in, dispatch_uid="jigai_login_record_success")
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from .otp import requires_second_factor

    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)
    if requires_second_factor(user):
        # The password was right; the sign-in completes with the code (views.otp_verify), which is also when
        # the failure count is reset — else a known password would reset the count of wrong codes.
        reason = "密码正确，待动态口令验证"
    else:
        reason = ""
        axes_reset(username=user.get_username())  # AXES_RESET_ON_SUCCESS is off: see settings
    _record(
        request,
        kind=LoginRecord.Kind.LOGIN,
        success=True,
        username=user.get_username(),
        user=user,
        reason=reason,
    )


@receiver(user_login_failed, dispatch_uid="jigai_login_record_failure")
def on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username") or ""
    user = get_user_model().objects.filter(username=username).first() if username else None
    if credentials.get("factor") == "otp":
        reason = "动态口令错误"
    elif user is None:
        reason = "用户名不存在"
    elif not user.is_active:
        reason = "账号已停用"
    else:
        reason = "密码错误"
    _record(request, kind=LoginRecord.Kind.FAILED, success=False, username=username, user=user, reason=reason)


@receiver(user_locked_out, dispatch_uid="jigai_login_record_lockout")
def on_locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    # axes sends this both for the failure that reaches the limit and for every attempt while the lock
    # lasts (those either are not counted, or — AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT — counted past
    # the limit, restarting the 30 minutes).
    failures = getattr(request, "axes_failures_since_start", None)
    first = failures is not None and failures == get_failure_limit(
        request, getattr(request, "axes_credentials", None)
    )
    reason = "连续登录失败达到上限，账号锁定" if first else "锁定期间尝试登录"
    user = get_user_model().objects.filter(username=username).first() if username else None
    _record(
        request,
        kind=LoginRecord.Kind.LOCKED,
        success=False,
        username=username or "",
        user=user,
        reason=reason,
    )


@receiver(user_logged_out, dispatch_uid="jigai_login_record_logout")
def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON, "") if request is not None else ""
    kind = LoginRecord.Kind.TIMEOUT if reason else LoginRecord.Kind.LOGOUT
    LoginRecord.objects.create(
        user=user,
        username=user.get_username(),
        ip=client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
        success=True,
        kind=kind,
        reason=reason,
    )
