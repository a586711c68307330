"""Applications: preview of the ceiling, drafts, attachments and submission with every refusal rule.

Facts come from the object itself (jigai.registry.facts.calculator_case), the guideline's overrides are
applied, and the calculator's result is frozen on submit. Refusals carry the rule's reason in Chinese.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.core.money import wan_yuan
from jigai.core.phone import validate_phone
from jigai.registry.uploads import MAX_UPLOAD_BYTES, sniff_type

from .. import calc
from ..models import (
    NOT_COUNTED_STATUSES,
    Action,
    Application,
    AppStatus,
    Attachment,
    Guideline,
    GuidelineStatus,
    item_group_of,
)
from . import programme
from ._common import (
    Conflict,
    DomainError,
    application_url,
    audit,
    enterprise_users,
    inform,
    lock_application,
    record_event,
    reviewers_of,
    snapshot,
)
from .workflow import APPLICATION_WORKFLOW

# 三, last paragraph (the policy's own words, shown to the user with the refusal).
ONE_PER_YEAR_RULE = (
    "除“头雁”企业定额奖励项目外，同一企业原则上一个申报年度内只能申请1个制造业高质量发展专项资金项目"
    "（政策三，末段）"
)
ALREADY_SUPPORTED_RULE = (
    "对同一企业的同一项目，省级财政其他专项资金已支持的，原则上不再重复支持（政策三，末段）"
)
LOCAL_TZ = dt.timezone(dt.timedelta(hours=8))
TARGET_FIELDS = ("project", "product", "platform", "title")
YUAN = Decimal("1")


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def one_per_year_message(year: int, other: Application | None) -> str:
    which = f"（已有申报 {other.tracking_no}）" if other is not None and other.tracking_no else ""
    return f"不能提交：{ONE_PER_YEAR_RULE}。贵企业{year}年度已申报{which}。"


def _enterprise_of(actor: Any) -> Any:
    if actor.role != Role.ENTERPRISE or actor.enterprise_id is None:
        raise DomainError("只有企业用户可以申报。", code="permission_denied")
    return actor.enterprise


def _target_kind(obj: Any) -> str:
    name = obj._meta.model_name
    if name not in TARGET_FIELDS:
        raise DomainError("申报对象须为项目、产品、平台或称号。", field="target")
    return name


def _check_item_open(guideline: Guideline, item: str) -> None:
    if item not in (guideline.items or []):
        raise DomainError(
            f"本指南未开放“{calc.item_label(item)}”事项的申报。", field="item", code="item_not_open"
        )


def _check_target(enterprise: Any, item: str, obj: Any) -> str:
    kind = _target_kind(obj)
    if obj.enterprise_id != enterprise.pk:
        raise DomainError(not_own_message(kind), field="target", code="not_own_object")
    if calc.TARGET_OF_GROUP.get(item_group_of(item)) != kind or item not in calc.items_for(obj):
        raise DomainError(
            f"所选{calc.TARGET_LABELS[kind]}不能申报“{calc.item_label(item)}”，请选择与事项相符的对象。",
            field="target",
            code="item_mismatch",
        )
    return kind


def _check_window(guideline: Guideline, now: dt.datetime) -> None:
    if guideline.status != GuidelineStatus.PUBLISHED:
        raise DomainError("该申报指南未发布或已结束，不能申报。", code="outside_window")
    if not guideline.opens_at <= now <= guideline.closes_at:
        opens = timezone.localtime(guideline.opens_at).strftime("%Y-%m-%d %H:%M")
        closes = timezone.localtime(guideline.closes_at).strftime("%Y-%m-%d %H:%M")
        raise DomainError(f"不在申报时间内：本指南申报时间为 {opens} 至 {closes}。", code="outside_window")


def _money(value: Any, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise DomainError(f"{label}须为金额（元）。", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(f"{label}不能为负数。", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(f"{label}最多两位小数（元）。", field=field)
    return amount


def _programme_refusals(
    *, enterprise: Any, guideline: Guideline, item: str, target: Any, as_of: dt.date, exclude_pk: int | None
) -> tuple[list[programme.Refusal], bool]:
    """The refusals of the rules that hold across applications, years and funds, and whether the 头雁
    exception applies (三 末段)."""
    refusals: list[programme.Refusal] = []
    goose = programme.leading_goose_exception(
        enterprise=enterprise, guideline=guideline, item=item, as_of=as_of
    )
    if not goose:
        other = _one_per_year_conflict(
            enterprise_id=enterprise.pk, year=guideline.year, exclude_pk=exclude_pk
        )
        if other is not None:
            refusals.append(programme.Refusal("one_per_year", one_per_year_message(guideline.year, other)))
    prior = programme.prior_support_refusal(
        enterprise=enterprise, target=target, item=item, exclude_pk=exclude_pk
    )
    if prior is not None:
        refusals.append(prior)
    return refusals, goose


def application_preview(
    *,
    actor: Any,
    guideline: Guideline,
    item: str,
    target: Any,
    declared_other_provincial_support: bool = False,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """What the calculator gives this object under this round (nothing is saved): the ceiling and its
    explanation, and every rule across applications that would refuse the submission, shown before the
    enterprise submits."""
    enterprise = _enterprise_of(actor)
    _check_item_open(guideline, item)
    _check_target(enterprise, item, target)
    as_of = as_of or _local_date(timezone.now())
    refusals, _goose = _programme_refusals(
        enterprise=enterprise, guideline=guideline, item=item, target=target, as_of=as_of, exclude_pk=None
    )
    evaluated = calc.evaluate(
        obj=target,
        item=item,
        as_of=as_of,
        other_provincial_support=declared_other_provincial_support,
        overrides=guideline.parameter_overrides,
        round_year=guideline.year,
        annual_cap_used=programme.annual_cap_used(
            enterprise_id=enterprise.pk, year=guideline.year, item=item
        ),
    )
    evaluated["refusals"] = [r.message for r in refusals]
    evaluated["ceiling"] = calc.ceiling_of(evaluated["result"])
    return evaluated


def application_create_draft(
    *,
    actor: Any,
    guideline: Guideline,
    item: str,
    target: Any,
    requested_amount: Any = None,
    declared_other_provincial_support: bool = False,
    contact_person: str = "",
    contact_phone: str = "",
    summary: str = "",
) -> Application:
    require(actor, "application.submit")
    enterprise = _enterprise_of(actor)
    if guideline.status != GuidelineStatus.PUBLISHED:
        raise DomainError("该申报指南未发布或已结束，不能申报。", field="guideline")
    if timezone.now() > guideline.closes_at:
        raise DomainError("本指南申报已截止。", field="guideline", code="outside_window")
    _check_item_open(guideline, item)
    kind = _check_target(enterprise, item, target)
    requested = _money(requested_amount, "requested_amount", "申请金额")
    phone = validate_phone(contact_phone)
    with transaction.atomic():
        application = Application(
            enterprise=enterprise,
            guideline=guideline,
            year=guideline.year,
            item=item,
            item_group=item_group_of(item),
            requested_amount=requested if requested is not None else Decimal("0"),
            declared_other_provincial_support=declared_other_provincial_support,
            contact_person=contact_person.strip() or enterprise.contact_person,
            contact_phone=phone or enterprise.contact_phone,
            summary=summary,
            created_by=actor,
            **{kind: target},
        )
        application.save()
        application.tracking_no = tracking_number(application)
        application.save(update_fields=["tracking_no"])
        audit(actor=actor, action="create", obj=application, after=snapshot(application))
    return application


def tracking_number(application: Application) -> str:
    """JG<year>-<city code>-<5-digit serial>, e.g. JG2026-410100-00042 (the serial is the row id: unique
    without a counter that two submissions could race for)."""
    parts = application.enterprise.region.path.split("/")
    city = parts[1] if len(parts) > 1 else parts[0]
    return f"JG{application.year}-{city}-{application.pk:05d}"


def application_update_draft(*, actor: Any, application: Application, data: dict[str, Any]) -> Application:
    """Change a draft, or an application returned for correction (补正), before (re)submitting it. A save that
    changes nothing writes nothing — neither the row nor an audit record (there is no change to record); a
    save that changes something writes only the changed columns and one audit record with both states."""
    require(actor, "application.submit")
    if actor.role != Role.ENTERPRISE or actor.enterprise_id is None:
        raise DomainError("只有企业用户可以申报。", code="permission_denied")
    with transaction.atomic():
        # the gate: own enterprise only; the region is the audit record's
        app = lock_application(application.pk, actor=actor, related=("enterprise__region",))
        if app.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
            raise Conflict("申报已提交，不能修改。")
        before = snapshot(app)
        fields = [f for f in app._meta.concrete_fields if not f.primary_key]
        original = {f.attname: getattr(app, f.attname) for f in fields}
        if "requested_amount" in data:
            requested = _money(data["requested_amount"], "requested_amount", "申请金额")
            app.requested_amount = requested if requested is not None else Decimal("0")
        for field in ("contact_person", "contact_phone", "summary"):
            if field in data:
                setattr(app, field, str(data[field] or "").strip())
        if "contact_phone" in data:
            app.contact_phone = validate_phone(app.contact_phone)
        if "declared_other_provincial_support" in data:
            app.declared_other_provincial_support = bool(data["declared_other_provincial_support"])
        if "target" in data and data["target"] is not None:
            kind = _check_target(_enterprise_of(actor), app.item, data["target"])
            for name in TARGET_FIELDS:
                setattr(app, name, data["target"] if name == kind else None)
        changed = [f.name for f in fields if getattr(app, f.attname) != original[f.attname]]
        if not changed:
            return app
        app.save(update_fields=[*changed, "updated_at"])
        audit(actor=actor, action="update", obj=app, before=before, after=snapshot(app))
    return app


def _one_per_year_conflict(*, enterprise_id: int, year: int, exclude_pk: int | None) -> Application | None:
    """The enterprise's other counted application of the year (the 头雁 fixed awards do not count)."""
    found = (
        Application.objects.filter(enterprise_id=enterprise_id, year=year, is_leading_goose_fixed_award=False)
        .exclude(status__in=NOT_COUNTED_STATUSES)
        .order_by("pk")
    )
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.first()


