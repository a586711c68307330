"""Payment by stage (design.md flow 7): the schedule comes from the frozen calculator stages scaled to the
granted amount; a finance user enters a payment, a different one confirms it (maker-checker); a stage is
paid once and payments never exceed the granted amount."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.core.money import wan_yuan
from jigai.registry.uploads import MAX_UPLOAD_BYTES, sniff_type

from ..models import Application, AppStatus, Payment, PaymentStage, PaymentStatus
from ._common import (
    Conflict,
    DomainError,
    NotFound,
    application_url,
    audit,
    enterprise_users,
    inform,
    lock_application,
    role_users,
)
from .allocation import whole_yuan

ZERO = Decimal("0")
INSURANCE_ITEMS = frozenset({"3.2.1-insurance", "3.2.2-insurance"})
# 三（三）1: 列入培育名单的创新中心 "以项目建成后补助方式".
AFTER_COMPLETION_ITEMS = frozenset({"3.3.1-cultivation"})


def _weights_from_snapshot(application: Application) -> list[tuple[str, Decimal]]:
    """The stages of the frozen result with their amounts (the weights the granted amount is split by)."""
    snapshot = application.snapshot or {}
    result = snapshot.get("result", {})
    item = application.item
    if item in INSURANCE_ITEMS:
        years = _insurance_years(snapshot)
        if years:
            return years
    stages = [(s["stage"], Decimal(str(s["amount"]))) for s in result.get("schedule", []) if s.get("amount")]
    if not stages:
        stages = [("on_approval", application.ceiling)]
    if item in AFTER_COMPLETION_ITEMS:
        stages = [("after_completion" if st == "on_approval" else st, amt) for st, amt in stages]
    return stages


def _insurance_years(snapshot: dict[str, Any]) -> list[tuple[str, Decimal]]:
    """Premium subsidies are paid by insurance year (三（二）: 保费补贴时间按照保险期限据实核算): one stage
    per insured period that counts, weighted by what that period adds to the subsidy. The engine itself
    says so: the frozen case is evaluated on the first k periods, k = 1 … n (same parameters, same
    overrides), and period k weighs amount(k) − amount(k − 1). No policy number is repeated here."""
    from jigai.policy import evaluate_request

    case = snapshot.get("case") or {}
    periods = (case.get("facts") or {}).get("periods") or []
    if len(periods) < 2:
        return []
    amounts = []
    for k in range(1, len(periods) + 1):
        # One request per prefix: in one request the engine's one-per-year rule would void the later cases.
        prefix = {**case, "facts": {**case["facts"], "periods": periods[:k]}}
        response = evaluate_request(
            {"cases": [prefix], "explain": False},
            overrides=snapshot.get("overrides") or None,
            # the round the overrides belong to (a snapshot from before it was recorded: the case's year)
            round_year=snapshot.get("round_year") or int(str(case.get("as_of") or "0")[:4] or 0) or None,
        )
        amounts.append(Decimal(str(response["results"][0].get("amount", "0"))))
    weights, before = [], ZERO
    for k, amount in enumerate(amounts, start=1):
        if amount - before > 0:
            weights.append((f"insurance_year_{k}", amount - before))
        before = amount
    return weights


def payment_schedule(application: Application) -> list[tuple[str, Decimal]]:
    """(stage, planned amount) scaled to the granted amount: each stage truncated to whole yuan, the last
    one takes the remainder so the plan adds up to the granted amount exactly."""
    granted = application.granted_amount or ZERO
    weights = _weights_from_snapshot(application)
    total = sum((w for _, w in weights), ZERO)
    if granted <= 0 or total <= 0:
        return []
    plan: list[tuple[str, Decimal]] = []
    given = ZERO
    for i, (stage, weight) in enumerate(weights):
        amount = granted - given if i == len(weights) - 1 else whole_yuan(granted * weight / total)
        plan.append((stage, amount))
        given += amount
    return plan


def create_stages(application: Application) -> list[PaymentStage]:
    """Called when the award becomes final (notice_finalize)."""
    PaymentStage.objects.filter(application=application, payments__isnull=True).delete()
    return [
        PaymentStage.objects.get_or_create(
            application=application, stage=stage, defaults={"sequence": i, "planned_amount": amount}
        )[0]
        for i, (stage, amount) in enumerate(payment_schedule(application), start=1)
    ]


def _paid_total(application: Application, *, statuses: tuple[str, ...]) -> Decimal:
    return (
        Payment.objects.filter(stage__application=application, status__in=statuses).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )


def _scoped_stage(actor: Any, stage: PaymentStage) -> PaymentStage:
    found = PaymentStage.objects.restrict(actor, "change").filter(pk=stage.pk).first()
    if found is None:
        raise NotFound("未找到该拨付阶段，或您无权查看。")
    return found


def _check_paid_on_after_decision(app: Application, paid_on: dt.date) -> None:
    """Money is paid only after the province decided the award (design.md flow 7: 决策 → 公示 → 拨付): a
    payment dated before the day of the decision (Asia/Shanghai) is refused; an award without a recorded
    decision cannot be paid at all."""
    if app.decided_at is None:
        raise Conflict("该项目没有资金安排决策记录，不能拨付。", code="not_decided")
    decided_on = timezone.localdate(app.decided_at)
    if paid_on < decided_on:
        raise DomainError(
            f"拨付日期不能早于资金安排决策日期（{decided_on:%Y-%m-%d}）。",
            field="paid_on",
            code="paid_before_decision",
        )


_ACCOUNT_SEPARATORS = re.compile(r"[\s-]+")


def clean_payee(*, name: str, bank: str, account: str) -> tuple[str, str, str]:
    """The payee's account as entered: name and bank trimmed; the account number without the spaces and
    dashes people type, 8 to 32 digits (a corporate account, 对公账户, is all digits). All three are required
    for every payment (issue 9: a payment record carries the account the money went to)."""
    name, bank = (name or "").strip(), (bank or "").strip()
    account = _ACCOUNT_SEPARATORS.sub("", account or "")
    if not name:
        raise DomainError("请填写收款单位。", field="payee_name", code="payee_required")
    if not bank:
        raise DomainError("请填写开户银行。", field="payee_bank", code="payee_required")
    if not account:
        raise DomainError("请填写银行账号。", field="payee_account", code="payee_required")
    if not account.isdigit() or not 8 <= len(account) <= 32:
        raise DomainError("银行账号应为 8 至 32 位数字（可含空格或短横线分隔）。", field="payee_account")
    return name[:200], bank[:100], account


def payee_defaults(stage: PaymentStage) -> dict[str, str]:
    """The account the system already holds for the payee of `stage`, to prefill the payment form: the
    latest payment of the same award, else the account the enterprise gave for 免申即享 (ProactiveAward of
    this award, else its latest one), else the latest payment to the same enterprise; at least the
    enterprise's name as 收款单位. Finance checks it and may change it."""
    from ..models import ProactiveAward

    app = stage.application
    earlier = (
        Payment.objects.filter(stage__application=app.pk)
        .exclude(payee_account="")
        .order_by("-entered_at", "-pk")
        .first()
    )
    if earlier is None:
        award = (
            ProactiveAward.objects.filter(match__enterprise=app.enterprise_id)
            .exclude(bank_account="")
            .order_by(models.Case(models.When(application=app.pk, then=0), default=1), "-created_at", "-pk")
            .first()
        )
        if award is not None:
            return {
                "payee_name": award.payee_name or app.enterprise.name,
                "payee_bank": award.bank_name,
                "payee_account": award.bank_account,
            }
        earlier = (
            Payment.objects.filter(stage__application__enterprise=app.enterprise_id)
            .exclude(payee_account="")
            .order_by("-entered_at", "-pk")
            .first()
        )
    if earlier is not None:
        return {
            "payee_name": earlier.payee_name,
            "payee_bank": earlier.payee_bank,
            "payee_account": earlier.payee_account,
        }
    return {"payee_name": app.enterprise.name, "payee_bank": "", "payee_account": ""}


