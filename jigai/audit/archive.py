"""Log retention (issue 12, 等保三级: logs kept at least six months): the login log and the operation log
stay online for JIGAI_LOG_RETENTION_DAYS (at least 183, default 183); older entries are then archived, never
silently dropped.

- Login log (accounts.LoginRecord): rows older than the retention are written to a gzip'd JSON-lines file
  with a signed manifest (HMAC-SM3 under the audit key), and only then deleted, in one transaction; the
  archiving is itself an audit event.
- Operation log (the audit chain): never deleted — deleting would break the chain. Entries older than the
  retention are copied to an archive file of the same kind (for offline keeping), once per month.
Files go to JIGAI_ARCHIVE_DIR (default var/archive).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .anchors import sign
from .chain import jsonable

MINIMUM_DAYS = 183


def retention_days() -> int:
    days = int(getattr(settings, "JIGAI_LOG_RETENTION_DAYS", MINIMUM_DAYS))
    if days < MINIMUM_DAYS:
        raise ImproperlyConfigured(
            f"日志保存期 JIGAI_LOG_RETENTION_DAYS 不能少于 {MINIMUM_DAYS} 天（6 个月）。"
        )
    return days


def archive_dir() -> Path:
    given = getattr(settings, "JIGAI_ARCHIVE_DIR", "") or os.environ.get("JIGAI_ARCHIVE_DIR", "")
    return Path(given or Path(settings.BASE_DIR) / "var" / "archive")


def _write(kind: str, rows: list[dict[str, Any]], cutoff: dt.datetime, **extra: Any) -> Path:
    folder = archive_dir() / kind
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{kind}-{stamp}.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(jsonable(row), ensure_ascii=False, sort_keys=True) + "\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    body = {
        "kind": kind,
        "file": path.name,
        "sha256": digest,
        "rows": len(rows),
        "before": cutoff.isoformat(),
        **extra,
    }
    manifest = path.with_suffix("").with_suffix(".manifest.json")
    manifest.write_text(
        json.dumps({**body, "signature": sign(body)}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return path


def archive_login_log(*, now: dt.datetime | None = None) -> tuple[int, Path | None]:
    """Archive, then delete, the login records older than the retention. Returns (rows, file)."""
    from jigai.accounts.models import LoginRecord

    from .services import audit_record

    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    with transaction.atomic():
        old = LoginRecord.objects.select_for_update().filter(created_at__lt=cutoff).order_by("pk")
        rows = list(old.values())
        if not rows:
            return 0, None
        path = _write("loginlog", rows, cutoff)
        LoginRecord.objects.filter(pk__in=[r["id"] for r in rows]).delete()
        audit_record(
            actor=None,
            action="loginlog.archive",
            after={"rows": len(rows), "file": path.name, "before": cutoff.isoformat()},
            comment=f"登录日志 {len(rows)} 条已超过保存期，归档至 {path.name} 后从在线库移除。",
        )
    return len(rows), path


def archive_operation_log(*, now: dt.datetime | None = None) -> tuple[int, Path | None]:
    """Copy the audit events older than the retention, not yet archived, to an archive file (they stay in
    the chain). Returns (rows, file)."""
    from .models import AuditEvent

    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    done_up_to = 0
    folder = archive_dir() / "auditlog"
    for manifest in sorted(folder.glob("*.manifest.json")) if folder.exists() else []:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        done_up_to = max(done_up_to, int(data.get("last_seq", 0)))
    events = AuditEvent.objects.filter(occurred_at__lt=cutoff, seq__gt=done_up_to).order_by("seq")
    rows = list(events.values())
    if not rows:
        return 0, None
    # Signed once, with the last record archived (the next run starts after it).
    path = _write("auditlog", rows, cutoff, last_seq=rows[-1]["seq"])
    return len(rows), path
