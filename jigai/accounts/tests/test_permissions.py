"""The permission table: one place, every name known, require() speaks Chinese."""

import pytest
from django.contrib.auth.models import AnonymousUser

from jigai.accounts.permissions import PERMISSIONS, UnknownPermission, can, require, roles_with
from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import make_user
from jigai.core.errors import AccessDenied

pytestmark = pytest.mark.django_db


def test_every_permission_names_real_roles():
    for name, roles in PERMISSIONS.items():
        assert "." in name
        assert roles and set(roles) <= set(Role), name


@pytest.mark.parametrize(
    ("permission", "allowed"),
    [
        ("user.manage", {Role.ADMIN}),
        ("project.check_county", {Role.COUNTY}),
        ("project.check_city", {Role.CITY}),
        ("guideline.manage", {Role.PROVINCE}),
        ("payment.confirm", {Role.FINANCE}),
        ("expert.score", {Role.EXPERT}),
    ],
)
def test_roles_for_key_permissions(permission, allowed):
    for role in Role:
        assert can(make_user(role), permission) == (role in allowed), (permission, role)


def test_leader_changes_nothing():
    leader = make_user(Role.LEADER)
    held = {p for p in PERMISSIONS if can(leader, p)}
    assert {"registry.browse", "application.view", "dashboard.view", "whitelist.view"} <= held
    assert all(p.endswith((".view", ".browse")) for p in held), held  # reading only


def test_anonymous_and_inactive_can_nothing():
    inactive = make_user(Role.ADMIN, is_active=False)
    for name in PERMISSIONS:
        assert not can(AnonymousUser(), name)
        assert not can(None, name)
        assert not can(inactive, name)


def test_require_raises_chinese_access_denied():
    with pytest.raises(AccessDenied) as exc:
        require(make_user(Role.COUNTY), "user.manage")
    assert exc.value.message == "您的角色无权执行此操作。"
    assert exc.value.status == 403
    require(make_user(Role.ADMIN), "user.manage")


def test_unknown_permission_is_an_error_not_a_denial():
    with pytest.raises(UnknownPermission):
        can(make_user(Role.ADMIN), "user.mange")
    with pytest.raises(UnknownPermission):
        roles_with("nothing")
