"""Deleting a draft: the owning enterprise may throw away an application it has not submitted.

Only a draft (status ``draft``) is deleted — never one that was submitted, returned for correction or
withdrawn: those carry review events and count in the audit of the round. The row is locked, the audit
record keeps the whole draft (with its attachments' names), and the attachments' files are removed from
storage only once the deletion is committed (a rolled-back deletion keeps its files).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from jigai.accounts.permissions import can, require
from jigai.core.errors import AccessDenied

from ..models import Application, AppStatus, Attachment
from ._common import Conflict, DomainError, NotFound, audit, lock_application, snapshot

logger = logging.getLogger(__name__)

NOT_FOUND = "未找到该申报，或您无权查看。"


def draft_refusal(*, actor: Any, application: Application) -> DomainError | None:
    """Why `actor` may not delete `application` (the error the service raises), or None when they may.
    The page asks it to show or hide the delete button; the service raises it."""
    if not can(actor, "application.submit"):
        return AccessDenied("您的角色无权执行此操作。", code="permission_denied")
    if not Application.objects.restrict(actor, "change").filter(pk=application.pk).exists():
        return NotFound(NOT_FOUND)  # the gate: an enterprise reaches only its own applications
    if application.status != AppStatus.DRAFT:
        return Conflict(
            f"该申报当前为“{application.get_status_display()}”，只有未提交的草稿可以删除"
            "（已提交的申报可申请撤回）。",
            code="not_draft",
        )
    return None


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the row is gone already; a file left behind is logged, not an error to the user
            logger.exception("申报草稿附件文件删除失败：%s", name)


def application_delete_draft(*, actor: Any, application: Application) -> None:
    """The owning enterprise deletes its draft; audited as "delete" with the draft's snapshot."""
    require(actor, "application.submit")
    if actor.enterprise_id is None:
        raise AccessDenied("您的账号未关联企业。")
    with transaction.atomic():
        app = lock_application(application.pk)
        refusal = draft_refusal(actor=actor, application=app)
        if refusal is not None:
            raise refusal
        attachments = list(app.attachments.order_by("pk"))
        files = [a.file.name for a in attachments if a.file]
        before = {
            **snapshot(app),
            "attachments": [{"name": a.name, "file": a.file.name, "size": a.size} for a in attachments],
        }
        audit(actor=actor, action="delete", obj=app, before=before, comment="企业删除申报草稿")
        app.delete()  # its attachments go with it (CASCADE)
        transaction.on_commit(lambda: _delete_files(files))
