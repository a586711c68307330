"""The bank portal's wall (四（二）, issue 11): a financial institution's user reaches the portal
(financing), their own account, messages, jobs and help, and the public pages every visitor has — never
another page or API of the system, whatever that page's own checks would answer. A second line of defence
behind each view's own scope: a page added later is closed to banks until it is added here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse

BANK = "bank"
OPEN_NAMESPACES = frozenset({"financing", "accounts", "notifications", "jobs"})
OPEN_NAMES = frozenset({"dashboard", "web:home", "web:help", "web:help_role", "web:policy", "web:calculator"})
API_OPEN_PREFIXES = ("/api/v1/financing/",)
API_OPEN_PATHS = frozenset({"/api/v1/openapi.json", "/api/v1/docs"})
MESSAGE = "金融机构账号只能使用融资对接门户。"


def _public(name: str) -> bool:
    """The pages every visitor has: the public lists and their detail pages (":public_…")."""
    return ":public_" in name or name.split(":")[-1].startswith("public_")


def bank_may_open(request: HttpRequest) -> bool:
    path = request.path
    if path.startswith("/api/"):
        return path.startswith(API_OPEN_PREFIXES) or path.rstrip("/") in API_OPEN_PATHS
    match = getattr(request, "resolver_match", None)
    if match is None:
        return True  # no view: the 404 page
    name = match.view_name or ""
    return match.namespace in OPEN_NAMESPACES or name in OPEN_NAMES or _public(name)


class BankPortalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(user, "role", None) != BANK:
            return None
        if bank_may_open(request):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": MESSAGE, "code": "permission_denied"}, status=403)
        raise PermissionDenied(MESSAGE)
