"""Land support (policy 四（二）): each city's dated fee rates, the zero-new-land (零增地) cases tracked
through build-first-check-later (先建后验, 按需报审) with the amounts waived on their added floor area, and
the land needs of technical-transformation projects for the priority list (优先工业用地保障).

A zero-new-land project is a registry project flagged `zero_new_land`; its `LandCase` holds what the land
side adds: the state of the build-first-check-later track, the zone, the floor area, the check and — once the
city has checked it 合格 — the rates used and the amounts waived, frozen (a later rate never changes them).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, enterprise_q, region_q
from jigai.regions.models import Region
from jigai.registry.models import Project

MONEY = {"max_digits": 16, "decimal_places": 2}
AREA = {"max_digits": 12, "decimal_places": 2}


class FeeKind(models.TextChoices):
    PREMIUM = "premium", "土地出让金"
    MUNICIPAL = "municipal", "市政设施配套费"


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", "已登记（待开工）"
    STARTED = "started", "已开工"
    COMPLETED = "completed", "已竣工（待核验）"
    PASSED = "passed", "核验合格"
    FAILED = "failed", "核验不合格"


class CheckResult(models.TextChoices):
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


def _land_scope(actor: Any, action: str, enterprise_field: str, region_field: str) -> Q:
    """Who reaches a land row: only roles holding land.view; the enterprise its own (read-only), county and
    city their region, the province (and the leader, read-only) everything."""
    if not can(actor, "land.view"):
        return NOTHING
    if actor.role == Role.ENTERPRISE:
        return enterprise_q(actor, enterprise_field) if action == "view" else NOTHING
    return region_q(actor, region_field, action)


class FeeRate(models.Model):
    """One dated rate of a city (yuan per m² of floor area): the land premium or the municipal supporting
    fee, for one zone of the city (blank: the whole city), in force from `valid_from` until the next one.
    Rows are never edited: a new rate is a new row, so what a checked case used stays as it was."""

    city = models.ForeignKey(
        Region, verbose_name="省辖市", on_delete=models.PROTECT, related_name="land_fee_rates"
    )
    zone = models.CharField("区域（分区）", max_length=50, blank=True, help_text="不分区的城市留空")
    kind = models.CharField("收费项目", max_length=20, choices=FeeKind.choices)
    per_m2 = models.DecimalField("标准（元/平方米）", **MONEY)
    valid_from = models.DateField("执行日期")
    document_no = models.CharField("文件依据", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "收费标准"
        verbose_name_plural = "收费标准"
        ordering = ["city", "zone", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "zone", "kind", "valid_from"], name="land_rate_one_per_day"
            ),
            models.CheckConstraint(condition=Q(per_m2__gte=0), name="land_rate_not_negative"),
        ]

    def __str__(self) -> str:
        zone = f"（{self.zone}）" if self.zone else ""
        return f"{self.city.name}{zone}{self.get_kind_display()} {self.valid_from:%Y-%m-%d}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        # Rates are published figures: every land user reads them all; a city changes its own only.
        if not can(actor, "land.view"):
            return NOTHING
        if action == "view":
            return Q()
        if actor.role == Role.ENTERPRISE:
            return NOTHING
        return region_q(actor, "city", action)

    @property
    def audit_region(self) -> Region:
        return self.city


class LandCase(models.Model):
    """A zero-new-land project on the build-first-check-later track (先建后验, 按需报审, 四（二）)."""

    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="land_case"
    )
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED, db_index=True
    )
    zone = models.CharField("区域（分区）", max_length=50, blank=True)
    added_floor_area = models.DecimalField("新增建筑面积（平方米）", **AREA)
    started_on = models.DateField("开工日期", null=True, blank=True)
    completed_on = models.DateField("竣工日期", null=True, blank=True)
    checked_on = models.DateField("核验日期", null=True, blank=True, db_index=True)
    check_result = models.CharField("核验结果", max_length=10, choices=CheckResult.choices, blank=True)
    check_reason = models.TextField("核验意见（不合格原因）", blank=True)
    checking_unit = models.CharField("核验单位", max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Frozen when the city checks the case 合格: the rates used (row, value and date) and the amounts.
    premium_rate = models.ForeignKey(
        FeeRate,
        verbose_name="所用土地出让金标准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    premium_per_m2 = models.DecimalField("土地出让金标准（元/平方米）", null=True, blank=True, **MONEY)
    premium_valid_from = models.DateField("土地出让金标准执行日期", null=True, blank=True)
    premium_waived = models.DecimalField("免收土地出让金（元）", null=True, blank=True, **MONEY)
    municipal_rate = models.ForeignKey(
        FeeRate,
        verbose_name="所用市政设施配套费标准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipal_per_m2 = models.DecimalField("市政设施配套费标准（元/平方米）", null=True, blank=True, **MONEY)
    municipal_valid_from = models.DateField("市政设施配套费标准执行日期", null=True, blank=True)
    municipal_waived = models.DecimalField("免收市政设施配套费（元）", null=True, blank=True, **MONEY)
    waived_total = models.DecimalField("减免合计（元）", null=True, blank=True, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "零增地项目"
        verbose_name_plural = "零增地项目"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(added_floor_area__gte=0), name="land_case_area_not_negative"),
        ]

    def __str__(self) -> str:
        return f"零增地：{self.project.name}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _land_scope(actor, action, "project__enterprise", "project__enterprise__region")

    @property
    def audit_enterprise_id(self) -> int:
        return self.project.enterprise_id

    @property
    def audit_region(self) -> Region:
        return self.project.enterprise.region


class LandCaseEvent(models.Model):
    """One move of a case: who, when, from, to, comment (the case's history)."""

    case = models.ForeignKey(
        LandCase, verbose_name="零增地项目", on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=30)
    from_status = models.CharField("原状态", max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=CaseStatus.choices)
    comment = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "零增地项目流转记录"
        verbose_name_plural = "零增地项目流转记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"

    @property
    def action_label(self) -> str:
        from .services import LAND_WORKFLOW  # the labels live in the workflow table

        return LAND_WORKFLOW.action_label(self.action)

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _land_scope(actor, action, "case__project__enterprise", "case__project__enterprise__region")


class LandNeed(models.Model):
    """A technical-transformation project's need for new industrial land (m²), for the priority list of
    四（二） 优先工业用地保障. Closed (`met_on`) once the land is supplied."""

    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="land_need"
    )
    area = models.DecimalField("新增用地需求（平方米）", **AREA)
    note = models.TextField("说明", blank=True)
    met_on = models.DateField("已保障日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "用地需求"
        verbose_name_plural = "用地需求"
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(area__gt=0), name="land_need_area_positive")]

    def __str__(self) -> str:
        return f"用地需求：{self.project.name}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        # The priority list is the departments' working list: enterprises do not see it.
        if getattr(actor, "role", None) == Role.ENTERPRISE:
            return NOTHING
        return _land_scope(actor, action, "project__enterprise", "project__enterprise__region")

    @property
    def audit_enterprise_id(self) -> int:
        return self.project.enterprise_id

    @property
    def audit_region(self) -> Region:
        return self.project.enterprise.region
