"""Re-key the audit chain (issue 12): records written with the unkeyed SM3 are checked with it, then every
hash is recomputed from genesis as HMAC-SM3 under the chain key, and a record of the re-keying is appended.
A chain that does not verify is not re-keyed: the migration stops, so the evidence is kept as it is."""

from django.db import migrations
from django.utils import timezone


def rekey(apps, schema_editor):
    from jigai.audit.chain import GENESIS_HASH, compute_hash, content_of, plain_sm3

    Event = apps.get_model("audit", "AuditEvent")
    Head = apps.get_model("audit", "AuditChainHead")
    events = list(Event.objects.order_by("seq"))
    if not events:
        return
    prev = GENESIS_HASH
    for n, ev in enumerate(events, start=1):
        if ev.seq != n or ev.prev_hash != prev or plain_sm3(content_of(ev)) != ev.hash:
            raise RuntimeError(
                f"审计链在第 {ev.seq} 号记录处校验未通过，未重新签名；请先用上一版本的 jigai audit verify 查明原因。"
            )
        prev = ev.hash
    prev = GENESIS_HASH
    for ev in events:
        ev.prev_hash = prev
        ev.hash = compute_hash(content_of(ev))
        prev = ev.hash
    # Temporary hashes first: the new values could collide with an old one of another row (unique index).
    for ev in events:
        Event.objects.filter(seq=ev.seq).update(hash=f"rekey-{ev.seq}")
    for ev in events:
        Event.objects.filter(seq=ev.seq).update(prev_hash=ev.prev_hash, hash=ev.hash)
    last = events[-1]
    note = Event(
        seq=last.seq + 1,
        occurred_at=timezone.now(),
        actor_ref="",
        actor_name="",
        actor_role="",
        action="audit.rekey",
        target_type="",
        target_id="",
        target_label="",
        region_path="",
        enterprise_id=None,
        before=None,
        after={"records": len(events), "scheme": "HMAC-SM3"},
        comment=f"审计链改为密钥哈希（HMAC-SM3）：第 1 至 {last.seq} 号记录已按原 SM3 校验通过后重新签名。",
        prev_hash=last.hash,
    )
    note.hash = compute_hash(content_of(note))
    note.save(force_insert=True)
    Head.objects.update_or_create(pk=1, defaults={"last_seq": note.seq, "last_hash": note.hash})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
