"""Account services: permission first, validation before any write, an audit event for every change."""

import pytest
from django.core.exceptions import PermissionDenied

from jigai.accounts import services
from jigai.accounts.models import User
from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_enterprise, make_user
from jigai.audit.models import AuditEvent
from jigai.audit.selectors import audit_history
from jigai.core.errors import AccessDenied, Conflict, DomainError, InvalidInput

pytestmark = pytest.mark.django_db

NEW = "Luoyang@2025Jigai"


@pytest.fixture
def admin():
    return make_user(Role.ADMIN, username="sysadmin")


def create(actor, **overrides):
    fields = {
        "username": "ly_city",
        "password": NEW,
        "role": Role.CITY,
        "full_name": "李四",
        "phone": "13800000000",
        "region": ensure_region("410300"),
    }
    fields.update(overrides)
    return services.user_create(actor=actor, **fields)


def test_create_user_with_audit_and_first_login_password_change(admin):
    user = create(admin)
    assert user.role == Role.CITY and user.region_id == "410300"
    assert user.check_password(NEW)
    assert user.must_change_password is True
    assert user.password_changed_at is not None
    [event] = audit_history(obj=user)
    assert event.action == "create"
    assert event.actor == admin
    assert event.after["username"] == "ly_city" and event.after["region"] == "410300"
    assert "password" not in event.after


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_administrators_manage_users(role):
    actor = make_user(role)
    target = make_user(Role.EXPERT)
    with pytest.raises(AccessDenied) as exc:
        create(actor)
    assert exc.value.message == "您的角色无权执行此操作。"
    assert isinstance(exc.value, PermissionDenied)  # Django turns an uncaught one into 403
    for call in (
        lambda: services.user_update(actor=actor, user=target, full_name="x"),
        lambda: services.user_disable(actor=actor, user=target),
        lambda: services.user_set_password(actor=actor, user=target, password=NEW),
    ):
        with pytest.raises(AccessDenied):
            call()
    if role != Role.SECADMIN:
        with pytest.raises(AccessDenied):
            services.user_unlock(actor=actor, user=target)
    assert not User.objects.filter(username="ly_city").exists()
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)
    assert not AuditEvent.objects.exists()


def test_inactive_admin_can_do_nothing(admin):
    admin.is_active = False
    with pytest.raises(AccessDenied):
        create(admin)


def test_bad_input_is_refused_field_by_field_and_changes_nothing(admin):
    with pytest.raises(InvalidInput) as exc:
        create(admin, region=ensure_region("410302"), phone="123", password="short")
    errors = exc.value.errors
    assert errors["region"] == ["市级工信部门用户的所属区划必须是省辖市（或济源示范区）。"]
    assert errors["phone"] == ["请输入11位手机号码。"]
    assert not User.objects.filter(username="ly_city").exists()
    assert not AuditEvent.objects.exists()


def test_weak_password_is_refused(admin):
    with pytest.raises(InvalidInput) as exc:
        create(admin, password="abcdefghijkl")
    assert "密码须至少包含大写字母、小写字母、数字、符号中的三种。" in exc.value.errors["password"]


def test_duplicate_username_is_refused_in_chinese(admin):
    create(admin)
    with pytest.raises(InvalidInput) as exc:
        create(admin)
    assert "username" in exc.value.errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.errors["username"][0])


def test_enterprise_user_needs_enterprise(admin):
    with pytest.raises(InvalidInput) as exc:
        create(admin, role=Role.ENTERPRISE, region=None)
    assert exc.value.errors == {"enterprise": ["企业用户必须选择所属企业。"]}
    ent = make_enterprise("410302")
    user = create(admin, role=Role.ENTERPRISE, region=None, enterprise=ent)
    assert user.enterprise == ent


def test_update_records_before_and_after(admin):
    user = create(admin)
    services.user_update(actor=admin, user=user, role=Role.COUNTY, region=ensure_region("410302"))
    user.refresh_from_db()
    assert user.role == Role.COUNTY
    event = audit_history(obj=user).first()
    assert event.action == "update"
    assert (event.before["role"], event.after["role"]) == ("city", "county")
    assert (event.before["region"], event.after["region"]) == ("410300", "410302")


def test_update_without_change_writes_nothing(admin):
    user = create(admin)
    services.user_update(actor=admin, user=user, full_name="李四")
    assert audit_history(obj=user).count() == 1


def test_update_refuses_invalid_combination_and_unknown_fields(admin):
    user = create(admin)
    with pytest.raises(InvalidInput):
        services.user_update(actor=admin, user=user, role=Role.COUNTY)  # 洛阳市 is not a county
    with pytest.raises(DomainError):
        services.user_update(actor=admin, user=user, is_superuser=True)
    user.refresh_from_db()
    assert user.role == Role.CITY and not user.is_superuser


