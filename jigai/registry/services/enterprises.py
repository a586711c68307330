"""Enterprises: self-registration, confirmation by the county, profile changes, qualifications."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record
from jigai.core.errors import Conflict, DomainError, InvalidInput, NotFound
from jigai.core.phone import validate_phone

from ..industry import validate_industry
from ..models import Enterprise, EnterpriseStatus, Qualification, QualificationStatus
from ..uscc import validate_uscc
from .common import apply, full_clean, messages_of, require_enterprise_editor, snapshot
from .qualifications import unverify

# County-level places an enterprise can be registered in: counties, the statistics zones (they have their
# own economic department) and Jiyuan, a province-administered county-level unit.
ENTERPRISE_REGION_LEVELS = frozenset({"county", "zone"})
JIYUAN = "419001"

PROFILE_FIELDS = (
    "name",
    "industry_section",
    "industry_division",
    "size",
    "above_designated_size",
    "contact_person",
    "contact_phone",
    "address",
)
# What the enterprise itself declares (its own word; the county confirms it, see enterprise_confirm_in_henan).
DECLARATION_FIELDS = ("in_henan_declared",)
# Government reviewers may also correct the code and the region (not the enterprise's declarations).
GOV_PROFILE_FIELDS = (*PROFILE_FIELDS, "uscc", "region")
# Changing one of these voids the county's check of 研发、生产在河南省内 (it was made for the old facts).
IN_HENAN_BASIS = ("in_henan_declared", "region")
IN_HENAN_CHECK = ("in_henan_confirmed", "in_henan_confirmed_by", "in_henan_confirmed_at", "in_henan_comment")

QUALIFICATION_FIELDS = ("kind", "level", "certificate_no", "valid_from", "valid_to", "certificate")


def may_register_in(region: Any) -> bool:
    """Where an enterprise can be registered: a county-level unit, a statistics zone, or Jiyuan (a city-level
    unit without counties). The one rule for the forms, the services and the Excel import."""
    return region.level in ENTERPRISE_REGION_LEVELS or region.pk == JIYUAN


def _check_region(region: Any) -> None:
    if region is None:
        raise InvalidInput({"region": ["请选择企业所在县（市、区）。"]})
    if not may_register_in(region):
        raise InvalidInput({"region": ["企业所在区划必须是县级区划（县、县级市、区）。"]})


def _clean_enterprise(enterprise: Enterprise) -> None:
    errors: dict[str, list[str]] = {}
    try:
        enterprise.uscc = validate_uscc(enterprise.uscc)
    except ValidationError as e:
        errors["uscc"] = list(e.messages)
    try:
        validate_industry(enterprise.industry_section, enterprise.industry_division)
    except ValidationError as e:
        errors.update(messages_of(e))
    try:
        enterprise.contact_phone = validate_phone(enterprise.contact_phone)
    except DomainError as e:
        errors["contact_phone"] = [e.message]
    if not errors.get("uscc"):
        dup = Enterprise.objects.filter(uscc=enterprise.uscc).exclude(pk=enterprise.pk).exists()
        if dup:
            errors["uscc"] = ["该统一社会信用代码已登记，请勿重复注册；如需找回账号请联系所在县级工信部门。"]
    if errors:
        raise InvalidInput(errors)
    full_clean(enterprise, exclude=["uscc"])


@transaction.atomic
def enterprise_register(
    *,
    uscc: str,
    name: str,
    region: Any,
    contact_person: str,
    contact_phone: str,
    username: str,
    password: str,
    industry_section: str = "",
    industry_division: str = "",
    size: str = "",
    above_designated_size: bool = False,
    address: str = "",
    in_henan_declared: bool = False,
) -> tuple[Enterprise, Any]:
    """An enterprise registers itself: the enterprise is pending and its account inactive until the county
    confirms it (enterprise_confirm). Nothing is written unless every field is valid."""
    User = get_user_model()
    _check_region(region)
    enterprise = Enterprise(
        uscc=uscc,
        name=name.strip(),
        region=region,
        industry_section=industry_section,
        industry_division=industry_division,
        size=size,
        above_designated_size=above_designated_size,
        contact_person=contact_person.strip(),
        contact_phone=contact_phone.strip(),
        address=address.strip(),
        in_henan_declared=bool(in_henan_declared),
        status=EnterpriseStatus.PENDING,
    )
    errors: dict[str, list[str]] = {}
    if not enterprise.contact_person:
        errors["contact_person"] = ["请填写联系人。"]
    if not enterprise.contact_phone:
        errors["contact_phone"] = ["请填写联系电话。"]
    try:
        _clean_enterprise(enterprise)
    except InvalidInput as e:
        errors.update(e.errors)
    username = username.strip()
    if not username:
        errors["username"] = ["请填写登录用户名。"]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["该用户名已被使用，请换一个。"]
    phone = enterprise.contact_phone if len(enterprise.contact_phone) == 11 else ""
    user = User(
        username=username,
        full_name=enterprise.contact_person[:50],
        phone=phone if phone.isdigit() and phone.startswith("1") else "",
        role=Role.ENTERPRISE,
        is_active=False,
    )
    try:
        validate_password(password, user)
    except ValidationError as e:
        errors["password"] = list(e.messages)
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:  # a concurrent registration of the same code
        raise InvalidInput({"uscc": ["该统一社会信用代码已登记，请勿重复注册。"]}) from None
    user.enterprise = enterprise
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_record(
        actor=None,
        action="create",
        obj=enterprise,
        after={**snapshot(enterprise), "username": user.username},
        comment="企业自助注册，待县级工信部门确认",
    )
    return enterprise, user


def _lock_for_review(actor: Any, enterprise: Enterprise) -> Enterprise:
    require(actor, "enterprise.confirm")
    locked = Enterprise.objects.restrict(actor, "change").select_for_update().filter(pk=enterprise.pk).first()
    if locked is None:
        raise NotFound("未找到该企业，或您无权操作。")
    if locked.status != EnterpriseStatus.PENDING:
        raise Conflict(
            f"该企业当前状态为“{locked.get_status_display()}”，不能重复确认或退回。", code="not_pending"
        )
    return locked


@transaction.atomic
def enterprise_confirm(*, actor: Any, enterprise: Enterprise, comment: str = "") -> Enterprise:
    """The county confirms a registered enterprise; its accounts become active."""
    enterprise = _lock_for_review(actor, enterprise)
    before = snapshot(enterprise)
    enterprise.status = EnterpriseStatus.CONFIRMED
    enterprise.review_comment = comment.strip()
    enterprise.reviewed_at = timezone.now()
    enterprise.save()
    users = list(get_user_model().objects.filter(enterprise=enterprise, is_active=False))
    for user in users:
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="confirm",
        obj=enterprise,
        before=before,
        after={**snapshot(enterprise), "activated_users": [u.username for u in users]},
        comment=comment,
    )
    return enterprise


@transaction.atomic
def enterprise_reject(*, actor: Any, enterprise: Enterprise, reason: str) -> Enterprise:
    """The county refuses a registration, with the reason; the accounts stay inactive."""
    if not reason or not reason.strip():
        raise InvalidInput({"reason": ["请填写不予确认的原因。"]})
    enterprise = _lock_for_review(actor, enterprise)
    before = snapshot(enterprise)
    enterprise.status = EnterpriseStatus.REJECTED
    enterprise.review_comment = reason.strip()
    enterprise.reviewed_at = timezone.now()
    enterprise.save()
    audit_record(
        actor=actor,
        action="reject",
        obj=enterprise,
        before=before,
        after=snapshot(enterprise),
        comment=reason.strip(),
    )
    return enterprise


@transaction.atomic
def enterprise_create(*, actor: Any, data: dict[str, Any]) -> Enterprise:
    """A government reviewer enters an enterprise of their region; it is confirmed at once."""
    require(actor, "enterprise.manage")
    enterprise = Enterprise(status=EnterpriseStatus.CONFIRMED, reviewed_at=timezone.now())
    apply(enterprise, data, GOV_PROFILE_FIELDS)
    _check_region(enterprise.region if enterprise.region_id else None)
    _clean_enterprise(enterprise)
    enterprise.save()
    # Inside the transaction: an enterprise outside the actor's region rolls back.
    if not Enterprise.objects.restrict(actor, "change").filter(pk=enterprise.pk).exists():
        raise InvalidInput({"region": ["只能登记本辖区内的企业。"]})
    audit_record(actor=actor, action="create", obj=enterprise, after=snapshot(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Profile changes: the enterprise user edits their own profile (not the code or region); a reviewer of
    the region may correct everything."""
    enterprise = require_enterprise_editor(actor, enterprise)
    before = snapshot(enterprise)
    allowed = (*PROFILE_FIELDS, *DECLARATION_FIELDS) if actor.role == Role.ENTERPRISE else GOV_PROFILE_FIELDS
    apply(enterprise, data, allowed)
    if "region" in data:
        _check_region(enterprise.region)
    _clean_enterprise(enterprise)
    after = snapshot(enterprise)
    if after == before:
        return enterprise
    if any(before[name] != after[name] for name in IN_HENAN_BASIS):
        _drop_in_henan_check(enterprise)
        after = snapshot(enterprise)
    enterprise.save()
    if not Enterprise.objects.restrict(actor, "change").filter(pk=enterprise.pk).exists():
        raise InvalidInput({"region": ["不能把企业移出本辖区。"]})
    audit_record(actor=actor, action="update", obj=enterprise, before=before, after=after)
    return enterprise


