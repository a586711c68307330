"""One check for every phone number the system stores (application contact, enterprise contact, imports).

Accepted, and stored in one normalized form:

- mainland mobile numbers, 11 digits 1[3-9]xxxxxxxxx (spaces, hyphens, a +86 / 0086 prefix allowed)
  → ``13812345678``;
- landlines with their area code (010, 02x, or 0 + three digits: 0371 …) and a 7- or 8-digit local number,
  written ``0371-12345678``, ``037112345678`` or ``(0371)12345678``, optionally with an extension
  ``-123`` or ``转123`` → ``0371-12345678`` / ``0371-12345678-123``;
- 400 and 800 service numbers (10 digits) → ``400-123-4567``.

Full-width digits and punctuation (１３８…, －, （）) are read as their ASCII forms.
"""

from __future__ import annotations

import re
import unicodedata

from jigai.core.errors import DomainError

PHONE_HELP = (
    "手机号（如 13812345678）、带区号的固定电话（如 0371-12345678，分机写 -123 或 转123）或 400/800 电话"
)
INVALID_MESSAGE = f"联系电话格式不正确：请填写{PHONE_HELP}。"
REQUIRED_MESSAGE = "请填写联系电话。"

_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
_SERVICE = re.compile(r"([48]00)(\d{3})(\d{4})")
# Area codes: 010, 020–029 (three digits), every other one 0 + three digits (0371, 0379 …).
_LANDLINE = re.compile(
    r"\(?(0(?:10|2\d|[3-9]\d{2}))\)?-?([1-9]\d{6,7})(?:(?:-|转|ext\.?|#)(\d{1,6}))?", re.IGNORECASE
)
_SPACES = re.compile(r"\s+")


def validate_phone(value: str | None, *, field: str = "contact_phone", required: bool = False) -> str:
    """The number in its normalized form, or "" when empty and not required; otherwise a DomainError
    (Chinese message, code ``invalid_phone``) naming `field`."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", value or ""))
    if not text:
        if required:
            raise DomainError(REQUIRED_MESSAGE, field=field, code="required")
        return ""
    if match := _MOBILE.fullmatch(text.replace("-", "")):
        return match.group(1)
    if match := _SERVICE.fullmatch(text.replace("-", "")):
        return "-".join(match.groups())
    if match := _LANDLINE.fullmatch(text):
        area, local, extension = match.groups()
        return f"{area}-{local}" + (f"-{extension}" if extension else "")
    raise DomainError(INVALID_MESSAGE, field=field, code="invalid_phone")