def application_submit(*, actor: Any, application: Application) -> Application:
    """Submit (or resubmit after 补正): every rule is checked, the facts and the calculator's result are
    frozen, the county is told. Refusals say which rule and why."""
    require(actor, "application.submit")
    enterprise = _enterprise_of(actor)
    with transaction.atomic():
        app = lock_application(application.pk, actor=actor)  # the gate: own enterprise only
        try:  # the workflow table decides whether the move exists
            submit_move = APPLICATION_WORKFLOW.check(state=app.status, role=actor.role, action=Action.SUBMIT)
        except Conflict:
            raise Conflict(
                f"该申报当前为“{app.get_status_display()}”，不能重复提交。", code="repeated"
            ) from None
        guideline = app.guideline
        now = timezone.now()
        _check_window(guideline, now)
        _check_item_open(guideline, app.item)
        target = app.target
        _check_target(enterprise, app.item, target)
        # One enterprise's money decisions one at a time: a second submission of the same enterprise waits
        # here and then sees this one (one a year, prior support, the annual cap).
        programme.lock_enterprise(enterprise.pk)
        as_of = _local_date(now)
        if app.declared_other_provincial_support:
            raise DomainError(
                f"不能提交：{ALREADY_SUPPORTED_RULE}。贵企业声明该{calc.TARGET_LABELS[app.target_kind]}已获省级财政其他专项资金支持。",
                field="declared_other_provincial_support",
                code="already_supported",
            )
        refusals, goose = _programme_refusals(
            enterprise=enterprise,
            guideline=guideline,
            item=app.item,
            target=target,
            as_of=as_of,
            exclude_pk=app.pk,
        )
        if refusals:
            raise refusals[0].error()
        cap_used = programme.annual_cap_used(
            enterprise_id=enterprise.pk, year=app.year, item=app.item, exclude_pk=app.pk
        )
        evaluated = calc.evaluate(
            obj=target,
            item=app.item,
            as_of=as_of,
            other_provincial_support=False,
            overrides=guideline.parameter_overrides,
            round_year=guideline.year,
            annual_cap_used=cap_used,
        )
        result = evaluated["result"]
        if not result.get("eligible"):
            reasons = [calc.reason_label(code) for code in result.get("reasons", [])]
            detail = "；".join(reasons) or "不符合条件"
            code = (result.get("reasons") or ["not_eligible"])[0].lower()
            raise DomainError(f"不能提交：{detail}（申报日期 {as_of:%Y-%m-%d}）。", code=code)
        ceiling = calc.ceiling_of(result)
        if ceiling <= 0:
            raise DomainError(
                f"不能提交：按政策测算的补助上限为 0 元（申报日期 {as_of:%Y-%m-%d}），"
                "请核对申报事项和企业数据。",
                code="zero_ceiling",
            )
        if app.requested_amount == 0:
            app.requested_amount = ceiling
        if app.requested_amount > ceiling:
            raise DomainError(
                f"申请金额 {wan_yuan(app.requested_amount)}超过按政策测算的上限 {wan_yuan(ceiling)}。",
                field="requested_amount",
            )
        app.is_leading_goose_fixed_award = goose
        before = snapshot(app, ["status", "ceiling", "requested_amount", "is_leading_goose_fixed_award"])
        from_status = app.status
        evaluated["as_of"] = as_of.isoformat()
        evaluated["frozen_at"] = now.isoformat()
        app.snapshot = evaluated
        app.ceiling = ceiling
        app.status = submit_move.to
        app.submitted_at = now
        app.last_comment = ""
        try:
            with (
                transaction.atomic()
            ):  # savepoint: the constraint decides a race the check above could not see
                app.save()
        except IntegrityError:
            raise DomainError(one_per_year_message(app.year, None), code="one_per_year") from None
        action = "resubmit" if from_status == AppStatus.RETURNED else "submit"
        record_event(
            application=app,
            actor=actor,
            level=submit_move.step,
            action=Action.SUBMIT,
            from_status=from_status,
            to_status=app.status,
            comment="补正后重新提交" if action == "resubmit" else "",
        )
        audit(
            actor=actor,
            action=action,
            obj=app,
            before=before,
            after=snapshot(app, ["status", "ceiling", "requested_amount", "is_leading_goose_fixed_award"]),
        )
        flags = programme.fingerprints_record(application=app, as_of=as_of)
        flagged = (
            f"系统发现 {len(flags)} 处重复申报疑点（同一发票或保单已在其他申报中使用），请核查。"
            if flags
            else ""
        )
        url = application_url(app)
        inform(
            recipients=reviewers_of(app, Role.COUNTY),
            kind="application_submitted",
            title=f"新的申报待初审：{app.tracking_no}",
            body=f"{app.enterprise.name} 申报“{calc.item_label(app.item)}”，"
            f"测算上限 {wan_yuan(ceiling)}，请初审。{flagged}",
            url=url,
        )
        inform(
            recipients=enterprise_users(app),
            kind="application_submitted",
            title=f"申报已提交：{app.tracking_no}",
            body="申报已提交，等待县级工信部门初审。",
            url=url,
        )
    return app