def _drop_in_henan_check(enterprise: Enterprise) -> None:
    enterprise.in_henan_confirmed = None
    enterprise.in_henan_confirmed_by = None
    enterprise.in_henan_confirmed_at = None
    enterprise.in_henan_comment = ""


@transaction.atomic
def enterprise_confirm_in_henan(
    *, actor: Any, enterprise: Enterprise, confirmed: bool, comment: str = ""
) -> Enterprise:
    """The county of the enterprise (or the province) checks the enterprise's declaration “研发、生产在河南
    省内” (三（二）1 “省内研发制造单位”, 2 “省内研发企业”): `confirmed` True — it holds, False — it does not
    (a comment saying why is required). Only a declared fact can be checked; the check is what lets
    `in_henan` reach the calculator (facts.applicant)."""
    require(actor, "enterprise.confirm_in_henan")
    locked = Enterprise.objects.restrict(actor, "change").select_for_update().filter(pk=enterprise.pk).first()
    if locked is None:
        raise NotFound("未找到该企业，或您无权操作。")
    comment = (comment or "").strip()
    if not locked.in_henan_declared:
        raise Conflict("企业尚未声明“研发、生产在河南省内”，无需核实。", code="not_declared")
    if not confirmed and not comment:
        raise InvalidInput({"comment": ["核实不属实时请填写原因。"]})
    if locked.in_henan_confirmed is bool(confirmed):
        word = "属实" if confirmed else "不属实"
        raise Conflict(f"该企业的声明已核实为“{word}”，请勿重复操作。", code="repeated_transition")
    before = snapshot(locked)
    locked.in_henan_confirmed = bool(confirmed)
    locked.in_henan_confirmed_by = actor
    locked.in_henan_confirmed_at = timezone.now()
    locked.in_henan_comment = comment
    locked.save(update_fields=[*IN_HENAN_CHECK, "updated_at"])
    after = snapshot(locked)
    audit_record(
        actor=actor,
        action="confirm" if confirmed else "reject",
        obj=locked,
        before={name: before[name] for name in IN_HENAN_CHECK},
        after={name: after[name] for name in IN_HENAN_CHECK},
        comment=comment or "核实：研发、生产在河南省内属实",
    )
    from jigai.notifications.services import notify

    word = "属实" if confirmed else f"不属实（{comment}）"
    notify(
        recipients=get_user_model().objects.filter(
            role=Role.ENTERPRISE, enterprise_id=locked.pk, is_active=True
        ),
        kind="enterprise.in_henan_checked",
        title=f"“研发、生产在河南省内”声明核实结果：{'属实' if confirmed else '不属实'}",
        body=f"您企业“{locked.name}”关于研发、生产在河南省内的声明经核实{word}。",
        url=reverse("registry:enterprise_detail", args=[locked.pk]),
    )
    return locked


