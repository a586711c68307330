"""Facts that hold across the whole programme, not inside one application (policy 三, last paragraph):

- `OtherFundAward`: the province's register of awards made from OTHER provincial special funds
  (省级财政其他专项资金), entered or imported from Excel by the province. An application for the same
  enterprise (credit code) and the same project is refused:
  "对同一企业的同一项目，省级财政其他专项资金已支持的，原则上不再重复支持".
- `ClaimFingerprint`: what identifies a claimed document independent of which application claims it — an
  invoice (发票代码 + 发票号码), an insurance policy (保险机构 + 保单号).
  The same fingerprint in two live applications, in any year or item, raises a
  `FingerprintFlag` that blocks the award until a reviewer clears it with a reason.

Part of the jigai.funding.models package (re-exported there), so Django registers them under the funding app.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import NOTHING, ScopedQuerySet, is_active_actor, region_q

from .choices import MONEY, USER


class OtherFundAward(models.Model):
    """One award from another provincial fund, as the province records it (the matching key is the credit
    code plus the project: a registry object when the officer links one, else the project's name)."""

    fund_name = models.CharField("资金名称", max_length=200)
    year = models.PositiveSmallIntegerField("安排年度", db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    enterprise_name = models.CharField("企业名称", max_length=200)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="other_fund_awards",
        null=True,
        blank=True,
    )
    project_name = models.CharField("项目名称", max_length=200)
    # The normalised name (NFKC, no spaces or punctuation, lower case) the matching compares.
    project_key = models.CharField("项目名称（比对用）", max_length=200, db_index=True, editable=False)
    project = models.ForeignKey(
        "registry.Project", verbose_name="对应项目", on_delete=models.SET_NULL, null=True, blank=True
    )
    product = models.ForeignKey(
        "registry.Product", verbose_name="对应产品", on_delete=models.SET_NULL, null=True, blank=True
    )
    platform = models.ForeignKey(
        "registry.Platform", verbose_name="对应平台", on_delete=models.SET_NULL, null=True, blank=True
    )
    title = models.ForeignKey(
        "registry.Title", verbose_name="对应称号", on_delete=models.SET_NULL, null=True, blank=True
    )
    amount = models.DecimalField("安排金额（元）", **MONEY)
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)
    entered_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "其他省级专项资金支持记录"
        verbose_name_plural = verbose_name
        ordering = ["-year", "uscc", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="other_fund_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.fund_name} {self.enterprise_name} {self.project_name}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        """The province keeps the register; county and city reviewers read their region's rows (they check
        applications against it); nobody else."""
        if not is_active_actor(actor):
            return NOTHING
        if actor.role == Role.PROVINCE:
            return Q()
        if actor.role in (Role.COUNTY, Role.CITY) and action == "view":
            return region_q(actor, "enterprise__region", action)
        return NOTHING


class FingerprintKind(models.TextChoices):
    INVOICE = "invoice", "发票（发票代码+号码）"
    INSURANCE_POLICY = "policy", "保单（保险机构+保单号）"


class ClaimFingerprint(models.Model):
    """A document an application's frozen facts claim (written when it is submitted)."""

    application = models.ForeignKey(
        "funding.Application", on_delete=models.CASCADE, related_name="fingerprints", verbose_name="申报"
    )
    kind = models.CharField("类型", max_length=10, choices=FingerprintKind.choices)
    value = models.CharField("标识", max_length=120)
    label = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "申报材料指纹"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["kind", "value"], name="fingerprint_kind_value")]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "value"], name="fingerprint_once_per_app")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class FlagStatus(models.TextChoices):
    OPEN = "open", "待核查"
    CLEARED = "cleared", "已核查排除"


class FingerprintFlag(models.Model):
    """The same invoice (or serial) claimed by two applications: the later one is flagged; its award is
    blocked until a reviewer clears the flag with a reason."""

    application = models.ForeignKey(
        "funding.Application", on_delete=models.CASCADE, related_name="flags", verbose_name="申报"
    )
    other_application = models.ForeignKey(
        "funding.Application",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="已申报的其他申报",
    )
    kind = models.CharField("类型", max_length=10, choices=FingerprintKind.choices)
    value = models.CharField("标识", max_length=120)
    label = models.CharField("说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    cleared_by = models.ForeignKey(
        USER, verbose_name="核查人", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    cleared_at = models.DateTimeField("核查时间", null=True, blank=True)
    reason = models.TextField("核查意见", blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "重复申报疑点"
        verbose_name_plural = verbose_name
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "other_application", "kind", "value"], name="flag_once"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(cleared_by__isnull=False) & ~Q(reason="")),
                name="flag_cleared_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    # The reviewers who see the flags (of the applications they reach); the enterprise never does.
    ROLES = (Role.COUNTY, Role.CITY, Role.PROVINCE)

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        """Reviewers reach the flags of the applications they reach; the enterprise never sees them."""
        from .applications import Application

        if not is_active_actor(actor) or actor.role not in cls.ROLES:
            return NOTHING
        reachable = Application.objects.filter(Application.scope_q(actor, action)).values("pk")
        return Q(application__in=reachable)