def enter_refusal(stage: PaymentStage) -> DomainError | None:
    """Why no payment can be entered for `stage` now (None when one can): the award is final and decided,
    the stage is due (三（三）2: 平台通过验收后再给予 60%), the stages are paid in their order (先……再……),
    and the stage is neither paid nor waiting for the checker. payment_enter raises it (under the award's
    lock); the payment pages show the 录入拨付 button disabled with the same message."""
    app = stage.application
    if app.status != AppStatus.AWARDED:
        return Conflict("只有已立项（公示期满确定）的项目可以拨付。", code="not_awarded")
    if app.decided_at is None:
        return Conflict("该项目没有资金安排决策记录，不能拨付。", code="not_decided")
    if stage.stage == "after_acceptance" and app.platform_id and not app.platform.accepted_on:
        return DomainError(
            "平台尚未通过验收，不能拨付验收后资金（三（三）2）。", field="stage", code="not_due"
        )
    payments = Payment.objects.filter(stage=stage)
    if payments.filter(status=PaymentStatus.CONFIRMED).exists():
        return Conflict("该阶段已拨付，不能重复拨付。", code="stage_paid")
    if payments.filter(status=PaymentStatus.ENTERED).exists():
        return Conflict("该阶段已有待复核的拨付记录，请先复核或作废。", code="stage_pending")
    before = (
        PaymentStage.objects.filter(application=app.pk, sequence__lt=stage.sequence)
        .exclude(payments__status=PaymentStatus.CONFIRMED)
        .order_by("sequence")
        .first()
    )
    if before is not None:
        return Conflict(f"上一阶段（{before.label}）尚未复核拨付，不能先拨付本阶段。", code="earlier_unpaid")
    return None


