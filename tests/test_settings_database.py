"""Database settings (issue 8): persistent, health-checked connections on PostgreSQL; the embedded SQLite
keeps Django's default (one connection per request is what its locking wants)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json; from config.settings import base; d = base.DATABASES['default']; "
    "print(json.dumps([d.get('CONN_MAX_AGE', 0), d.get('CONN_HEALTH_CHECKS', False)]))"
)


def _settings_with(url: str) -> list:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("JIGAI_CONN_MAX_AGE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_postgresql_connections_persist_and_are_checked():
    assert _settings_with("postgres://u@127.0.0.1:5432/jigai") == [60, True]


def test_sqlite_keeps_one_connection_per_request():
    assert _settings_with("sqlite:////tmp/jigai-settings-probe.sqlite3") == [0, False]
