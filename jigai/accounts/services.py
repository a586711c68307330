"""State changes of accounts. Every one checks the actor's permission first, validates everything before
writing, runs in one transaction and leaves an audit event (jigai.audit)."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jigai.audit.services import audit_record
from jigai.core.errors import AccessDenied, Conflict, DomainError, InvalidInput

from .models import User
from .permissions import require
from .roles import ADMIN_ROLES, Role
from .scope import is_active_actor

# Fields an administrator may set through user_create / user_update.
EDITABLE_FIELDS = ("username", "full_name", "phone", "email", "role", "region", "enterprise", "is_active")


def user_snapshot(user: User) -> dict[str, Any]:
    """What the audit trail keeps of a user (never the password hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "role": user.role,
        "region": user.region_id,
        "enterprise": user.enterprise_id,
        "is_active": user.is_active,
        "must_change_password": user.must_change_password,
    }


ADMIN_ROLE_MESSAGE = "系统管理员、安全管理员、审计管理员账号只能由命令 jigai createadmin 创建（三权分立）。"


def _not_an_administrator(user: User) -> None:
    """三权分立 (issue 12): the user pages never create, change or promote the three administrators — the
    system administrator would otherwise make themself the security or audit administrator."""
    if user.role in ADMIN_ROLES:
        raise AccessDenied(
            "管理员账号不能在用户管理中修改：请使用命令 jigai createadmin。", code="admin_account"
        )


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": list(error.messages)}


def _full_clean(user: User, *, exclude: list[str] | None = None) -> None:
    try:
        user.full_clean(exclude=exclude)
    except ValidationError as e:
        raise InvalidInput(_messages(e)) from None


def _check_password(user: User, password: str, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise InvalidInput({field: list(e.messages)}) from None


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    region: Any = None,
    enterprise: Any = None,
    is_active: bool = True,
) -> User:
    """An administrator opens an account. The initial password must be changed at first sign-in."""
    require(actor, "user.manage")
    if role in ADMIN_ROLES:
        raise InvalidInput({"role": [ADMIN_ROLE_MESSAGE]})
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        role=role,
        region=region,
        enterprise=enterprise,
        is_active=is_active,
        must_change_password=True,
    )
    user.set_unusable_password()  # full_clean needs a value; the real one is set after the checks
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean()
    except ValidationError as e:
        errors.update(_messages(e))
    try:
        validate_password(password, user)
    except ValidationError as e:
        errors.setdefault("password", []).extend(e.messages)
    if errors:  # every wrong field at once, nothing written
        raise InvalidInput(errors)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_record(actor=actor, action="create", obj=user, after=user_snapshot(user))
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, **changes: Any) -> User:
    """An administrator changes role, region, enterprise, contact data or the active flag."""
    require(actor, "user.manage")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能修改的字段：{'、'.join(sorted(unknown))}", code="bad_field")
    user = User.objects.select_for_update().get(pk=user.pk)
    _not_an_administrator(user)
    if changes.get("role") in ADMIN_ROLES:
        raise InvalidInput({"role": [ADMIN_ROLE_MESSAGE]})
    before = user_snapshot(user)
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(user, field, value)
    if user.pk == actor.pk:
        # An administrator cannot lock themself out of administration.
        if user.role != Role.ADMIN:
            raise DomainError("不能取消自己的管理员角色。", code="self_demote", field="role")
        if not user.is_active:
            raise DomainError("不能停用自己的账号。", code="self_disable", field="is_active")
    _full_clean(user, exclude=["password"])
    after = user_snapshot(user)
    if after == before:
        return user
    user.save()
    audit_record(actor=actor, action="update", obj=user, before=before, after=after)
    return user


@transaction.atomic
def user_disable(*, actor: User, user: User, reason: str = "") -> User:
    """Disable an account. Its sessions end at once: Django's ModelBackend.get_user refuses inactive users,
    so every request of every session of that account is anonymous from now on."""
    require(actor, "user.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise DomainError("不能停用自己的账号。", code="self_disable")
    _not_an_administrator(user)
    if not user.is_active:
        raise Conflict("该账号已停用。", code="already_disabled")
    before = user_snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="deactivate", obj=user, before=before, after=user_snapshot(user), comment=reason
    )
    return user


@transaction.atomic
def user_enable(*, actor: User, user: User, reason: str = "") -> User:
    require(actor, "user.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    _not_an_administrator(user)
    if user.is_active:
        raise Conflict("该账号已是启用状态。", code="already_active")
    _full_clean(user, exclude=["password"])  # e.g. its region may have been removed meanwhile
    before = user_snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="activate", obj=user, before=before, after=user_snapshot(user), comment=reason
    )
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    """A user changes their own password (the view has checked the old one), or an administrator resets
    someone's. A reset password must be changed at the next sign-in. Either way the session auth hash
    changes, which ends every other session of that account."""
    if not is_active_actor(actor):
        raise AccessDenied("请先登录。", code="not_signed_in")
    own = actor.pk == user.pk
    if not own:
        require(actor, "user.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not own:
        _not_an_administrator(user)
    _check_password(user, password)
    if own and user.check_password(password):
        raise InvalidInput({"password": ["新密码不能与当前密码相同。"]})
    before = {"must_change_password": user.must_change_password, "password_changed_at": _iso(user)}
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = not own
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_record(
        actor=actor,
        action="password_change" if own else "password_reset",
        obj=user,
        before=before,
        after={"must_change_password": user.must_change_password, "password_changed_at": _iso(user)},
    )
    return user


def _iso(user: User) -> str | None:
    return user.password_changed_at.isoformat() if user.password_changed_at else None


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """The security administrator lifts a lockout (5 failed sign-ins or codes) before its 30 minutes are
    over. Returns the attempts cleared."""
    require(actor, "account.unlock")
    cleared = axes_reset(username=user.username)
    audit_record(actor=actor, action="unlock", obj=user, after={"cleared_attempts": cleared})
    return cleared


@transaction.atomic
def create_admin(
    *, username: str, role: str, password: str, full_name: str = "", email: str = "", comment: str = ""
) -> User:
    """`jigai createadmin`: open one of the three administrator accounts (三权分立). Run on the server by
    whoever operates it, so the actor is the system; the event names the command. The password must be
    changed at first sign-in, and the second factor is enrolled then."""
    if role not in ADMIN_ROLES:
        raise InvalidInput({"role": ["只能创建系统管理员、安全管理员或审计管理员。"]})
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        email=email.strip(),
        role=role,
        is_active=True,
        must_change_password=True,
    )
    user.set_unusable_password()
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean()
    except ValidationError as e:
        errors.update(_messages(e))
    try:
        validate_password(password, user)
    except ValidationError as e:
        errors.setdefault("password", []).extend(e.messages)
    if errors:
        raise InvalidInput(errors)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_record(
        actor=None,
        action="admin_create",
        obj=user,
        after=user_snapshot(user),
        comment=comment or "jigai createadmin",
    )
    return user