def confirm_refusal(*, actor: Any, payment: Payment) -> DomainError | None:
    """Why `actor` cannot confirm `payment` now (None when they can): it is confirmed or voided already, or
    the actor entered it (maker-checker: 录入与复核须由不同人员办理). payment_confirm raises it under the
    payment's lock; the payment list shows the 复核确认 button disabled with the same message."""
    if payment.status == PaymentStatus.CONFIRMED:
        return Conflict("该笔拨付已复核确认，不能重复确认。", code="repeated")
    if payment.status != PaymentStatus.ENTERED:
        return Conflict("该笔拨付已作废。", code="cancelled")
    if payment.entered_by_id == actor.pk:
        return DomainError("录入与复核须由不同人员办理：您不能复核自己录入的拨付。", code="maker_checker")
    return None


def payment_enter(
    *,
    actor: Any,
    stage: PaymentStage,
    paid_on: dt.date | None,
    amount: Any,
    voucher_no: str,
    payee_name: str,
    payee_bank: str,
    payee_account: str,
) -> Payment:
    """A finance user (only finance: the province decides, it does not pay) records a payment of one stage,
    dated between the day of the decision and today, with the payee's account, for the checker to confirm."""
    require(actor, "payment.enter")
    payee_name, payee_bank, payee_account = clean_payee(
        name=payee_name, bank=payee_bank, account=payee_account
    )
    voucher_no = (voucher_no or "").strip()
    if paid_on is None:
        raise DomainError("请填写拨付日期。", field="paid_on")
    if paid_on > timezone.localdate():
        raise DomainError("拨付日期不能晚于今天。", field="paid_on", code="paid_in_future")
    try:
        amount = Decimal(str(amount).replace(",", ""))
    except InvalidOperation:
        raise DomainError("金额须为数字（元）。", field="amount") from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError("金额须为正数，最多两位小数（元）。", field="amount")
    if not voucher_no:
        raise DomainError("请填写凭证号。", field="voucher_no")
    with transaction.atomic():
        stage = _scoped_stage(actor, stage)
        app = lock_application(stage.application_id)  # serialises every payment of one award
        stage.application = app
        refusal = enter_refusal(stage)
        if refusal is not None:
            raise refusal
        _check_paid_on_after_decision(app, paid_on)
        if amount > stage.planned_amount:
            raise DomainError(f"金额超过该阶段计划拨付 {wan_yuan(stage.planned_amount)}。", field="amount")
        committed = _paid_total(app, statuses=(PaymentStatus.CONFIRMED, PaymentStatus.ENTERED))
        if committed + amount > (app.granted_amount or ZERO):
            raise DomainError(
                f"累计拨付不能超过安排金额 {wan_yuan(app.granted_amount or ZERO)}。", field="amount"
            )
        payment = Payment.objects.create(
            stage=stage,
            paid_on=paid_on,
            amount=amount,
            voucher_no=voucher_no,
            entered_by=actor,
            payee_name=payee_name,
            payee_bank=payee_bank,
            payee_account=payee_account,
        )
        audit(
            actor=actor,
            action="pay",
            obj=app,
            # the account number stays out of the trail's text beyond its masked form
            after={
                "stage": stage.stage,
                "amount": amount,
                "voucher_no": voucher_no,
                "payment": payment.pk,
                "payee_name": payee_name,
                "payee_account": payment.payee_account_masked,
            },
            comment="录入拨付，待复核",
        )
        inform(
            recipients=[u for u in role_users(Role.FINANCE) if u.pk != actor.pk],
            kind="payment_entered",
            title=f"拨付待复核：{app.tracking_no}",
            body=f"{stage.label} {wan_yuan(amount)}，凭证号 {voucher_no}。",
            url=application_url(app),
        )
    return payment


