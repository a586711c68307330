"""Unified social credit code (统一社会信用代码, GB 32100-2015).

python-stdnum's `stdnum.cn.uscc` checks the check character but refuses every code whose first character
(the registration authority, 登记管理部门代码) is a letter — A, N and Y are legal there. For such a code we
verify the check character with the standard's own weights, so a valid enterprise is never turned away.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as stdnum_uscc

# GB 32100-2015 §4: the code alphabet (no I, O, S, V, Z) and the weights of positions 1–17.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LETTER_AUTHORITIES = frozenset("ANY")


def check_character(first17: str) -> str:
    """The check character (position 18) of the first 17 characters: C18 = 31 − (Σ Ci·Wi mod 31)."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _validate_letter_first(code: str) -> str:
    # Position 2 (organisation type) and 3–8 (administrative division) are digits; 9–17 the code alphabet.
    if not code[1:8].isdigit() or any(c not in ALPHABET for c in code[8:]):
        raise ValidationError("统一社会信用代码格式不正确。", code="uscc_format")
    if check_character(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对。", code="uscc_checksum")
    return code


def normalize_uscc(value: str) -> str:
    """Upper case, spaces and hyphens removed."""
    return stdnum_uscc.compact(value or "")


def validate_uscc(value: str) -> str:
    """The normalised code, or ValidationError with a Chinese message."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为 18 位。", code="uscc_length")
    if code[0] in LETTER_AUTHORITIES:
        try:
            return stdnum_uscc.validate(code)
        except stdnum_exceptions.ValidationError:
            return _validate_letter_first(code)  # stdnum refuses letter-first codes; judge them ourselves
    try:
        return stdnum_uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError("统一社会信用代码校验位不正确，请核对。", code="uscc_checksum") from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            "统一社会信用代码格式不正确（首位应为数字或 A、N、Y，不含 I、O、S、V、Z）。", code="uscc_format"
        ) from None


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True
