"""Applications with their frozen calculator result, their review events and attachments."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q

from jigai.accounts.scope import ScopedQuerySet
from jigai.registry.uploads import validate_certificate_file

from ._scope import _application_scope, _via_application
from .choices import (
    MONEY,
    NOT_COUNTED_STATUSES,
    USER,
    Action,
    AppStatus,
    ItemGroup,
    Level,
)
from .guidelines import Guideline


class Application(models.Model):
    """One application of an enterprise for one item of a guideline, for one of its objects (project,
    product, platform or title: separate nullable FKs, exactly one set, so scope and constraints stay
    plain SQL)."""

    tracking_no = models.CharField("申报编号", max_length=30, unique=True, null=True, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="申报企业", on_delete=models.PROTECT, related_name="applications"
    )
    guideline = models.ForeignKey(
        Guideline, verbose_name="申报指南", on_delete=models.PROTECT, related_name="applications"
    )
    year = models.PositiveSmallIntegerField("申报年度", db_index=True)
    item = models.CharField("申报事项", max_length=40)
    item_group = models.CharField("资金类别", max_length=3, choices=ItemGroup.choices, db_index=True)
    project = models.ForeignKey(
        "registry.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "registry.Product",
        verbose_name="产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    platform = models.ForeignKey(
        "registry.Platform",
        verbose_name="平台",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.ForeignKey(
        "registry.Title",
        verbose_name="称号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_amount = models.DecimalField("申请金额（元）", **MONEY)
    declared_other_provincial_support = models.BooleanField(
        "已获省级其他专项资金支持（企业声明）", default=False
    )
    # Set by the province (三, last paragraph: 头雁定额奖励 does not take the one application of the year).
    is_leading_goose_fixed_award = models.BooleanField("头雁企业定额奖励项目", default=False)
    contact_person = models.CharField("申报联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    summary = models.TextField("申报说明", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=AppStatus.choices, default=AppStatus.DRAFT, db_index=True
    )
    # Facts + calculator result frozen on submit: case, result (ceiling, reasons, explanation, schedule),
    # policy version and the guideline's overrides.
    snapshot = models.JSONField("冻结的事实与测算结果", default=dict, blank=True)
    ceiling = models.DecimalField("测算上限（元）", default=0, **MONEY)
    granted_amount = models.DecimalField("安排金额（元）", null=True, blank=True, **MONEY)
    score_avg = models.DecimalField("专家平均分", max_digits=6, decimal_places=2, null=True, blank=True)
    city_rank = models.PositiveSmallIntegerField("市级推荐排序", null=True, blank=True)
    last_comment = models.TextField("最近意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("决策时间", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专项资金申报"
        verbose_name_plural = "专项资金申报"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, product__isnull=True, platform__isnull=True, title__isnull=True)
                    | Q(
                        project__isnull=True, product__isnull=False, platform__isnull=True, title__isnull=True
                    )
                    | Q(
                        project__isnull=True, product__isnull=True, platform__isnull=False, title__isnull=True
                    )
                    | Q(
                        project__isnull=True, product__isnull=True, platform__isnull=True, title__isnull=False
                    )
                ),
                name="application_one_target",
            ),
            # 三（一）…："补助金额最高不超过" — granted never exceeds the frozen ceiling, never negative.
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True)
                | (Q(granted_amount__gte=0) & Q(granted_amount__lte=F("ceiling"))),
                name="application_granted_within_ceiling",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="application_requested_not_negative"
            ),
            # 三, last paragraph: 除“头雁”企业定额奖励项目外，同一企业原则上一个申报年度内只能申请1个项目.
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                condition=Q(is_leading_goose_fixed_award=False) & ~Q(status__in=NOT_COUNTED_STATUSES),
                name="application_one_counted_per_enterprise_year",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no or f"申报草稿 {self.pk}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _application_scope(actor, action)

    @property
    def counts_for_year(self) -> bool:
        return not self.is_leading_goose_fixed_award

    @property
    def target(self) -> Any:
        return self.project or self.product or self.platform or self.title

    @property
    def target_kind(self) -> str:
        for name in ("project", "product", "platform", "title"):
            if getattr(self, f"{name}_id"):
                return name
        return ""


class ReviewEvent(models.Model):
    """One move of an application: who, when, level, from → to, decision, comment. A return for correction
    marks the approvals given before it void (they must be given again)."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        USER, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField("环节", max_length=20, choices=Level.choices)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=AppStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=AppStatus.choices)
    comment = models.TextField("意见", blank=True)
    voided = models.BooleanField("已作废", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申报流转记录"
        verbose_name_plural = "申报流转记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action)


class Attachment(models.Model):
    """A supporting document: type judged by content (PDF/PNG/JPEG), size limited (registry.uploads)."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField("材料名称", max_length=200)
    file = models.FileField(
        "文件", upload_to="funding/attachments/%Y/", validators=[validate_certificate_file]
    )
    content_type = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action)
