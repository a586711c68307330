"""Writing and verifying the audit trail.

Every service that changes state calls `audit_record(...)` inside its own transaction. The object being
audited may say where it belongs by defining `audit_region` (a Region, or a callable returning one) and
`audit_enterprise_id` (int or None); otherwise its `region` / `enterprise` fields are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, compute_hash, content_of, jsonable
from .models import AuditChainHead, AuditEvent

_HEAD_PK = 1


def snapshot(obj: models.Model, fields: list[str] | tuple[str, ...] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of the instance's field values (foreign keys as their id, Decimal and dates as
    strings), for `before=` and `after=`. `fields` limits it to those field names."""
    data: dict[str, Any] = {}
    wanted = set(fields) if fields is not None else None
    for f in obj._meta.concrete_fields:
        if wanted is not None and f.name not in wanted and f.attname not in wanted:
            continue
        data[f.name] = getattr(obj, f.attname)
    for f in obj._meta.many_to_many:
        if wanted is not None and f.name in wanted and obj.pk is not None:
            data[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return jsonable(data)


def _enterprise_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "audit_enterprise_id"):
        value = obj.audit_enterprise_id
        return value() if callable(value) else value
    if isinstance(obj, models.Model) and obj._meta.label_lower == "registry.enterprise":
        return obj.pk
    if getattr(obj, "enterprise_id", None) is not None:
        return obj.enterprise_id
    return None


def _region_path(obj: Any) -> str:
    if obj is None:
        return ""
    region = None
    if hasattr(obj, "audit_region"):
        region = obj.audit_region() if callable(obj.audit_region) else obj.audit_region
    elif isinstance(obj, models.Model) and obj._meta.label_lower == "regions.region":
        region = obj
    elif getattr(obj, "region_id", None) is not None:
        region = obj.region
    elif getattr(obj, "enterprise_id", None) is not None and getattr(obj.enterprise, "region_id", None):
        region = obj.enterprise.region
    return getattr(region, "path", "") or ""


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_ref": "", "actor_name": "", "actor_role": ""}
    name = (actor.get_full_name() or "").strip() or actor.get_username()
    return {
        "actor": actor,
        "actor_ref": str(actor.pk),
        "actor_name": name[:150],
        "actor_role": str(getattr(actor, "role", "") or ""),
    }


