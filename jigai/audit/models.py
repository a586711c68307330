"""Append-only audit trail with an SM3 hash chain (Zulip RealmAuditLog, Saleor OrderEvent)."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import (
    EVERYTHING,
    NOTHING,
    ScopedQuerySet,
    enterprise_q,
    is_active_actor,
    is_regional,
    own_q,
)

from .chain import GENESIS_HASH

# Chinese labels of the actions services record; an action missing here is shown as written.
ACTION_LABELS: dict[str, str] = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "submit": "提交",
    "withdraw": "撤回",
    "approve": "审核通过",
    "recommend": "推荐",
    "return": "退回补正",
    "reject": "不予通过",
    "resubmit": "补正后重新提交",
    "assign": "分配",
    "score": "评分",
    "decide": "决定",
    "publish": "发布",
    "object": "提出异议",
    "resolve": "处理异议",
    "release": "资金下达",
    "pay": "拨付",
    "confirm": "确认",
    "accept": "验收",
    "cancel": "作废",
    "import": "导入",
    "export": "导出",
    "login": "登录",
    "logout": "退出登录",
    "login_failed": "登录失败",
    "lock": "锁定",
    "unlock": "解锁",
    "password_change": "修改密码",
    "password_reset": "重置密码",
    "activate": "启用",
    "deactivate": "停用",
}

# Roles that see the whole audit trail (design.md: the province, its leaders, the administrator).
_SEE_ALL_ROLES = frozenset(
    {Role.PROVINCE, Role.LEADER, Role.ADMIN, *({Role.AUDITADMIN} if hasattr(Role, "AUDITADMIN") else set())}
)


class AuditImmutableError(Exception):
    """An attempt to change or delete an audit record through the ORM."""

    code = "audit_immutable"

    def __init__(self, message: str = "审计记录只能追加，不能修改或删除。") -> None:
        super().__init__(message)


class AuditEventQuerySet(ScopedQuerySet):
    """The scope gate's queryset (`restrict(actor)`), refusing every change of existing rows."""

    def update(self, **kwargs: Any) -> int:
        # The one update allowed: deleting a user sets `actor` to NULL (SET_NULL); `actor` is outside the
        # hash and `actor_ref` still names the user, so the chain stays intact.
        if set(kwargs) == {"actor"} and kwargs["actor"] is None:
            return super().update(actor=None)
        raise AuditImmutableError()

    def delete(self) -> Any:
        raise AuditImmutableError()

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditImmutableError()

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditImmutableError()


class AuditEvent(models.Model):
    """One state change: who, when, what, before and after. Written only by services.audit_record."""

    seq = models.BigIntegerField("序号", primary_key=True)
    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    # Snapshots, so the record keeps saying who acted even after the user changes or is deleted.
    actor_ref = models.CharField("操作人编号", max_length=64, blank=True)
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    actor_role = models.CharField("操作人角色", max_length=20, blank=True)
    action = models.CharField("操作", max_length=40, db_index=True)
    target_type = models.CharField("对象类型", max_length=100, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_label = models.CharField("对象名称", max_length=200, blank=True)
    region_path = models.CharField("所属区划路径", max_length=40, blank=True, db_index=True)
    enterprise_id = models.BigIntegerField("所属企业编号", null=True, blank=True, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    comment = models.TextField("意见", blank=True)
    prev_hash = models.CharField("前序哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_name or '系统'} {self.action_label} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditImmutableError()

    @classmethod
    def scope_q(cls, actor: Any, action: str = "view") -> Q:
        """Province, leaders and administrators see every event; city and county reviewers the events of
        their region and below; enterprise users the events of their own enterprise; everyone else only
        what they did themselves."""
        if not is_active_actor(actor):
            return NOTHING
        if actor.role in _SEE_ALL_ROLES:
            return EVERYTHING
        if is_regional(actor) and actor.region_id is not None:
            path = actor.region.path
            return Q(region_path=path) | Q(region_path__startswith=f"{path}/")
        if actor.role == Role.ENTERPRISE:
            return enterprise_q(actor, "enterprise_id")
        return own_q(actor, "actor")

    # ---- display helpers for templates -------------------------------------------------------------
    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def actor_display(self) -> str:
        if not self.actor_name and not self.actor_ref:
            return "系统"
        role = Role(self.actor_role).label if self.actor_role in Role.values else self.actor_role
        return f"{self.actor_name}（{role}）" if role else self.actor_name

    def _field_label(self, key: str) -> str:
        try:
            model = apps.get_model(self.target_type)
            return str(model._meta.get_field(key).verbose_name)
        except (LookupError, ValueError, FieldDoesNotExist):  # unknown model or key: show the key itself
            return key

    @property
    def changes(self) -> list[dict[str, str]]:
        """The keys whose value differs between before and after, each as label, before, after."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        rows = []
        for key in dict.fromkeys([*before, *after]):
            old, new = before.get(key), after.get(key)
            if key in before and key in after and old == new:
                continue
            rows.append(
                {"field": key, "label": self._field_label(key), "before": _show(old), "after": _show(new)}
            )
        return rows


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(_show(v) for v in value) or "—"
    if isinstance(value, dict):
        if set(value) == {"id", "label"}:
            return str(value["label"])
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


class AuditChainHead(models.Model):
    """The single row that every writer locks (SELECT … FOR UPDATE) before chaining a record, so two
    transactions cannot both chain onto the same previous record. It also remembers the last seq and hash,
    so that deleting records at the end of the chain is detected too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField("最后序号", default=0)
    last_hash = models.CharField("最后哈希", max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"审计链头：第 {self.last_seq} 号"
