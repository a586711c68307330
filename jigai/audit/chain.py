"""The hash chain of the audit trail: JSON-safe values, the canonical serialization and the SM3 digest.

Kept free of models so the same code hashes a record when it is written and when it is verified.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import uuid
from typing import Any

from cryptography.hazmat.primitives import hashes
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


def compute_hash(content: dict[str, Any]) -> str:
    """SM3 over the canonical JSON of the content (which includes prev_hash), as 64 hex digits."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(canonical_json(content).encode("utf-8"))
    return digest.finalize().hex()
