"""Public notice (公示) of the proposed awards, objections, and the final award (design.md flow 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.core.money import wan_yuan
from jigai.workdays.services import add_working_days, is_working_day, next_working_day  # noqa: F401

from .. import calc
from ..models import (
    Action,
    Application,
    AppStatus,
    Guideline,
    NoticeEntry,
    Objection,
    ObjectionResolution,
    ObjectionStatus,
    PublicNotice,
)
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
from .payments import create_stages
from .workflow import move


def mask_uscc(code: str) -> str:
    """9141010012345678X1 → 9141************X1: the region prefix and the check characters stay readable."""
    code = code or ""
    if len(code) <= 6:
        return "*" * len(code)
    return code[:4] + "*" * (len(code) - 6) + code[-2:]


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def publish_refusal(guideline: Guideline) -> DomainError | None:
    """Why no notice can be published for `guideline` now (None when one can): it has no proposed award
    (拟支持) waiting for its notice. notice_publish raises it; the notice page shows 发布公示 disabled with it
    while no guideline has one."""
    if not Application.objects.filter(guideline=guideline, status=AppStatus.APPROVED).exists():
        return DomainError("没有待公示的拟支持项目。", code="nothing_to_publish")
    return None


def notice_publish(
    *, actor: Any, guideline: Guideline, starts_on: dt.date | None = None, title: str = ""
) -> PublicNotice:
    """Publish every proposed award (拟支持) of the guideline for its notice period in working days."""
    require(actor, "notice.publish")
    today = timezone.localdate()
    starts_on = next_working_day(starts_on or today)
    if starts_on < today:
        raise DomainError("公示开始日期不能早于今天。", field="starts_on")
    with transaction.atomic():
        Guideline.objects.select_for_update().get(pk=guideline.pk)
        refusal = publish_refusal(guideline)
        if refusal is not None:
            raise refusal
        apps = list(Application.objects.filter(guideline=guideline, status=AppStatus.APPROVED).order_by("pk"))
        ends_on = add_working_days(starts_on, guideline.notice_days)
        notice = PublicNotice.objects.create(
            guideline=guideline,
            title=title.strip() or f"{guideline.year}年度省级制造业高质量发展专项资金拟支持项目公示",
            starts_on=starts_on,
            ends_on=ends_on,
            published=True,
            published_by=actor,
            published_at=timezone.now(),
        )
        for app in apps:
            app = lock_application(app.pk)
            if app.status != AppStatus.APPROVED:
                continue
            NoticeEntry.objects.create(notice=notice, application=app, granted_amount=app.granted_amount)
            move(
                application=app,
                actor=actor,
                action=Action.NOTICE,
                comment=f"公示期 {starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}",
            )
            inform(
                recipients=enterprise_users(app),
                kind="application_on_notice",
                title=f"拟支持项目公示：{app.tracking_no}",
                body=f"公示期 {starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}，"
                f"拟安排 {wan_yuan(app.granted_amount)}。",
                url=application_url(app),
            )
        audit(
            actor=actor,
            action="publish",
            obj=notice,
            after={"starts_on": starts_on, "ends_on": ends_on, "entries": len(apps)},
        )
    return notice


def _entry(notice: PublicNotice, application: Application) -> NoticeEntry:
    entry = NoticeEntry.objects.filter(notice=notice, application=application, withdrawn=False).first()
    if entry is None:
        raise DomainError("该申报不在本次公示名单中。", field="application")
    return entry


def objection_record(
    *,
    actor: Any,
    notice: PublicNotice,
    application: Application,
    content: str,
    received_on: dt.date,
    objector: str = "",
    objector_contact: str = "",
) -> Objection:
    """Record an objection received in writing during the notice period."""
    require(actor, "objection.resolve")
    content = (content or "").strip()
    if not content:
        raise DomainError("请填写异议内容。", field="content")
    if received_on is None:
        raise DomainError("请填写收到日期。", field="received_on")
    if not notice.starts_on <= received_on <= notice.ends_on:
        raise DomainError(
            f"异议须在公示期内（{notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}）提出。",
            field="received_on",
        )
    with transaction.atomic():
        locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.finalized_at is not None:
            raise Conflict("公示已结束并确定立项，不能再登记异议。")
        _entry(locked, application)
        objection = Objection.objects.create(
            notice=locked,
            application=application,
            content=content,
            received_on=received_on,
            objector=objector.strip(),
            objector_contact=objector_contact.strip(),
            recorded_by=actor,
        )
        audit(
            actor=actor, action="object", obj=application, after={"objection": objection.pk}, comment=content
        )
    return objection


def objection_assign(*, actor: Any, objection: Objection, assignee: Any) -> Objection:
    require(actor, "objection.resolve")
    if assignee is None or assignee.role != Role.PROVINCE or not assignee.is_active:
        raise DomainError("承办人须为省工信厅工作人员。", field="assigned_to")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != ObjectionStatus.OPEN:
            raise Conflict("该异议已处理。")
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        audit(
            actor=actor,
            action="assign",
            obj=locked.application,
            after={"objection": locked.pk, "assigned_to": assignee.pk},
            comment="分配异议承办人",
        )
        inform(
            recipients=[assignee],
            kind="objection_assigned",
            title=f"异议待办：{locked.application.tracking_no}",
            body=locked.content[:200],
            url="",
        )
    return locked


def objection_resolve(*, actor: Any, objection: Objection, resolution: str, comment: str) -> Objection:
    """Upheld → the award leaves the notice and goes back to decision; dismissed → it stays."""
    require(actor, "objection.resolve")
    comment = (comment or "").strip()
    if resolution not in ObjectionResolution.values:
        raise DomainError("请选择处理结论。", field="resolution")
    if not comment:
        raise DomainError("请填写处理意见。", field="resolution_comment")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != ObjectionStatus.OPEN:
            raise Conflict("该异议已处理，不能重复处理。")
        if locked.notice.finalized_at is not None:
            raise Conflict("公示已结束并确定立项。")
        locked.status = ObjectionStatus.RESOLVED
        locked.resolution = resolution
        locked.resolution_comment = comment
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.save()
        app = lock_application(locked.application_id)
        if resolution == ObjectionResolution.UPHELD and app.status == AppStatus.ON_NOTICE:
            NoticeEntry.objects.filter(notice=locked.notice, application=app).update(withdrawn=True)
            app.granted_amount = None
            app.decided_at = None
            move(application=app, actor=actor, action=Action.OBJECTION_UPHELD, comment=comment)
            inform(
                recipients=enterprise_users(app),
                kind="objection_upheld",
                title=f"公示异议成立：{app.tracking_no}",
                body=f"处理意见：{comment}。项目退回省级重新决策。",
                url=application_url(app),
            )
        audit(
            actor=actor,
            action="resolve",
            obj=app,
            after={"objection": locked.pk, "resolution": resolution},
            comment=comment,
        )
    return locked


def finalize_refusal(notice: PublicNotice) -> DomainError | None:
    """Why the notice cannot be finalized yet (the period runs, objections are open), or None. The service
    raises it; the page shows the button disabled with the same reason."""
    if notice.finalized_at is not None:
        return Conflict("该公示已确定立项，不能重复办理。")
    if timezone.localdate() <= notice.ends_on:
        return DomainError(f"公示期至 {notice.ends_on:%Y-%m-%d}，期满后才能确定立项。", code="notice_running")
    open_count = notice.objections.filter(status=ObjectionStatus.OPEN).count()
    if open_count:
        return DomainError(f"尚有 {open_count} 件异议未处理，不能确定立项。", code="objections_open")
    return None


def notice_finalize(*, actor: Any, notice: PublicNotice) -> PublicNotice:
    """After the notice period has ended and every objection is resolved, the awards become final
    (已立项) and their payment schedules are created."""
    require(actor, "notice.publish")
    with transaction.atomic():
        locked = PublicNotice.objects.select_for_update().filter(pk=notice.pk).first()
        if locked is None:
            raise NotFound("未找到该公示。")
        if locked.finalized_at is not None:
            raise Conflict("该公示已确定立项，不能重复办理。")
        refusal = finalize_refusal(locked)
        if refusal is not None:
            raise refusal
        awarded = 0
        for entry in locked.entries.filter(withdrawn=False).order_by("pk"):
            app = lock_application(entry.application_id)
            if app.status != AppStatus.ON_NOTICE:
                continue
            move(
                application=app,
                actor=actor,
                action=Action.FINALIZE,
                comment="公示期满无异议（或异议不成立），确定立项",
            )
            create_stages(app)
            awarded += 1
            inform(
                recipients=enterprise_users(app),
                kind="application_awarded",
                title=f"已立项：{app.tracking_no}",
                body=f"“{calc.item_label(app.item)}”安排资金 {wan_yuan(app.granted_amount)}，将按阶段拨付。",
                url=application_url(app),
            )
        locked.finalized_at = timezone.now()
        locked.save(update_fields=["finalized_at"])
        audit(
            actor=actor, action="decide", obj=locked, after={"awarded": awarded}, comment="公示期满，确定立项"
        )
        if awarded:
            inform(
                recipients=role_users(Role.FINANCE),
                kind="awards_final",
                title=f"{locked.guideline.year}年度专项资金已确定立项",
                body=f"共 {awarded} 个项目待拨付。",
                url="",
            )
    return locked
