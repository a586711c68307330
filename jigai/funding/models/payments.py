"""Payment by stage, entered by one finance user and confirmed by another."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import F, Q

from jigai.accounts.scope import ScopedQuerySet
from jigai.registry.uploads import validate_certificate_file

from ._scope import _via_application
from .applications import Application
from .choices import MONEY, USER, PaymentStatus, stage_label


class PaymentStage(models.Model):
    """A stage of the payment schedule, from the frozen calculator stages scaled to the granted amount."""

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="payment_stages"
    )
    stage = models.CharField("拨付阶段", max_length=30)
    sequence = models.PositiveSmallIntegerField("顺序")
    planned_amount = models.DecimalField("计划拨付（元）", **MONEY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "拨付阶段"
        verbose_name_plural = "拨付阶段"
        ordering = ["application", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="stage_once_per_application"),
            models.CheckConstraint(condition=Q(planned_amount__gte=0), name="stage_planned_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.label}"

    @property
    def label(self) -> str:
        return stage_label(self.stage)

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action)


RECEIPT_EXTENSIONS = {"PDF": "pdf", "PNG": "png", "JPEG": "jpg"}


def receipt_path(instance: Any, filename: str) -> str:
    """A server-chosen name for a bank receipt (回单): never the uploader's file name, which may carry a
    path, markup or someone's name; the extension follows the type sniffed from the content."""
    from django.utils import timezone

    ext = RECEIPT_EXTENSIONS.get(getattr(instance, "receipt_type", "") or "", "bin")
    return f"funding/receipts/{timezone.localdate():%Y}/receipt-{uuid.uuid4().hex}.{ext}"


def mask_account(account: str) -> str:
    """The first four and the last four digits only: 6222021234567890123 → "6222 **** **** 0123"."""
    account = account or ""
    if len(account) <= 8:
        return "*" * len(account)
    return f"{account[:4]} **** **** {account[-4:]}"


class Payment(models.Model):
    """A payment of a stage: entered by one finance user, confirmed by another (maker-checker)."""

    stage = models.ForeignKey(
        PaymentStage, verbose_name="拨付阶段", on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField("拨付日期")
    amount = models.DecimalField("金额（元）", **MONEY)
    voucher_no = models.CharField("凭证号", max_length=60)
    status = models.CharField(
        "状态", max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.ENTERED, db_index=True
    )
    entered_by = models.ForeignKey(USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name="复核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("复核时间", null=True, blank=True)
    # The payee's account, entered by finance with the payment (the account the money went to).
    payee_name = models.CharField("收款单位", max_length=200, blank=True)
    payee_bank = models.CharField("开户银行", max_length=100, blank=True)
    payee_account = models.CharField("银行账号", max_length=32, blank=True)
    # The bank's receipt (回单), attached by the checker when confirming.
    receipt = models.FileField(
        "银行回单", upload_to=receipt_path, blank=True, validators=[validate_certificate_file]
    )
    receipt_type = models.CharField("回单文件类型", max_length=10, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "拨付记录"
        verbose_name_plural = "拨付记录"
        ordering = ["stage", "entered_at", "id"]
        constraints = [
            # A stage is paid once: a repeated or concurrent confirmation cannot record a second payment.
            models.UniqueConstraint(
                fields=["stage"], condition=Q(status="confirmed"), name="payment_one_confirmed_per_stage"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Maker-checker: the confirmer is never the person who entered it.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("entered_by")),
                name="payment_maker_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.amount}"

    @property
    def payee_account_masked(self) -> str:
        return mask_account(self.payee_account)

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _via_application(actor, action, "stage__application")
