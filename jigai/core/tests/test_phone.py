"""The one phone-number check (jigai.core.phone)."""

from __future__ import annotations

import pytest

from jigai.core.errors import DomainError
from jigai.core.phone import INVALID_MESSAGE, REQUIRED_MESSAGE, validate_phone


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("199 1234 5678", "19912345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("１３８－１２３４－５６７８", "13812345678"),  # full-width digits
        ("0371-12345678", "0371-12345678"),
        ("037112345678", "0371-12345678"),
        ("(0371)12345678", "0371-12345678"),
        ("（0371）1234567", "0371-1234567"),
        ("0371-12345678-123", "0371-12345678-123"),
        ("0371-12345678转123", "0371-12345678-123"),
        ("010-12345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("400-123-4567", "400-123-4567"),
        ("4001234567", "400-123-4567"),
        ("800 123 4567", "800-123-4567"),
        ("  13812345678  ", "13812345678"),
    ],
)
def test_accepted_numbers_are_normalized(raw: str, normalized: str) -> None:
    assert validate_phone(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "第一",
        "abc",
        "12345",
        "12812345678",  # 12x is no mobile prefix
        "23812345678",
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "12345678",  # local number without area code
        "0371-0234567",  # a local number never starts with 0
        "0371-123456",  # too short
        "0371-12345678-1234567",  # extension too long
        "4001234",
        "900-123-4567",
        "13812345678转1",
    ],
)
def test_malformed_numbers_are_refused_with_the_field(raw: str) -> None:
    with pytest.raises(DomainError) as caught:
        validate_phone(raw, field="phone")
    assert caught.value.message == INVALID_MESSAGE
    assert caught.value.field == "phone"
    assert caught.value.code == "invalid_phone"


def test_empty_is_allowed_unless_required() -> None:
    assert validate_phone("") == ""
    assert validate_phone("   ") == ""
    assert validate_phone(None) == ""
    with pytest.raises(DomainError) as caught:
        validate_phone(" ", required=True)
    assert caught.value.message == REQUIRED_MESSAGE
    assert caught.value.field == "contact_phone"
