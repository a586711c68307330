from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .roles import ADMIN_ROLES, Role
from .scope import NOTHING, ScopedQuerySet, is_active_actor, own_q

__all__ = ["LoginRecord", "Role", "User"]

# 等保三级: passwords are changed at least every 90 days.
PASSWORD_MAX_AGE = timedelta(days=90)


class UserManager(DjangoUserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField(
        "手机号",
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^1\d{10}$", "请输入11位手机号码。")],
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="管理员设置或重置的密码，用户首次登录须修改。"
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        from .validators import validate_role_assignment

        validate_role_assignment(role=self.role, region=self.region, enterprise=self.enterprise)

    def password_expires_at(self) -> datetime:
        return (self.password_changed_at or self.date_joined) + PASSWORD_MAX_AGE

    def password_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.password_expires_at()

    @classmethod
    def scope_q(cls, actor, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.ADMIN:
            # 三权分立: the system administrator sees every account but changes none of the three
            # administrators' (those are `jigai createadmin`'s).
            if action == "view":
                return Q()
            return ~Q(role__in=ADMIN_ROLES) if action == "change" else NOTHING
        if actor.role == Role.SECADMIN and action in ("view", "secure"):
            return Q()  # unlocks and second-factor resets of any account
        if action == "view":
            return own_q(actor, "pk")
        if action == "assign" and actor.role == Role.PROVINCE:
            # the people a provincial officer may give work to: colleagues (objections) and experts (reviews)
            return Q(role__in=[Role.PROVINCE, Role.EXPERT], is_active=True)
        return NOTHING


class LoginRecord(models.Model):
    """One sign-in event (等保三级 安全审计: 登录成功、失败、锁定、退出、超时)."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        FAILED = "failed", "登录失败"
        LOCKED = "locked", "账号锁定"
        LOGOUT = "logout", "退出"
        TIMEOUT = "timeout", "会话超时"

    user = models.ForeignKey(
        User,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login_records",
    )
    username = models.CharField("尝试的用户名", max_length=150, blank=True, db_index=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    success = models.BooleanField("成功", default=False)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    reason = models.CharField("原因", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, actor, action: str) -> Q:
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.AUDITADMIN and action == "view":
            return Q()  # the audit administrator reads the whole login log
        if action == "view":
            return own_q(actor, "user")
        return NOTHING