def test_admin_cannot_lock_themself_out(admin):
    with pytest.raises(DomainError, match="不能停用自己的账号"):
        services.user_disable(actor=admin, user=admin)
    with pytest.raises(AccessDenied, match="管理员账号不能在用户管理中修改"):
        services.user_update(actor=admin, user=admin, is_active=False)
    with pytest.raises(AccessDenied, match="管理员账号不能在用户管理中修改"):
        services.user_update(actor=admin, user=admin, role=Role.PROVINCE)
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.ADMIN


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECADMIN, Role.AUDITADMIN])
def test_system_admin_cannot_create_or_promote_to_an_administrator_role(admin, role):
    """三权分立: the three administrators come from `jigai createadmin` only."""
    with pytest.raises(InvalidInput) as exc:
        create(admin, username="would_be", role=role, region=None)
    assert "jigai createadmin" in exc.value.errors["role"][0]
    assert not User.objects.filter(username="would_be").exists()
    user = create(admin)
    with pytest.raises(InvalidInput):
        services.user_update(actor=admin, user=user, role=role, region=None)
    user.refresh_from_db()
    assert user.role == Role.CITY


@pytest.mark.parametrize("role", [Role.SECADMIN, Role.AUDITADMIN])
def test_system_admin_cannot_change_the_other_administrators(admin, role):
    other = make_user(role)
    for call in (
        lambda: services.user_update(actor=admin, user=other, full_name="改名"),
        lambda: services.user_disable(actor=admin, user=other),
        lambda: services.user_set_password(actor=admin, user=other, password=NEW),
    ):
        with pytest.raises(AccessDenied):
            call()
    other.refresh_from_db()
    assert other.is_active and other.role == role and other.check_password(PASSWORD)


def test_createadmin_is_the_way_to_an_administrator_account():
    import os
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    os.environ["JIGAI_ADMIN_PASSWORD"] = NEW
    try:
        call_command("createadmin", "--role", "secadmin", "--username", "anquan2", stdout=out)
        with pytest.raises(CommandError):
            call_command("createadmin", "--role", "province", "--username", "x")
        with pytest.raises(CommandError, match="已存在"):
            call_command("createadmin", "--role", "auditadmin", "--username", "anquan2")
    finally:
        del os.environ["JIGAI_ADMIN_PASSWORD"]
    user = User.objects.get(username="anquan2")
    assert user.role == Role.SECADMIN and user.must_change_password and user.check_password(NEW)
    assert "已创建安全管理员 anquan2" in out.getvalue()
    [event] = audit_history(obj=user)
    assert event.action == "admin_create" and event.actor is None and "createadmin" in event.comment


def test_disable_and_enable(admin):
    user = create(admin)
    services.user_disable(actor=admin, user=user, reason="调离岗位")
    user.refresh_from_db()
    assert not user.is_active
    with pytest.raises(Conflict):
        services.user_disable(actor=admin, user=user)
    event = audit_history(obj=user).first()
    assert (event.action, event.comment) == ("deactivate", "调离岗位")
    services.user_enable(actor=admin, user=user)
    user.refresh_from_db()
    assert user.is_active
    assert audit_history(obj=user).first().action == "activate"


def test_reset_and_own_change(admin):
    user = make_user(Role.EXPERT)
    services.user_set_password(actor=admin, user=user, password=NEW)
    user.refresh_from_db()
    assert user.check_password(NEW) and user.must_change_password
    assert audit_history(obj=user).first().action == "password_reset"
    services.user_set_password(actor=user, user=user, password="Kaifeng!2025Jigai")
    user.refresh_from_db()
    assert not user.must_change_password
    assert audit_history(obj=user).first().action == "password_change"
    with pytest.raises(InvalidInput, match="新密码不能与当前密码相同"):
        services.user_set_password(actor=user, user=user, password="Kaifeng!2025Jigai")


def test_unlock_clears_axes_attempts(client):
    from axes.models import AccessAttempt

    admin = make_user(Role.SECADMIN, username="anquan_t")  # unlocking is the security administrator's
    with pytest.raises(AccessDenied):
        services.user_unlock(actor=make_user(Role.ADMIN), user=admin)

    user = make_user(Role.EXPERT, username="locked_one")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "locked_one", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="locked_one").exists()
    assert services.user_unlock(actor=admin, user=user) == 1
    assert (
        client.post("/accounts/login/", {"username": "locked_one", "password": PASSWORD}).status_code == 302
    )
