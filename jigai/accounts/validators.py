"""Validation rules of accounts: the password policy (等保三级) and which region/enterprise a role needs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from .roles import ADMIN_ROLES, PROVINCE_LEVEL_ROLES, Role

PROVINCE_CODE = "410000"
# 济源示范区 is a province-administered county-level unit with no city above it: its department does the
# city's work (and the county's), so both regional roles may sit there.
JIYUAN_CODE = "419001"

# A functional zone (e.g. 410173 航空港区) has its own economic department that does a county's checks.
COUNTY_LEVELS = frozenset({"county", "zone"})

MIN_KINDS = 3


class CharacterClassesValidator:
    """At least three of: upper-case letter, lower-case letter, digit, symbol (等保三级 口令复杂度)."""

    def __init__(self, min_kinds: int = MIN_KINDS) -> None:
        self.min_kinds = min_kinds

    @staticmethod
    def kinds(password: str) -> int:
        return sum(
            [
                any(c.isascii() and c.isupper() for c in password),
                any(c.isascii() and c.islower() for c in password),
                any(c.isascii() and c.isdigit() for c in password),
                any(not (c.isascii() and c.isalnum()) for c in password),
            ]
        )

    def validate(self, password: str, user: Any = None) -> None:
        if self.kinds(password) < self.min_kinds:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、符号中的三种。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return "密码须至少包含大写字母、小写字母、数字、符号中的三种。"


class MinimumLengthValidator:
    """Django's length rule with a Chinese message (Django's own text has no Chinese translation)."""

    def __init__(self, min_length: int = 12) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短，至少须 {self.min_length} 位。",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 位。"


def role_assignment_errors(*, role: str, region: Any, enterprise: Any) -> dict[str, list[str]]:
    """Field → Chinese messages for a role/region/enterprise combination that does not fit."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    level = getattr(region, "level", None)
    code = getattr(region, "code", None)
    if role == Role.COUNTY:
        if region is None:
            add("region", "县级工信部门用户必须选择所属县（市、区）。")
        elif level not in COUNTY_LEVELS and code != JIYUAN_CODE:
            add("region", "县级工信部门用户的所属区划必须是县级区划。")
    elif role == Role.CITY:
        if region is None:
            add("region", "市级工信部门用户必须选择所属省辖市（或济源示范区）。")
        elif level != "city" and code != JIYUAN_CODE:
            add("region", "市级工信部门用户的所属区划必须是省辖市（或济源示范区）。")
    elif role in PROVINCE_LEVEL_ROLES or role in ADMIN_ROLES:
        if region is not None and code != PROVINCE_CODE:
            add("region", "省级用户的所属区划只能是河南省或不选。")
    elif role == Role.ENTERPRISE:
        if enterprise is None:
            add("enterprise", "企业用户必须选择所属企业。")
        elif region is not None and region.pk != enterprise.region_id:
            add("region", "企业用户的所属区划须与企业所在区划一致，或不选。")

    if role != Role.ENTERPRISE and enterprise is not None:
        add("enterprise", "只有企业用户可以关联企业。")
    return errors


def validate_role_assignment(*, role: str, region: Any, enterprise: Any) -> None:
    errors = role_assignment_errors(role=role, region=region, enterprise=enterprise)
    if errors:
        raise ValidationError(errors)
