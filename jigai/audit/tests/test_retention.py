"""Logs are kept at least six months, then archived, never silently dropped (issue 12)."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from jigai.accounts.models import LoginRecord
from jigai.audit import archive
from jigai.audit.anchors import sign
from jigai.audit.models import AuditEvent
from jigai.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def _login(days_ago: int, username: str) -> LoginRecord:
    return LoginRecord.objects.create(
        username=username, kind="login", success=True, created_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_retention_cannot_be_set_below_six_months():
    with override_settings(JIGAI_LOG_RETENTION_DAYS=90), pytest.raises(ImproperlyConfigured):
        archive.retention_days()


def test_old_login_records_are_archived_then_removed_and_recent_ones_stay(tmp_path):
    with override_settings(JIGAI_ARCHIVE_DIR=str(tmp_path)):
        _login(400, "old-one")
        _login(200, "old-two")
        _login(100, "recent")  # under six months: stays online
        rows, path = archive.archive_login_log()
        assert rows == 2
        assert list(LoginRecord.objects.values_list("username", flat=True)) == ["recent"]
        archived = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
        assert sorted(r["username"] for r in archived) == ["old-one", "old-two"]
        manifest = json.loads(next(tmp_path.rglob("*.manifest.json")).read_text(encoding="utf-8"))
        signature = manifest.pop("signature")
        assert signature == sign(manifest) and manifest["rows"] == 2
        assert AuditEvent.objects.filter(action="loginlog.archive").exists()
        assert archive.archive_login_log() == (0, None)  # nothing left to archive


def test_the_operation_log_is_copied_never_deleted(tmp_path):
    with override_settings(JIGAI_ARCHIVE_DIR=str(tmp_path)):
        audit_record(actor=None, action="update", comment="早的记录")
        later = timezone.now() + dt.timedelta(days=200)
        rows, path = archive.archive_operation_log(now=later)
        assert rows == 1 and path is not None
        assert AuditEvent.objects.filter(comment="早的记录").exists()
        assert audit_verify(check_anchors=False).ok
        assert archive.archive_operation_log(now=later) == (0, None)  # not copied twice
