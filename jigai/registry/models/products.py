"""First-set equipment and first-version software products (首台（套）/首版次, policy 三（二）): their
recognitions, insurance policies and periods, and sales invoices."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.scope import ScopedQuerySet
from jigai.core.uploads import ServerNamedUpload

from ..uploads import validate_certificate_file
from ._scope import _BelongsToEnterprise, _enterprise_scope
from .choices import MONEY, ProductKind, RecognitionLevel
from .enterprises import Enterprise


class Product(models.Model):
    """A first-set equipment (首台（套）) or first-version software (首版次) product, policy 三（二）."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="products"
    )
    kind = models.CharField("产品类型", max_length=20, choices=ProductKind.choices)
    name = models.CharField("产品名称", max_length=200)
    model_spec = models.CharField("型号规格", max_length=100, blank=True)
    description = models.TextField("产品说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "首台（套）/首版次产品"
        verbose_name_plural = "首台（套）/首版次产品"
        ordering = ["enterprise", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")


class ProductRecognition(_BelongsToEnterprise, models.Model):
    """A recognition (认定) of a product, national or provincial, with its date."""

    enterprise_via = ("product",)

    product = models.ForeignKey(
        Product, verbose_name="产品", on_delete=models.CASCADE, related_name="recognitions"
    )
    level = models.CharField("认定级别", max_length=12, choices=RecognitionLevel.choices)
    recognized_on = models.DateField("认定日期")
    document_no = models.CharField("认定文号", max_length=100, blank=True)
    certificate = models.FileField(
        "认定文件",
        upload_to=ServerNamedUpload("registry/recognitions/%Y/"),
        blank=True,
        validators=[validate_certificate_file],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "产品认定"
        verbose_name_plural = "产品认定"
        ordering = ["product", "recognized_on"]
        constraints = [models.UniqueConstraint(fields=["product", "level"], name="recognition_one_per_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.recognized_on}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "product__enterprise")


class InsurancePolicy(_BelongsToEnterprise, models.Model):
    """An insurance policy of a product (保单) with its insured amount; its periods carry the premiums."""

    enterprise_via = ("product",)

    product = models.ForeignKey(
        Product, verbose_name="产品", on_delete=models.CASCADE, related_name="insurance_policies"
    )
    insurer = models.CharField("保险机构", max_length=100, blank=True)
    policy_number = models.CharField("保单号", max_length=100, blank=True)
    insured_amount = models.DecimalField("保险金额（元）", **MONEY)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保单"
        verbose_name_plural = "保单"
        ordering = ["product", "created_at", "id"]

    def __str__(self) -> str:
        return self.policy_number or f"保单 {self.pk}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "product__enterprise")


class InsurancePeriod(_BelongsToEnterprise, models.Model):
    """One insurance period (保险期间): start, length in months, premium paid."""

    enterprise_via = (
        "policy",
        "product",
    )

    policy = models.ForeignKey(
        InsurancePolicy, verbose_name="保单", on_delete=models.CASCADE, related_name="periods"
    )
    start = models.DateField("起保日期")
    months = models.PositiveSmallIntegerField("期限（月）")
    premium = models.DecimalField("保费（元）", **MONEY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保险期间"
        verbose_name_plural = "保险期间"
        ordering = ["policy", "start", "id"]
        constraints = [models.CheckConstraint(condition=Q(months__gte=1), name="period_months_positive")]

    def __str__(self) -> str:
        return f"{self.start} 起 {self.months} 个月"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "policy__product__enterprise")


class SalesInvoice(_BelongsToEnterprise, models.Model):
    """A sales (service) invoice of a product (销售发票)."""

    enterprise_via = ("product",)

    product = models.ForeignKey(
        Product, verbose_name="产品", on_delete=models.CASCADE, related_name="invoices"
    )
    # 发票代码 + 发票号码 identify an invoice nationally (the fingerprint of a claim); the code is blank on
    # fully digital invoices (全电发票), whose 20-digit number stands alone.
    code = models.CharField("发票代码", max_length=20, blank=True)
    number = models.CharField("发票号码", max_length=50)
    invoice_date = models.DateField("开票日期")
    amount = models.DecimalField("金额（元）", **MONEY)
    buyer = models.CharField("购买方", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "销售发票"
        verbose_name_plural = "销售发票"
        ordering = ["product", "invoice_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code", "number"], name="invoice_code_number_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "product__enterprise")