def _receipt_type(receipt: Any) -> str:
    """The 回单's type judged by its content (PDF/PNG/JPEG), at most 10 MB (registry.uploads)."""
    if receipt.size > MAX_UPLOAD_BYTES:
        raise DomainError("回单文件过大：不能超过 10 MB。", field="receipt")
    if receipt.size == 0:
        raise DomainError("回单文件为空，请重新选择。", field="receipt")
    receipt.seek(0)
    kind = sniff_type(receipt.read(8))
    receipt.seek(0)
    if kind is None:
        raise DomainError(
            "回单格式不正确：只接受 PDF、PNG 或 JPEG 格式的文件（按文件内容判断，改扩展名无效）。",
            field="receipt",
        )
    return kind


def payment_confirm(*, actor: Any, payment: Payment, receipt: Any = None) -> Payment:
    """The checker confirms: never the person who entered it; a stage is confirmed once, whatever races.
    The bank's receipt (回单), when given, is stored with the payment under a server-chosen name."""
    require(actor, "payment.confirm")
    kind = _receipt_type(receipt) if receipt is not None else ""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().filter(pk=payment.pk).first()
        if locked is None or not Payment.objects.restrict(actor, "change").filter(pk=payment.pk).exists():
            raise NotFound("未找到该拨付记录，或您无权查看。")
        refusal = confirm_refusal(actor=actor, payment=locked)
        if refusal is not None:
            raise refusal
        app = lock_application(locked.stage.application_id)
        confirmed = _paid_total(app, statuses=(PaymentStatus.CONFIRMED,))
        if confirmed + locked.amount > (app.granted_amount or ZERO):
            raise DomainError(f"累计拨付不能超过安排金额 {wan_yuan(app.granted_amount or ZERO)}。")
        locked.status = PaymentStatus.CONFIRMED
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        fields = ["status", "confirmed_by", "confirmed_at"]
        if receipt is not None:
            locked.receipt_type = kind
            locked.receipt.save("receipt", receipt, save=False)  # receipt_path chooses the name
            fields += ["receipt", "receipt_type"]
        try:
            with transaction.atomic():
                locked.save(update_fields=fields)
        except IntegrityError:
            if receipt is not None:
                locked.receipt.delete(save=False)
            raise Conflict("该阶段已拨付，不能重复拨付。", code="stage_paid") from None
        audit(
            actor=actor,
            action="confirm",
            obj=app,
            after={
                "payment": locked.pk,
                "stage": locked.stage.stage,
                "amount": locked.amount,
                "receipt": kind or "",
            },
            comment="复核确认拨付" + ("，附银行回单" if kind else ""),
        )
        inform(
            recipients=enterprise_users(app),
            kind="payment_confirmed",
            title=f"资金已拨付：{app.tracking_no}",
            body=f"{locked.stage.label} {wan_yuan(locked.amount)}已于 {locked.paid_on:%Y-%m-%d} 拨付。",
            url=application_url(app),
        )
    return locked


def payment_cancel(*, actor: Any, payment: Payment, reason: str) -> Payment:
    """The checker sends an entered payment back (wrong amount, wrong voucher): it is voided, not deleted."""
    require(actor, "payment.confirm")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写作废理由。", field="reason")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().filter(pk=payment.pk).first()
        if locked is None or not Payment.objects.restrict(actor, "change").filter(pk=payment.pk).exists():
            raise NotFound("未找到该拨付记录，或您无权查看。")
        if locked.status != PaymentStatus.ENTERED:
            raise Conflict("只有待复核的拨付可以作废。")
        locked.status = PaymentStatus.CANCELLED
        locked.save(update_fields=["status"])
        audit(
            actor=actor,
            action="cancel",
            obj=locked.stage.application,
            after={"payment": locked.pk},
            comment=f"作废拨付记录：{reason}",
        )
    return locked
