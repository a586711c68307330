"""Yearly targets per region and indicator, and the target responsibility letters (目标责任书) that confirm
them (policy 一（二）, 四（三）: goals broken down to every city each year)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor, region_q
from jigai.registry.uploads import validate_certificate_file

from .choices import VALUE, LetterStatus, TargetStatus
from .indicators import Indicator


def _hide_own_drafts(actor: Any, action: str) -> Q:
    """A city (county) sees its subtree's targets, except its own region's drafts: those are the level
    above still preparing them. The city's drafts for its counties it sees, since it sets them."""
    if not is_active_actor(actor):
        return NOTHING
    q = region_q(actor, "region", action)
    if actor.role in (Role.CITY, Role.COUNTY) and actor.region_id:
        q &= ~Q(region_id=actor.region_id, status=TargetStatus.DRAFT)
    return q


class Target(models.Model):
    """The target of one region for one indicator in one year. A city's target is set by the province, a
    county's by its city (parent = the city's target it is split from). The province's own row is the
    total the cities' additive targets must add up to."""

    year = models.PositiveSmallIntegerField("年度")
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="targets"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="monitoring_targets"
    )
    value = models.DecimalField("目标值", **VALUE)
    weight = models.DecimalField("分解权重", max_digits=12, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=TargetStatus.choices, default=TargetStatus.DRAFT, db_index=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级目标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("下达时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["year", "indicator__sort_order", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator", "region"], name="monitoring_target_unique"),
        ]
        indexes = [models.Index(fields=["year", "region", "status"], name="monitoring_target_region_idx")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.region} {self.indicator}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _hide_own_drafts(actor, action)

    @property
    def audit_region(self) -> Any:
        return self.region


class TargetLetter(models.Model):
    """The target responsibility letter (目标责任书) of one region for one year: the province issues it to a
    city (or a city to a county) when it publishes the targets; signing it (date, signatories, the signed
    file) is the confirmation of every target of that region and year. Asking for a change instead sends
    the targets back with a reason."""

    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey(
        "regions.Region", verbose_name="责任地区", on_delete=models.PROTECT, related_name="target_letters"
    )
    status = models.CharField(
        "状态", max_length=20, choices=LetterStatus.choices, default=LetterStatus.PENDING, db_index=True
    )
    issued_at = models.DateTimeField("下达时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="下达人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_on = models.DateField("签订日期", null=True, blank=True)
    signatories = models.CharField("签订人", max_length=200, blank=True)
    signed_file = models.FileField(
        "签字盖章文件", upload_to="monitoring/letters/%Y/", blank=True, validators=[validate_certificate_file]
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    change_reason = models.TextField("调整理由", blank=True)
    change_requested_at = models.DateTimeField("申请调整时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["year", "region"], name="monitoring_letter_unique")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.region} 目标责任书"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return region_q(actor, "region", action)

    @property
    def audit_region(self) -> Any:
        return self.region
