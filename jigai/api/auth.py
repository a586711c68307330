"""Who calls the API: the Django session of the web sign-in (ninja's `django_auth`), with the CSRF token for
POST/PUT/PATCH/DELETE (header X-CSRFToken, the value of the csrftoken cookie) as ninja's cookie auth does.

Two differences from `django_auth`, both deliberate:
- the session is looked at before the CSRF token, so an anonymous caller always gets 401 (not 403);
- an account of a second-factor role whose session has not passed the code step is refused (issue 12);
- a user who must change their password first (set by an administrator, or older than 90 days) is refused
  here as the pages send them to the change form (PasswordPolicyMiddleware leaves /api/ alone).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from jigai.accounts.otp import needs_verification
from jigai.core.errors import AccessDenied


class CsrfRefused(AccessDenied):
    default_code = "csrf_failed"


class PasswordChangeRequired(AccessDenied):
    default_code = "password_change_required"


class SecondFactorRequired(AccessDenied):
    default_code = "second_factor_required"


class SessionCsrfAuth(SessionAuth):
    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # → 401
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfRefused("CSRF 校验失败：请在请求头 X-CSRFToken 中提供 csrftoken Cookie 的值。")
        if needs_verification(user):  # SecondFactorMiddleware refuses first; this holds without it too
            raise SecondFactorRequired("请先在网页上完成动态口令验证，再使用接口。")
        if user.must_change_password or user.password_expired():
            raise PasswordChangeRequired("请先在网页上修改密码，再使用接口。")
        return user


session_auth = SessionCsrfAuth()