def attachment_add(*, actor: Any, application: Application, name: str, upload: Any) -> Attachment:
    """A supporting document, accepted only as PDF/PNG/JPEG by content and at most 10 MB."""
    require(actor, "application.submit")
    if not name.strip():
        raise DomainError("请填写材料名称。", field="name")
    if upload is None:
        raise DomainError("请选择文件。", field="file")
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError("文件过大：不能超过 10 MB。", field="file")
    if upload.size == 0:
        raise DomainError("文件为空，请重新选择。", field="file")
    upload.seek(0)
    kind = sniff_type(upload.read(8))
    upload.seek(0)
    if kind is None:
        raise DomainError(
            "文件格式不正确：只接受 PDF、PNG 或 JPEG 格式的文件（按文件内容判断，改扩展名无效）。",
            field="file",
        )
    with transaction.atomic():
        app = lock_application(application.pk, actor=actor)  # the gate: own enterprise only
        if app.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
            raise Conflict("申报已提交，不能再上传材料；如需补充，请等待退回补正。")
        attachment = Attachment(
            application=app, name=name.strip()[:200], content_type=kind, size=upload.size, uploaded_by=actor
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        audit(
            actor=actor,
            action="create",
            obj=app,
            after={"attachment": attachment.name, "type": kind},
            comment="上传申报材料",
        )
    return attachment


def enterprise_targets(*, actor: Any) -> list[tuple[str, Any]]:
    """The enterprise's own objects an application can be for: ("project:12", obj) …"""
    from jigai.registry.models import Platform, Product, Project, Title

    enterprise = _enterprise_of(actor)
    out: list[tuple[str, Any]] = []
    for kind, model in (("project", Project), ("product", Product), ("platform", Platform), ("title", Title)):
        for obj in model.objects.filter(Q(enterprise=enterprise)).order_by("pk"):
            out.append((f"{kind}:{obj.pk}", obj))
    return out


def resolve_target(*, actor: Any, value: str) -> Any:
    """'project:12' → the enterprise's own Project 12, read through the scope gate. A missing id and another
    enterprise's id give the same answer, so ids cannot be probed."""
    from jigai.registry.models import Platform, Product, Project, Title

    models_by_kind = {"project": Project, "product": Product, "platform": Platform, "title": Title}
    kind, _, pk = (value or "").partition(":")
    model = models_by_kind.get(kind)
    if model is None or not pk.isdigit():
        raise DomainError("请选择申报对象。", field="target")
    obj = model.objects.restrict(actor, "view").filter(pk=int(pk)).first()
    if obj is None:
        raise DomainError(not_own_message(kind), field="target", code="not_own_object")
    return obj


def not_own_message(kind: str) -> str:
    """The one answer for an object that does not exist and for one that is not the enterprise's own."""
    return f"所选{calc.TARGET_LABELS.get(kind, '申报对象')}不存在或不属于本企业，不能申报。"
