"""The audit trail can be proven (issue 12): the chain is keyed (HMAC-SM3) so a rewrite with the system's
own function but without the key is found; signed anchors outside the database find a truncation; the
database itself refuses UPDATE and DELETE of audit rows once protected; production needs the key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from jigai.accounts.tests.factories import make_user
from jigai.audit import anchors, protect
from jigai.audit.chain import GENESIS_HASH, canonical_json, compute_hash, content_of, plain_sm3
from jigai.audit.models import AuditChainHead, AuditEvent
from jigai.audit.services import audit_record, audit_verify
from jigai.regions.models import Region

TABLE = AuditEvent._meta.db_table
ROOT = Path(__file__).resolve().parents[3]


def _write(n: int, actor=None) -> list[AuditEvent]:
    region = Region.objects.get(code="410102")
    return [audit_record(actor=actor, action="update", obj=region, after={"n": i}) for i in range(n)]


def _sql(sql: str, params=()) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _rewrite_from(seq: int, comment: str, hasher) -> None:
    """The attack of the issue: change a row, recompute every hash from it onward with `hasher`, move the
    head — all in raw SQL, as someone with the database's password would."""
    _sql(f"UPDATE {TABLE} SET comment = %s WHERE seq = %s", [comment, seq])
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
    for ev in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        ev.prev_hash = prev
        new = hasher(content_of(ev))
        _sql(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE seq = %s", [prev, new, ev.seq])
        prev = new
    _sql("UPDATE audit_auditchainhead SET last_hash = %s WHERE id = 1", [prev])


@pytest.mark.django_db
class TestKeyedChain:
    def test_the_hash_is_keyed(self):
        ev = _write(1)[0]
        assert ev.hash == compute_hash(content_of(ev))
        assert ev.hash != plain_sm3(content_of(ev))
        assert compute_hash(content_of(ev), key=b"another-key-0123456789abcdef0123456789") != ev.hash

    def test_a_rewrite_with_the_unkeyed_function_is_found(self):
        _write(5)
        assert audit_verify().ok
        _rewrite_from(3, "改过的意见", plain_sm3)
        result = audit_verify()
        assert not result.ok and result.first_bad_seq == 3

    def test_a_rewrite_with_the_systems_function_under_a_guessed_key_is_found(self):
        _write(5)
        guessed = b"guessed-key-guessed-key-guessed-key-0000"
        _rewrite_from(2, "改过的意见", lambda content: compute_hash(content, key=guessed))
        result = audit_verify()
        assert not result.ok and result.first_bad_seq == 2

    def test_only_the_key_recomputes_a_valid_chain(self):
        # The control: with the real key the same rewrite passes — so the key is what protects the chain,
        # and it must stay outside the database.
        _write(4)
        _rewrite_from(2, "改过的意见", compute_hash)
        assert audit_verify(check_anchors=False).ok


@pytest.mark.django_db
class TestAnchors:
    def test_truncation_after_an_anchor_is_found(self, tmp_path):
        with override_settings(JIGAI_AUDIT_ANCHOR_DIR=str(tmp_path)):
            _write(6)
            path = anchors.write_anchor()
            body = json.loads(path.read_text(encoding="utf-8"))
            assert body["seq"] == 6 and len(body["signature"]) == 64
            assert audit_verify().ok
            # Cut the last two records and move the head back: the chain alone looks whole.
            _sql(f"DELETE FROM {TABLE} WHERE seq > 4")
            last = AuditEvent.objects.get(seq=4)
            _sql("UPDATE audit_auditchainhead SET last_seq = 4, last_hash = %s WHERE id = 1", [last.hash])
            assert audit_verify(check_anchors=False).ok
            result = audit_verify()
            assert not result.ok and "截断" in result.reason

    def test_a_forged_anchor_is_refused(self, tmp_path):
        with override_settings(JIGAI_AUDIT_ANCHOR_DIR=str(tmp_path)):
            _write(2)
            path = anchors.write_anchor()
            body = json.loads(path.read_text(encoding="utf-8"))
            body["seq"] = 1
            path.write_text(json.dumps(body), encoding="utf-8")
            result = audit_verify()
            assert not result.ok and "签名不符" in result.reason

    def test_the_command_writes_an_anchor_and_schedules_the_next(self, tmp_path):
        with override_settings(JIGAI_AUDIT_ANCHOR_DIR=str(tmp_path)):
            _write(1)
            out = StringIO()
            call_command("audit", "anchor", "--schedule", stdout=out)
            assert "已写入审计锚点" in out.getvalue()
            assert list(tmp_path.glob("*.json"))

    def test_a_broken_chain_is_not_anchored(self, tmp_path):
        with override_settings(JIGAI_AUDIT_ANCHOR_DIR=str(tmp_path)):
            _write(3)
            _sql(f"UPDATE {TABLE} SET comment = 'x' WHERE seq = 2")
            with pytest.raises(RuntimeError):
                anchors.write_anchor()
            assert not list(tmp_path.glob("*.json"))


@pytest.mark.django_db
class TestDatabaseProtection:
    def test_update_and_delete_are_refused_by_the_database(self):
        user = make_user(role="province", region_code="410000")
        _write(3, actor=user)
        out = StringIO()
        call_command("audit", "protect", stdout=out)
        assert protect.installed() and "触发器" in out.getvalue()
        for statement in (
            f"UPDATE {TABLE} SET comment = 'x' WHERE seq = 2",
            f"DELETE FROM {TABLE} WHERE seq = 3",
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                _sql(statement)
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError), transaction.atomic():
                _sql(f"TRUNCATE {TABLE}")
        assert AuditEvent.objects.count() == 3
        # Deleting a user still sets the actor to NULL (the one update the trigger lets through).
        user.delete()
        assert AuditEvent.objects.filter(actor__isnull=True).count() == 3
        assert audit_verify(check_anchors=False).ok
        protect.remove()
        assert not protect.installed()


@pytest.mark.django_db
def test_the_rekey_migration_resigns_a_chain_written_with_plain_sm3():
    from importlib import import_module

    from django.db.migrations.executor import MigrationExecutor

    migration = import_module("jigai.audit.migrations.0002_rekey_chain")
    historical = MigrationExecutor(connection).loader.project_state(("audit", "0001_initial")).apps
    # A chain of the previous release: plain SM3.
    prev = GENESIS_HASH
    for seq in (1, 2, 3):
        ev = AuditEvent(
            seq=seq, occurred_at=region_time(), action="update", prev_hash=prev, target_label=str(seq)
        )
        ev.hash = plain_sm3(content_of(ev))
        ev.save()
        prev = ev.hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_seq": 3, "last_hash": prev})
    assert not audit_verify(check_anchors=False).ok  # the keyed check refuses the old scheme
    migration.rekey(historical, None)
    result = audit_verify(check_anchors=False)
    assert result.ok and result.count == 4
    assert AuditEvent.objects.get(seq=4).action == "audit.rekey"


def region_time():
    from django.utils import timezone

    return timezone.now()


def _run_prod(env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIGAI_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "JIGAI_SECRET_KEY": "k9" + "".join(chr(65 + i % 26) + str(i) for i in range(40)),
            "JIGAI_ALLOWED_HOSTS": "example.org",
            **env_extra,
        }
    )
    code = "import django; django.setup(); print('started')"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_the_audit_key(tmp_path):
    missing = _run_prod({"JIGAI_AUDIT_KEY_FILE": str(tmp_path / "no-such.key")})
    assert missing.returncode != 0 and "审计链密钥未配置" in missing.stderr
    short = _run_prod({"JIGAI_AUDIT_KEY": "short"})
    assert short.returncode != 0 and "审计链密钥太短" in short.stderr
    ok = _run_prod({"JIGAI_AUDIT_KEY": "x" * 16 + canonical_json({"k": 1}) + "y" * 32})
    assert ok.returncode == 0, ok.stderr[-2000:]


@pytest.mark.django_db
def test_the_daily_anchor_is_queued_once_for_after_midnight():
    from django_tasks_db.models import DBTaskResult

    from jigai.audit.tasks import TASK_PATH, next_run, schedule_next
    from jigai.jobs.testing import DATABASE_TASKS

    with override_settings(TASKS=DATABASE_TASKS):
        assert schedule_next() is True
        assert schedule_next() is False  # already waiting: not queued twice
        queued = DBTaskResult.objects.get(task_path=TASK_PATH)
        assert queued.run_after == next_run()
