"""One audit record per imported object, written in bulk.

`jigai.audit.services.audit_record` writes one event per call (lock the chain head, insert, update the
head): right for a service that changes one object, but 100,000 imported rows would take minutes. This
writes the same events — every field of AuditEvent, the same SM3 chain over the same hashed content, so
`jigai audit verify` checks them like any other — under one lock of the chain head, in multi-row INSERTs.
It belongs in jigai.audit (proposed there as `audit_record_many`); until then it uses the audit app's own
chain helpers (HASHED_FIELDS, jsonable, canonical hashing) so the hashes are computed exactly alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from jigai.audit import services as audit_services
from jigai.audit.chain import HASHED_FIELDS, compute_hash, jsonable
from jigai.audit.models import AuditChainHead, AuditEvent

from .bulk import insert_rows

VARYING = ("seq", "target_id", "target_label", "region_path", "enterprise_id", "after", "prev_hash", "hash")


def audit_many(
    *,
    actor: Any,
    action: str,
    items: Iterable[tuple[models.Model, str, int | None, dict[str, Any]]],
    comment: str = "",
) -> int:
    """Append one event per (obj, region_path, enterprise_id, after) to the audit chain, in order, inside the
    caller's transaction. Returns the number of events."""
    fields = [f for f in AuditEvent._meta.concrete_fields]
    attnames = [f.attname for f in fields]
    with transaction.atomic():
        head = audit_services._lock_head()
        seq, prev = head.last_seq, head.last_hash
        # Everything but VARYING is the same for every event of this import.
        const: dict[str, Any] = {f.attname: f.get_default() for f in fields}
        who = audit_services._actor_fields(actor)
        const.update(
            {
                "occurred_at": timezone.now(),
                "action": action,
                "before": None,
                "comment": comment or "",
                "actor_id": who["actor"].pk if who["actor"] is not None else None,
                "actor_ref": who["actor_ref"],
                "actor_name": who["actor_name"],
                "actor_role": who["actor_role"],
            }
        )
        hashed_const = jsonable({name: const.get(name) for name in HASHED_FIELDS if name not in VARYING})
        type_label: str | None = None
        count = 0

        def rows():
            nonlocal seq, prev, count, type_label
            for obj, region_path, enterprise_id, after in items:
                if type_label is None:
                    type_label = obj._meta.label_lower
                seq += 1
                varying = {
                    "seq": seq,
                    "target_type": type_label,
                    "target_id": str(obj.pk),
                    "target_label": str(obj)[:200],
                    "region_path": region_path or "",
                    "enterprise_id": enterprise_id,
                    "after": jsonable(after),
                    "prev_hash": prev,
                }
                content = {**hashed_const, **{k: v for k, v in varying.items() if k in HASHED_FIELDS}}
                prev = varying["hash"] = compute_hash(content)
                count += 1
                values = {**const, **varying}
                yield [values[name] for name in attnames]

        insert_rows(AuditEvent, attnames, rows())
        if count:
            AuditChainHead.objects.filter(pk=head.pk).update(last_seq=seq, last_hash=prev)
    return count


def snapshot_fields(fields: tuple[str, ...]) -> Callable[[models.Model], dict[str, Any]]:
    """A fast snapshot of the named attributes (the registry's `snapshot` walks every field per object)."""

    def snap(obj: models.Model) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in fields}

    return snap
