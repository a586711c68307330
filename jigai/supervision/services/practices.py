"""Typical practices (典型做法, 四（三）: 积极宣传和推广各地典型做法): a city submits one (title, text, an
attachment), the province publishes it on the public site or returns it for changes; the city changes
and resubmits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import AccessDenied, InvalidInput
from jigai.core.workflow import ROLE_DENIED, Move, Workflow, apply_move
from jigai.notifications.services import notify

from ..models import Practice, PracticeStatus
from .tickets import province_users, unit_users

P = PracticeStatus

PRACTICE_WORKFLOW = Workflow(
    noun="典型做法",
    field="status",
    state_label=lambda s: PracticeStatus(s).label,
    authorize=require,
    record=audit_record,
    moves=[
        Move(P.SUBMITTED, Role.PROVINCE, "publish", P.PUBLISHED, "practice.publish", "发布", "publish"),
        Move(
            P.SUBMITTED,
            Role.PROVINCE,
            "return",
            P.RETURNED,
            "practice.publish",
            "退回修改",
            "return",
            kind="warning",
        ),
        Move(
            P.PUBLISHED,
            Role.PROVINCE,
            "unpublish",
            P.RETURNED,
            "practice.publish",
            "撤下",
            "withdraw",
            kind="danger",
        ),
        Move(P.RETURNED, Role.CITY, "resubmit", P.SUBMITTED, "practice.submit", "修改后重新报送", "resubmit"),
    ],
)


def _clean(data: dict[str, Any]) -> tuple[str, str]:
    title = (data.get("title") or "").strip()
    text = (data.get("text") or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["请填写标题。"]
    elif len(title) > 200:
        errors["title"] = ["标题不能超过 200 字。"]
    if not text:
        errors["text"] = ["请填写正文。"]
    if errors:
        raise InvalidInput(errors)
    return title, text


def _attach(practice: Practice, upload: Any) -> None:
    if upload is None:
        return
    practice.attachment = upload
    practice.attachment_name = (getattr(upload, "name", "") or "附件")[:200]
    try:
        practice.full_clean(exclude=["region", "submitted_by", "title", "text"])
    except ValidationError as exc:
        raise InvalidInput(
            {"attachment": exc.message_dict.get("attachment") or ["附件不符合要求。"]}
        ) from None


def practice_submit(*, actor: Any, data: dict[str, Any], upload: Any = None) -> Practice:
    require(actor, "practice.submit")
    title, text = _clean(data)
    with transaction.atomic():
        practice = Practice(region=actor.region, title=title, text=text, submitted_by=actor)
        _attach(practice, upload)
        practice.save()
        audit_record(actor=actor, action="submit", obj=practice, after=snapshot(practice))
        notify(
            recipients=province_users("practice.publish"),
            kind="supervision.practice",
            title=f"{actor.region.name}报送典型做法：{title}",
            url=reverse("supervision:practice_detail", args=[practice.pk]),
        )
    return practice


def practice_move(
    *,
    actor: Any,
    practice: Practice,
    action: str,
    comment: str = "",
    data: dict | None = None,
    upload: Any = None,
) -> Practice:
    """Publish, return, take down (province) or resubmit with changes (city)."""
    comment = (comment or "").strip()
    if not PRACTICE_WORKFLOW.by_role_action(
        getattr(actor, "role", None), action
    ):  # a role that never does it
        raise AccessDenied(ROLE_DENIED, code="permission_denied")

    def prepare(p: Practice, m: Move) -> None:
        if m.action in ("return", "unpublish") and not comment:
            raise InvalidInput({"comment": ["请填写理由。"]})
        if m.action == "resubmit":
            p.title, p.text = _clean(data or {"title": p.title, "text": p.text})
            _attach(p, upload)
            p.submitted_at = timezone.now()
        if m.action == "publish":
            p.published_at = timezone.now()
        elif m.action == "unpublish":
            p.published_at = None
        if comment or m.to == P.PUBLISHED:
            p.review_comment = comment

    def tell(p: Practice, m: Move) -> None:
        if m.action == "resubmit":
            return
        notify(
            recipients=unit_users(p.region_id),
            kind="supervision.practice",
            title=f"典型做法“{p.title}”：{m.label}",
            body=comment,
            url=reverse("supervision:practice_detail", args=[p.pk]),
        )

    return apply_move(
        workflow=PRACTICE_WORKFLOW,
        queryset=Practice.objects.restrict(actor, "change"),
        pk=practice.pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=lambda *_a: None,  # the audit record is its history
        snapshot=lambda p: snapshot(p, ["status", "title", "review_comment", "published_at"]),
        prepare=prepare,
        notify=tell,
        not_found="未找到该典型做法，或您无权操作。",
    )
