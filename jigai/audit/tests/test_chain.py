"""The audit trail: records chain by SM3, any edit, deletion or reordering is found, the ORM cannot
change them."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from jigai.accounts.tests.factories import make_user
from jigai.audit import services
from jigai.audit.chain import GENESIS_HASH, compute_hash, content_of, jsonable
from jigai.audit.models import AuditChainHead, AuditEvent, AuditImmutableError
from jigai.audit.services import audit_record, audit_verify
from jigai.cli import main as jigai_main
from jigai.regions.models import Region

TABLE = AuditEvent._meta.db_table


def _write(n: int, actor=None) -> list[AuditEvent]:
    region = Region.objects.get(code="410102")
    return [
        audit_record(
            actor=actor, action="update", obj=region, before={"n": i}, after={"n": i + 1}, comment=f"第{i}次"
        )
        for i in range(n)
    ]


def _sql(sql: str, params=()) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


@pytest.mark.django_db
class TestChain:
    def test_records_chain_from_genesis(self):
        events = _write(4)
        assert [e.seq for e in events] == [1, 2, 3, 4]
        assert events[0].prev_hash == GENESIS_HASH
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
        assert all(len(e.hash) == 64 for e in events)
        head = AuditChainHead.objects.get()
        assert (head.last_seq, head.last_hash) == (4, events[-1].hash)
        result = audit_verify()
        assert (result.ok, result.count, result.first_bad_seq) == (True, 4, None)
        assert "完整" in result.reason

    def test_hash_is_sm3_over_canonical_json_and_survives_the_database(self):
        ev = audit_record(
            actor=None,
            action="update",
            before={"amount": Decimal("1.50"), "day": dt.date(2026, 11, 25), "rate": 0.1, "big": 10**15},
            after={"amount": Decimal("100"), "name": "郑州", "list": (1, "二")},
        )
        stored = AuditEvent.objects.get(pk=ev.seq)
        assert stored.before == {"amount": "1.50", "day": "2026-11-25", "rate": "0.1", "big": 10**15}
        assert stored.after == {"amount": "100", "name": "郑州", "list": [1, "二"]}
        assert compute_hash(content_of(stored)) == stored.hash == ev.hash
        # Known SM3 vector (GB/T 32905 "abc"), so the algorithm really is SM3.
        from cryptography.hazmat.primitives import hashes

        h = hashes.Hash(hashes.SM3())
        h.update(b"abc")
        assert h.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        assert audit_verify().ok

    def test_raw_sql_edit_is_found_at_its_seq(self):
        _write(5)
        _sql(f"UPDATE {TABLE} SET after = {_json_param()} WHERE seq = %s", ['{"n": 999}', 3])
        result = audit_verify()
        assert (result.ok, result.first_bad_seq) == (False, 3)
        assert "篡改" in result.reason

    def test_raw_sql_comment_edit_is_found(self):
        _write(3)
        _sql(f"UPDATE {TABLE} SET comment = %s WHERE seq = %s", ["改过的意见", 2])
        assert audit_verify().first_bad_seq == 2

    def test_deleted_middle_record_is_found(self):
        _write(5)
        _sql(f"DELETE FROM {TABLE} WHERE seq = %s", [3])
        result = audit_verify()
        assert (result.ok, result.first_bad_seq) == (False, 3)
        assert "缺失" in result.reason

    def test_deleted_last_record_is_found(self):
        _write(5)
        _sql(f"DELETE FROM {TABLE} WHERE seq = %s", [5])
        result = audit_verify()
        assert (result.ok, result.first_bad_seq) == (False, 5)
        assert "链尾" in result.reason

    def test_deleted_and_renumbered_records_are_found(self):
        """Deleting seq 3 and shifting 4, 5 down keeps the seq gap-free; prev_hash still breaks."""
        _write(5)
        _sql(f"DELETE FROM {TABLE} WHERE seq = %s", [3])
        _sql(f"UPDATE {TABLE} SET seq = seq - 1 WHERE seq > %s", [3])
        result = audit_verify()
        assert (result.ok, result.first_bad_seq) == (False, 3)

    def test_reordered_records_are_found(self):
        _write(4)
        _sql(f"UPDATE {TABLE} SET seq = -2 WHERE seq = 2")
        _sql(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")
        _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = -2")
        result = audit_verify()
        assert (result.ok, result.first_bad_seq) == (False, 2)

    def test_changed_actor_is_found(self):
        a, b = make_user("province"), make_user("province")
        _write(2, actor=a)
        _sql(f"UPDATE {TABLE} SET actor_id = %s WHERE seq = %s", [b.pk, 2])
        result = audit_verify()
        assert (result.ok, result.first_bad_seq) == (False, 2)
        assert "操作人" in result.reason

    def test_forged_record_appended_without_the_head_is_found(self):
        events = _write(2)
        forged = AuditEvent(
            seq=3,
            occurred_at=events[-1].occurred_at,
            action="approve",
            prev_hash=events[-1].hash,
            actor_ref="",
            actor_name="",
            actor_role="",
        )
        forged.hash = compute_hash(content_of(forged))
        forged.save()  # a valid link, but the head was not moved
        result = audit_verify()
        assert (result.ok, result.first_bad_seq) == (False, 3)

    def test_empty_chain_is_ok(self):
        result = audit_verify()
        assert result.ok and result.count == 0


@pytest.mark.django_db
class TestAppendOnly:
    def test_orm_cannot_update_or_delete(self):
        ev = _write(2)[0]
        ev.comment = "改"
        with pytest.raises(AuditImmutableError):
            ev.save()
        with pytest.raises(AuditImmutableError):
            ev.delete()
        with pytest.raises(AuditImmutableError):
            AuditEvent.objects.filter(seq=1).update(comment="改")
        with pytest.raises(AuditImmutableError):
            AuditEvent.objects.all().delete()
        with pytest.raises(AuditImmutableError):
            AuditEvent.objects.bulk_update([ev], ["comment"])
        assert AuditEvent.objects.get(seq=1).comment == "第0次"
        assert AuditEvent.objects.count() == 2
        assert audit_verify().ok

    def test_duplicate_seq_is_refused(self):
        ev = _write(1)[0]
        dup = AuditEvent(seq=ev.seq, occurred_at=ev.occurred_at, action="x", prev_hash="0", hash="1")
        with pytest.raises(IntegrityError), transaction.atomic():
            dup.save()

    def test_deleting_a_user_keeps_the_chain(self):
        user = make_user("province")
        _write(2, actor=user)
        pk = user.pk
        user.delete()
        ev = AuditEvent.objects.get(seq=1)
        assert ev.actor_id is None and ev.actor_ref == str(pk) and ev.actor_name == user.full_name
        assert audit_verify().ok

    def test_rollback_of_the_caller_rolls_back_the_record(self):
        _write(1)
        with pytest.raises(RuntimeError), transaction.atomic():
            _write(1)
            raise RuntimeError
        assert AuditEvent.objects.count() == 1
        assert AuditChainHead.objects.get().last_seq == 1
        assert _write(1)[0].seq == 2
        assert audit_verify().ok


@pytest.mark.django_db
class TestCommand:
    def test_verify_exits_0_when_intact(self):
        _write(3)
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        assert "共 3 条" in out.getvalue()
        assert jigai_main(["audit", "verify"]) == 0

    def test_verify_exits_1_with_the_reason_when_tampered(self, capsys):
        _write(3)
        _sql(f"UPDATE {TABLE} SET target_label = %s WHERE seq = %s", ["假对象", 2])
        err = StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("audit", "verify", stderr=err)
        assert exc.value.code == 1
        assert "第 2 号审计记录" in err.getvalue()
        with pytest.raises(SystemExit) as exc:
            jigai_main(["audit", "verify"])
        assert exc.value.code == 1
        assert "篡改" in capsys.readouterr().err

    def test_subcommand_is_required(self):
        from django.core.management import CommandError

        with pytest.raises(CommandError):
            call_command("audit")


def _writer(n: int, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    from django.db import connection as conn

    try:
        barrier.wait(timeout=10)
        for i in range(n):
            with transaction.atomic():
                audit_record(actor=None, action="update", after={"i": i, "t": threading.get_ident()})
    except BaseException as exc:  # reported to the test thread
        errors.append(exc)
    finally:
        conn.close()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_valid_chain(monkeypatch):
    """Two writers at once must each chain onto the other's last record, never onto the same one. On
    PostgreSQL two threads really race (the hashing is slowed to widen the window); SQLite serialises
    writers with its IMMEDIATE transactions, so there the writers run one after the other."""
    slow = services.compute_hash

    def slowed(content):
        time.sleep(0.002)
        return slow(content)

    monkeypatch.setattr(services, "compute_hash", slowed)
    per_thread = 15
    errors: list[BaseException] = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=_writer, args=(per_thread, barrier, errors)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    else:
        for _ in range(2):
            _writer(per_thread, threading.Barrier(1), errors)
    assert errors == []
    result = audit_verify()
    assert (result.ok, result.count) == (True, 2 * per_thread), result.reason
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 2 * per_thread + 1))


def test_jsonable_is_exact():
    assert jsonable(Decimal("0.10")) == "0.10"
    assert jsonable(dt.datetime(2026, 11, 25, 14, 3, tzinfo=dt.timezone(dt.timedelta(hours=8)))) == (
        "2026-11-25T06:03:00+00:00"
    )
    assert jsonable({1: {2, 1}}) == {"1": [1, 2]}


@pytest.mark.django_db
def test_a_record_costs_three_queries(django_assert_num_queries):
    """Lock the head, insert, move the head: what every audited service pays (pinned for their counts)."""
    region = Region.objects.get(code="410102")
    audit_record(actor=None, action="update", obj=region)
    with django_assert_num_queries(3):
        audit_record(actor=None, action="update", obj=region)
