"""Errors of the rules engine, each with its message in Chinese."""

from __future__ import annotations


class RequestError(ValueError):
    """The whole request is refused (not a JSON object with a `cases` list, bad overrides, …)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class CaseError(ValueError):
    """One case is not valid input; it goes in that case's slot, the other cases are still evaluated."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}
