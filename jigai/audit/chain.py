"""The hash chain of the audit trail: JSON-safe values, the canonical serialization and the keyed digest.

Each record's hash is HMAC-SM3 under a key kept outside the database (issue 12): the environment
(JIGAI_AUDIT_KEY) or a file only the app reads (JIGAI_AUDIT_KEY_FILE, default var/audit.key). Whoever can
write the database but not read the key cannot recompute the chain after changing a row, so
`jigai audit verify` finds the change. Kept free of models so the same code hashes a record when it is
written and when it is verified.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import os
import secrets
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise

# The first record chains from this fixed value (64 hex digits, like an SM3 digest).
GENESIS_HASH = "0" * 64

# The fields a record's hash covers, in a fixed list. The actor FK is left out on purpose: deleting a user
# sets it to NULL (SET_NULL); `actor_ref` keeps the user's id inside the hash instead.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_ref",
    "actor_name",
    "actor_role",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "region_path",
    "enterprise_id",
    "before",
    "after",
    "comment",
    "prev_hash",
)


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of `value` that survives a database round trip unchanged (so its hash stays the
    same): Decimal, float, dates and times become strings, model instances become {"id", "label"}."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return str(value).replace("\x00", "")  # PostgreSQL's jsonb refuses NUL characters
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, decimal.Decimal | float):
        # Never a JSON number: PostgreSQL's jsonb would rewrite 1.50 as 1.5 or 1e2 as 100 and break the hash.
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return {"id": jsonable(value.pk), "label": str(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=canonical_json)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_of(event: Any) -> dict[str, Any]:
    """The hashed content of an AuditEvent (or of anything with the same attributes)."""
    content = {name: getattr(event, name) for name in HASHED_FIELDS}
    return jsonable(content)


def plain_sm3(content: dict[str, Any]) -> str:
    """The unkeyed SM3 of the content: the chain's first scheme, kept to re-key a chain written by it."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(canonical_json(content).encode("utf-8"))
    return digest.finalize().hex()


_KEYS: dict[tuple[str, str], bytes] = {}


def key_file() -> Path:
    default = Path(settings.BASE_DIR) / "var" / "audit.key"
    given = getattr(settings, "JIGAI_AUDIT_KEY_FILE", "") or os.environ.get("JIGAI_AUDIT_KEY_FILE", "")
    return Path(given or default)


def audit_key() -> bytes:
    """The chain key: JIGAI_AUDIT_KEY (setting or environment), else the key file. Outside production the
    file is created (32 random bytes, mode 0600) on first use; production refuses to run without a key
    (jigai/audit/apps.py)."""
    given = getattr(settings, "JIGAI_AUDIT_KEY", "") or os.environ.get("JIGAI_AUDIT_KEY", "")
    path = key_file()
    cache_key = (given, str(path))
    if cache_key in _KEYS:
        return _KEYS[cache_key]
    if given:
        key = given.encode("utf-8")
    elif path.exists():
        key = path.read_bytes().strip()
    elif getattr(settings, "JIGAI_AUDIT_KEY_AUTOCREATE", True):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_hex(32).encode("ascii"))
        key = path.read_bytes().strip()
    else:
        raise ImproperlyConfigured(
            "审计链密钥未配置：请设置环境变量 JIGAI_AUDIT_KEY，"
            "或 JIGAI_AUDIT_KEY_FILE 指向只有本系统可读的密钥文件。"
        )
    if len(key) < 32:
        raise ImproperlyConfigured("审计链密钥太短：至少 32 个字符（建议 64 位十六进制随机数）。")
    _KEYS[cache_key] = key
    return key


def key_id(key: bytes | None = None) -> str:
    """A short public name of the key (its SM3's first 12 hex digits), recorded in anchors."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"jigai-audit-key-id:" + (key or audit_key()))
    return digest.finalize().hex()[:12]


def mac(data: bytes, key: bytes | None = None) -> str:
    h = hmac.HMAC(key or audit_key(), hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def compute_hash(content: dict[str, Any], key: bytes | None = None) -> str:
    """HMAC-SM3 under the chain key over the canonical JSON of the content (which includes prev_hash), as
    64 hex digits."""
    return mac(canonical_json(content).encode("utf-8"), key)
