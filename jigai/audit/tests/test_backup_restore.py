"""`jigai backup` then `jigai restore` into an empty database (issue 12): the audit chain verifies after
the restore and an uploaded file is back byte for byte; a damaged backup or a non-empty target is refused
and nothing is restored. Run as the operator would, with the command line, on the database of the run
(SQLite, and PostgreSQL when DATABASE_URL points at one)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
KEY = "backup-test-audit-key-0123456789abcdef0123456789abcdef"
PG = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

POPULATE = """
from jigai.audit.services import audit_record
from jigai.regions.models import Region
from pathlib import Path
from django.conf import settings
region = Region.objects.get(code="410102")
for i in range(5):
    audit_record(actor=None, action="update", obj=region, after={"n": i}, comment=f"第{i}次")
target = Path(settings.MEDIA_ROOT) / "funding" / "attachments" / "2026"
target.mkdir(parents=True, exist_ok=True)
(target / "ab12.pdf").write_bytes(b"%PDF-1.4 backup test %%EOF")
"""


def _pg_url(name: str) -> str:
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{name}"


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def places(tmp_path):
    names = {}
    if PG:
        suffix = uuid.uuid4().hex[:8]
        names = {w: f"jigai_bk_{w}_{suffix}" for w in ("src", "dst", "third")}
        for n in names.values():
            _psql(f'CREATE DATABASE "{n}"')
    yield tmp_path, names
    for n in names.values():
        _psql(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')


def _env(tmp: Path, which: str, names: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIGAI_", "DJANGO_"))}
    url = _pg_url(names[which]) if PG else f"sqlite:///{tmp / f'{which}.sqlite3'}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": url,
            "JIGAI_MEDIA_ROOT": str(tmp / f"media_{which}"),
            "JIGAI_AUDIT_KEY": KEY,
            "JIGAI_AUDIT_ANCHOR_DIR": str(tmp / f"anchors_{which}"),
        }
    )
    return env


def _jigai(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jigai.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_backup_and_restore_into_an_empty_database(places):
    tmp, names = places
    src, dst = _env(tmp, "src", names), _env(tmp, "dst", names)
    assert _jigai(src, "migrate", "--noinput", "-v", "0").returncode == 0
    populated = _jigai(src, "shell", "-c", POPULATE)
    assert populated.returncode == 0, populated.stderr[-2000:]
    made = _jigai(src, "backup", str(tmp / "backups"))
    assert made.returncode == 0, made.stderr[-2000:]
    folder = next((tmp / "backups").iterdir())
    assert (folder / "manifest.json").exists() and list((folder / "anchors").glob("*.json"))

    restored = _jigai(dst, "restore", str(folder))
    assert restored.returncode == 0, restored.stderr[-2000:] + restored.stdout[-2000:]
    assert "审计链完整" in restored.stdout
    verify = _jigai(dst, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert "共 5 条记录" in verify.stdout
    assert (
        tmp / "media_dst" / "funding/attachments/2026/ab12.pdf"
    ).read_bytes() == b"%PDF-1.4 backup test %%EOF"

    # Into a database that is not empty: refused.
    again = _jigai(dst, "restore", str(folder))
    assert again.returncode != 0 and "不是空的" in again.stderr

    # A damaged backup restores nothing (checked before anything is written).
    media = folder / "media.tar.gz"
    media.write_bytes(media.read_bytes() + b"x")
    third = _env(tmp, "third", names)
    damaged = _jigai(third, "restore", str(folder))
    assert damaged.returncode != 0 and "已损坏" in damaged.stderr
    assert not (tmp / "media_third").exists()