def _lock_head() -> AuditChainHead:
    """Lock the chain head row (created on first use from the current tail of the chain)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=_HEAD_PK).first()
    if head is None:
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        AuditChainHead.objects.bulk_create(
            [
                AuditChainHead(
                    pk=_HEAD_PK,
                    last_seq=last.seq if last else 0,
                    last_hash=last.hash if last else GENESIS_HASH,
                )
            ],
            ignore_conflicts=True,  # two first writers at once: one insert wins, both then lock it
        )
        head = AuditChainHead.objects.select_for_update().get(pk=_HEAD_PK)
    return head


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    comment: str = "",
) -> AuditEvent:
    """Append one event to the audit chain. Call it inside the transaction that makes the change, so the
    event and the change commit or roll back together. `actor` None means the system itself."""
    if not action:
        raise ValueError("审计记录缺少操作类型")
    target: dict[str, Any] = {"target_type": "", "target_id": "", "target_label": ""}
    if obj is not None:
        target = {
            "target_type": obj._meta.label_lower,
            "target_id": "" if obj.pk is None else str(obj.pk),
            "target_label": str(obj)[:200],
        }
    # Everything but the chain's place (seq, prev_hash, time) is worked out before the head is locked: the
    # lock serialises every audited write until its transaction commits (the deadline rush), so it is held
    # only for the hash, the insert and the head's update.
    event = AuditEvent(
        action=action,
        region_path=_region_path(obj),
        enterprise_id=_enterprise_id(obj),
        before=None if before is None else jsonable(before),
        after=None if after is None else jsonable(after),
        comment=comment or "",
        **_actor_fields(actor),
        **target,
    )
    # No savepoint inside the caller's transaction: a failure here must fail the caller's change too.
    with transaction.atomic(savepoint=False):
        # On PostgreSQL the row lock serialises writers; on SQLite the IMMEDIATE transaction already holds
        # the database's write lock (settings: transaction_mode=IMMEDIATE).
        head = _lock_head()
        event.seq = head.last_seq + 1
        event.occurred_at = timezone.now()
        event.prev_hash = head.last_hash
        event.hash = compute_hash(content_of(event))
        event.save()
        AuditChainHead.objects.filter(pk=_HEAD_PK).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_bad_seq: int | None
    reason: str


def _bad(count: int, seq: int | None, reason: str) -> VerifyResult:
    return VerifyResult(ok=False, count=count, first_bad_seq=seq, reason=reason)


def audit_verify(*, check_anchors: bool = True) -> VerifyResult:
    """Walk the chain from the first record: every seq present in order, every prev_hash equal to the
    hash before it, every hash equal to the recomputed SM3, and the last record equal to the chain head.
    Detects edited, deleted, inserted and reordered records (raw SQL included)."""
    head = AuditChainHead.objects.filter(pk=_HEAD_PK).first()
    # Records written after the head was read belong to a later check (writers keep appending meanwhile).
    limit = head.last_seq if head is not None else None
    events = AuditEvent.objects.order_by("seq")
    if limit is not None:
        events = events.filter(seq__lte=limit)
    expected, prev_hash, count = 1, GENESIS_HASH, 0
    for ev in events.iterator(chunk_size=2000):
        count += 1
        if ev.seq != expected:
            return _bad(
                count,
                expected,
                f"第 {expected} 号审计记录缺失（序号从 {expected - 1} 跳到 {ev.seq}），记录被删除。",
            )
        if ev.prev_hash != prev_hash:
            return _bad(
                count,
                ev.seq,
                f"第 {ev.seq} 号审计记录的前序哈希与上一条记录不符，记录被删除、插入或调换了顺序。",
            )
        if compute_hash(content_of(ev)) != ev.hash:
            return _bad(
                count,
                ev.seq,
                f"第 {ev.seq} 号审计记录的内容与其密钥哈希不符，记录被篡改（或密钥不是写入时的密钥）。",
            )
        if ev.actor_id is not None and str(ev.actor_id) != ev.actor_ref:
            return _bad(count, ev.seq, f"第 {ev.seq} 号审计记录的操作人被改动。")
        prev_hash = ev.hash
        expected += 1
    last_seq = expected - 1
    if head is None:
        if count:
            return _bad(count, None, "审计链头记录缺失，无法确认末尾的记录是否被删除。")
        if check_anchors:
            from .anchors import check_anchors as anchor_problems

            problems = anchor_problems()
            if problems:
                return _bad(0, None, "；".join(problems))
        return VerifyResult(ok=True, count=0, first_bad_seq=None, reason="审计链为空。")
    if head.last_seq != last_seq or head.last_hash != prev_hash:
        return _bad(
            count,
            last_seq + 1 if head.last_seq > last_seq else head.last_seq,
            f"审计链尾不符：链头记为第 {head.last_seq} 号，实际最后一条为第 {last_seq} 号，"
            "末尾的记录被删除或改动。",
        )
    now_head = AuditChainHead.objects.filter(pk=_HEAD_PK).first()
    if (
        now_head is not None
        and now_head.last_seq == head.last_seq
        and AuditEvent.objects.filter(seq__gt=head.last_seq).exists()
    ):
        return _bad(count, head.last_seq + 1, f"第 {head.last_seq} 号之后有未经登记的审计记录，记录被插入。")
    if check_anchors:
        from .anchors import check_anchors as anchor_problems

        problems = anchor_problems()
        if problems:
            return _bad(count, None, "；".join(problems))
    return VerifyResult(
        ok=True, count=count, first_bad_seq=None, reason=f"审计链完整：共 {count} 条记录，哈希校验通过。"
    )
