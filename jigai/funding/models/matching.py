"""Proactive matching (免申即享, issue 13): what the open guideline appears to offer each enterprise's
objects, evaluated every night and on every change of its data with verified facts only; and, for the
items the guideline marks 免申即享, the award the system prepares, which the enterprise and the county
must both confirm before it joins the round."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.scope import ScopedQuerySet, enterprise_q, is_active_actor, region_q

from .applications import Application
from .choices import MONEY, USER
from .guidelines import Guideline


class MatchStatus(models.TextChoices):
    ELIGIBLE = "eligible", "符合条件"
    MISSING = "missing", "缺少资料"
    NOT_ELIGIBLE = "not_eligible", "暂不符合"


class Match(models.Model):
    guideline = models.ForeignKey(
        Guideline, verbose_name="申报指南", on_delete=models.CASCADE, related_name="matches"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="matches"
    )
    item = models.CharField("事项", max_length=30)
    object_kind = models.CharField("对象类型", max_length=20)  # project / product / platform / title
    object_id = models.PositiveBigIntegerField("对象编号")
    object_label = models.CharField("对象", max_length=200)
    status = models.CharField("状态", max_length=12, choices=MatchStatus.choices)
    ceiling = models.DecimalField("测算上限（元）", default=0, **MONEY)
    explanation = models.JSONField("测算说明", default=list, blank=True)
    missing = models.CharField("缺少的资料", max_length=300, blank=True)
    reasons = models.JSONField("原因", default=list, blank=True)
    proactive = models.BooleanField("免申即享", default=False)
    evaluated_at = models.DateTimeField("测算时间")
    notified_at = models.DateTimeField("已通知", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "政策匹配"
        verbose_name_plural = "政策匹配"
        ordering = ["enterprise", "item", "object_kind", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "item", "object_kind", "object_id"], name="match_one_per_object_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.item} {self.object_label}"

    @classmethod
    def scope_q(cls, actor: Any, action: str = "view") -> Q:
        if not is_active_actor(actor):
            return Q(pk__in=[])
        if actor.role == "enterprise":
            return enterprise_q(actor, "enterprise")
        if actor.role in ("county", "city"):
            return region_q(actor, "enterprise__region")
        if actor.role in ("province", "leader"):
            return Q()
        return Q(pk__in=[])


class MatchPreference(models.Model):
    enterprise = models.OneToOneField(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="match_preference"
    )
    notify = models.BooleanField("接收政策匹配提醒（站内消息和邮件）", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政策匹配提醒设置"
        verbose_name_plural = "政策匹配提醒设置"

    def __str__(self) -> str:
        return f"{self.enterprise} {'接收' if self.notify else '不接收'}提醒"


class ProactiveStatus(models.TextChoices):
    PREPARED = "prepared", "系统已生成，待企业确认"
    ENTERPRISE_CONFIRMED = "enterprise_confirmed", "企业已确认，待县级确认"
    JOINED = "joined", "已纳入本轮评审"
    DECLINED = "declined", "企业放弃"


class ProactiveAward(models.Model):
    """免申即享: nothing moves without the enterprise's willingness and bank account and the county's
    confirmation; then an application is made through the normal workflow (submitted, 初审 passed)."""

    match = models.OneToOneField(
        Match, verbose_name="匹配", on_delete=models.CASCADE, related_name="proactive_award"
    )
    status = models.CharField(
        "状态", max_length=24, choices=ProactiveStatus.choices, default=ProactiveStatus.PREPARED
    )
    payee_name = models.CharField("收款单位", max_length=200, blank=True)
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    bank_account = models.CharField("银行账号", max_length=40, blank=True)
    enterprise_confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise_confirmed_at = models.DateTimeField("企业确认时间", null=True, blank=True)
    county_confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    county_confirmed_at = models.DateTimeField("县级确认时间", null=True, blank=True)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="proactive_award"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "免申即享"
        verbose_name_plural = "免申即享"

    def __str__(self) -> str:
        return f"免申即享 {self.match}"

    @classmethod
    def scope_q(cls, actor: Any, action: str = "view") -> Q:
        inner = Match.scope_q(actor, action)
        return Q(match__in=Match.objects.filter(inner).values("pk"))
