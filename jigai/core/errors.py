"""Domain errors of the whole project: a Chinese message, a stable code and optionally the form field.

Services raise them; views turn them into a field error (`add_to_form`) or an HTTP status (`http_status`)
in one place, so the same rule gives the same message on a page, in the API and on the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule refused the request. `message` is shown to the user as is (Chinese)."""

    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidInput(DomainError):
    """Several fields are wrong at once: `errors` maps field → Chinese messages ("__all__" for the form)."""

    default_code = "invalid_input"

    def __init__(self, errors: dict[str, list[str]], *, code: str | None = None) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items()}
        message = "；".join(m for messages in self.errors.values() for m in messages)
        first = next(iter(self.errors), None)
        super().__init__(message, code=code, field=first if len(self.errors) == 1 else None)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": self.errors}


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class AccessDenied(DomainError, PermissionDenied):
    """The actor's role does not allow the action. Also a Django PermissionDenied, so an uncaught one
    becomes a 403 page by Django's own handler."""

    status = 403
    default_code = "permission_denied"


class Conflict(DomainError):
    """The object is not in a state that allows the action (e.g. recorded already, wrong status)."""

    status = 409
    default_code = "conflict"


def add_to_form(form: Any, error: DomainError) -> None:
    """Show a domain error on a Django form: on its field when the form has it, else as a form error."""
    if isinstance(error, InvalidInput):
        for name, messages in error.errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return
    field = error.field if error.field and error.field in form.fields else None
    form.add_error(field, error.message)


def http_status(error: Exception) -> int:
    return getattr(error, "status", 400)


def run_for_page(request: Any, action: Callable[[], Any], *, form: Any = None, success: str = "") -> Any:
    """The one place a page turns a service's DomainError into what the user sees.

    NotFound → the 404 page (missing and forbidden alike); AccessDenied → re-raised (the 403 page); any other
    DomainError → on the form's field (`add_to_form`) or, without a form, a page message. Returns the
    service's result (True when it returns None), or None when refused: nothing changed."""
    from django.contrib import messages
    from django.http import Http404

    try:
        result = action()
    except NotFound as error:
        raise Http404(error.message) from None
    except AccessDenied:
        raise
    except DomainError as error:
        if form is not None:
            add_to_form(form, error)
        else:
            messages.error(request, error.message)
        return None
    if success:
        messages.success(request, success)
    return True if result is None else result
