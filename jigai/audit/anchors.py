"""Anchors of the audit chain (issue 12): the head (seq, hash, count, time) written on a schedule to a
signed file outside the database, so that cutting records off the end of the chain — and moving the head
back — is found by `jigai audit verify`: a later anchor names a record that is no longer there.

Files: JIGAI_AUDIT_ANCHOR_DIR (default var/anchors)/YYYY-MM-DD.json, one per day (a second write the same
day replaces it only with a later head). Signed with HMAC-SM3 under a key derived from the chain key, so
the anchor cannot be forged by whoever can only write the database or the anchor folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .chain import audit_key, canonical_json, key_id, mac

_ANCHOR_LABEL = b"jigai-audit-anchor-v1:"


def anchor_dir() -> Path:
    """The setting, else the environment, else var/anchors/<database name> (one folder per database, so
    that a second local database is not judged by the first one's anchors)."""
    given = getattr(settings, "JIGAI_AUDIT_ANCHOR_DIR", "") or os.environ.get("JIGAI_AUDIT_ANCHOR_DIR", "")
    if given:
        return Path(given)
    from django.db import connection

    name = Path(str(connection.settings_dict.get("NAME") or "default")).stem or "default"
    return Path(settings.BASE_DIR) / "var" / "anchors" / name


def _anchor_key() -> bytes:
    return bytes.fromhex(mac(_ANCHOR_LABEL, audit_key()))


def sign(body: dict[str, Any]) -> str:
    return mac(canonical_json(body).encode("utf-8"), _anchor_key())


def write_anchor(*, on: dt.date | None = None) -> Path:
    """Write today's anchor of the chain head (after verifying the chain: a broken chain is not
    anchored, the failure is raised)."""
    from .models import AuditChainHead, AuditEvent
    from .services import audit_verify

    result = audit_verify(check_anchors=False)
    if not result.ok:
        raise RuntimeError(f"审计链校验未通过，不写锚点：{result.reason}")
    head = AuditChainHead.objects.filter(pk=1).first()
    seq = head.last_seq if head else 0
    event = AuditEvent.objects.filter(seq=seq).only("hash").first() if seq else None
    body = {
        "seq": seq,
        "hash": event.hash if event else "",
        "count": result.count,
        "written_at": timezone.now().isoformat(),
        "key_id": key_id(),
    }
    folder = anchor_dir()
    folder.mkdir(parents=True, exist_ok=True)
    day = on or timezone.localdate()
    path = folder / f"{day:%Y-%m-%d}.json"
    if path.exists():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8"))
            if int(earlier.get("seq", 0)) > seq:
                raise RuntimeError("今天已有更靠后的锚点，审计链可能被截断。")
        except (ValueError, TypeError):
            pass
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({**body, "signature": sign(body)}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    os.replace(tmp, path)
    return path


def read_anchors() -> list[tuple[Path, dict[str, Any] | None, str]]:
    """(file, body or None, problem) of every anchor file, oldest first."""
    out = []
    folder = anchor_dir()
    if not folder.exists():
        return out
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            signature = data.pop("signature", "")
        except (ValueError, OSError):
            out.append((path, None, f"锚点文件 {path.name} 无法读取。"))
            continue
        if signature != sign(data):
            out.append((path, None, f"锚点文件 {path.name} 的签名不符，锚点被改动或不是本系统的密钥写的。"))
            continue
        out.append((path, data, ""))
    return out


def check_anchors() -> list[str]:
    """Problems found by comparing every anchor with the chain (empty when all hold)."""
    from .models import AuditEvent

    problems = []
    for path, data, problem in read_anchors():
        if data is None:
            problems.append(problem)
            continue
        seq = int(data.get("seq") or 0)
        if not seq:
            continue
        event = AuditEvent.objects.filter(seq=seq).only("hash").first()
        if event is None:
            problems.append(
                f"锚点 {path.name} 记录审计链已到第 {seq} 号，但该记录已不存在："
                "审计记录被从末尾删除（截断）。"
            )
        elif event.hash != data.get("hash"):
            problems.append(f"锚点 {path.name} 记录的第 {seq} 号审计记录哈希与现存记录不符：记录被改写。")
    return problems
