"""Sign-in rules applied on every request (等保三级): session timeouts, the second factor and the password
policy."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from .otp import is_enrolled, needs_verification
from .sessions import now, session_expiry_reason
from .signals import LOGOUT_REASON


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _is_static(request: HttpRequest) -> bool:
    return request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))


class SessionTimeoutMiddleware:
    """Ends a session after 30 minutes without a request or 12 hours after sign-in, whichever comes first.

    The database session also expires after SESSION_COOKIE_AGE of idleness (renewed whenever the idle stamp
    is written, at most once a minute: jigai/accounts/sessions.py); this middleware makes both limits
    independent of the session backend and says why on the login page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_static(request) and request.user.is_authenticated:
            reason = session_expiry_reason(request.session)
            if reason:
                setattr(request, LOGOUT_REASON, reason)
                logout(request)
                if _is_api(request):
                    return self.get_response(request)  # the API answers an anonymous caller itself
                messages.warning(request, reason)
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return _redirect(request, f"{reverse('accounts:login')}{'?' + query if query else ''}")
        return self.get_response(request)


class SecondFactorMiddleware:
    """A signed-in account of a second-factor role (province, finance, administrators) whose session has not
    passed the code step reaches only that step — enrolment when it has no authenticator yet — and sign-out.
    API calls of such a session are refused (403), public endpoints too: the half-signed-in session must not
    act as the account anywhere. Runs after django-otp's OTPMiddleware (it sets `user.is_verified`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not _is_static(request) and needs_verification(user):
            if _is_api(request):
                return JsonResponse(
                    {
                        "detail": "请先在网页上完成动态口令验证，再使用接口。",
                        "code": "second_factor_required",
                    },
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            step = reverse("accounts:otp_verify" if is_enrolled(user) else "accounts:otp_enrol")
            if request.path not in (step, reverse("accounts:logout")):
                nxt = request.GET.get("next") or (request.get_full_path() if request.method == "GET" else "")
                query = urlencode({"next": nxt}) if nxt and nxt != "/" else ""
                return _redirect(request, f"{step}{'?' + query if query else ''}")
        return self.get_response(request)


class PasswordPolicyMiddleware:
    """Sends a user whose password was set by an administrator, or is older than 90 days, to the password
    change page before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not _is_static(request) and not _is_api(request):
            change_url = reverse("accounts:password_change")
            exempt = (change_url, reverse("accounts:logout"))
            if request.path not in exempt:
                # The change page itself says why (set by an administrator, or older than 90 days).
                if user.must_change_password or user.password_expired(now()):
                    return _redirect(request, change_url)
        return self.get_response(request)