# ------------------------------------------------------------------------------------------ qualifications


def _clean_qualification(q: Qualification) -> None:
    if q.valid_from and q.valid_to and q.valid_to < q.valid_from:
        raise InvalidInput({"valid_to": ["有效期止不能早于有效期起。"]})
    full_clean(q, exclude=["enterprise"])


@transaction.atomic
def qualification_create(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Qualification:
    enterprise = require_enterprise_editor(actor, enterprise)
    q = Qualification(enterprise=enterprise)
    apply(q, data, QUALIFICATION_FIELDS)
    _clean_qualification(q)
    q.save()
    audit_record(actor=actor, action="create", obj=q, after=snapshot(q))
    return q


@transaction.atomic
def qualification_update(*, actor: Any, qualification: Qualification, data: dict[str, Any]) -> Qualification:
    """Edit a qualification. The state is never an input (QUALIFICATION_FIELDS): a change of what was
    vouched for (kind, level, certificate number or file, dates) sends a verified or rejected qualification
    back to 待核验, since the officer checked the old facts, not the new ones."""
    q = Qualification.objects.select_for_update().get(pk=qualification.pk)
    require_enterprise_editor(actor, q.enterprise)
    before = snapshot(q)
    apply(q, data, QUALIFICATION_FIELDS)
    _clean_qualification(q)
    after = snapshot(q)
    if after != before:
        if q.status != QualificationStatus.SUBMITTED:
            unverify(q)
            after = snapshot(q)
        q.save()
        audit_record(actor=actor, action="update", obj=q, before=before, after=after)
    return q


@transaction.atomic
def qualification_delete(*, actor: Any, qualification: Qualification) -> None:
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    require_enterprise_editor(actor, qualification.enterprise)
    before = snapshot(qualification)
    audit_record(actor=actor, action="delete", obj=qualification, before=before)
    qualification.delete()
