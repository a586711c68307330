"""`jigai backup` and `jigai restore` (issue 12): a consistent snapshot of the database, the uploaded files
and the audit anchors, with a manifest, and its restore into an empty database.

- SQLite: the online backup API (a consistent copy while the system runs).
- PostgreSQL: `pg_dump --format=custom` (one snapshot transaction), restored with `pg_restore`.
- Uploaded files (MEDIA_ROOT) as media.tar.gz; the anchors (JIGAI_AUDIT_ANCHOR_DIR) as anchors/.
- manifest.json: time, database kind, migrations applied, the audit head, the audit key's id (the key
  itself is never in a backup: it is kept apart, and the same key must be configured to restore), and
  the SHA-256 of every part, checked before anything is restored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres")]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{m.app}.{m.name}" for m in MigrationRecorder(connection).migration_qs.all())


def backup(target: str | Path) -> Path:
    """Write a backup folder under `target`; returns its path."""
    from .anchors import anchor_dir, write_anchor
    from .chain import key_id
    from .models import AuditChainHead

    try:
        write_anchor()  # the backup carries an anchor of the head it contains
    except RuntimeError as error:
        raise BackupError(f"审计链校验未通过，未备份：{error}") from None
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(target) / f"jigai-backup-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    db = connection.settings_dict
    parts: dict[str, str] = {}
    if connection.vendor == "sqlite":
        out = folder / "db.sqlite3"
        connection.ensure_connection()
        dest = sqlite3.connect(out)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
        parts["database"] = out.name
    elif connection.vendor == "postgresql":
        out = folder / "db.dump"
        args, env = _pg_env(db)
        cmd = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *args,
            "--file",
            str(out),
            db["NAME"],
        ]
        run = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603 (settings' values, no shell)
        if run.returncode != 0:
            raise BackupError(f"pg_dump 失败：{run.stderr.strip()[-500:]}")
        parts["database"] = out.name
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    parts["media"] = "media.tar.gz"
    anchors_src = anchor_dir()
    if anchors_src.exists():
        shutil.copytree(anchors_src, folder / "anchors")
    head = AuditChainHead.objects.filter(pk=1).first()
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "migrations": _applied_migrations(),
        "audit_head": {"seq": head.last_seq if head else 0, "hash": head.last_hash if head else ""},
        "audit_key_id": key_id(),
        "files": {str(p.relative_to(folder)): _sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()},
        "parts": parts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def read_manifest(folder: str | Path) -> dict[str, Any]:
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{folder} 不是技改通的备份（没有可读的 {MANIFEST}）。") from None
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（SHA-256 不符），未恢复任何内容。")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(folder: str | Path, *, force: bool = False) -> dict[str, Any]:
    """Restore a backup into the configured (empty) database and media folder. Returns the manifest."""
    from .anchors import anchor_dir
    from .chain import key_id

    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.get("audit_key_id") != key_id():
        raise BackupError(
            "当前配置的审计链密钥与备份时的不同（密钥编号不符）：请先配置备份时使用的密钥，否则审计链无法校验。"
        )
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.get('vendor')} 数据库，当前为 {connection.vendor}，不能直接恢复。"
        )
    if not force and not _database_is_empty():
        raise BackupError("目标数据库不是空的：恢复只写入空数据库（确需覆盖请加 --force）。")
    media = Path(settings.MEDIA_ROOT)
    if not force and media.exists() and any(media.iterdir()):
        raise BackupError(f"上传文件目录 {media} 不是空的：恢复只写入空目录（确需覆盖请加 --force）。")
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = db["NAME"]
        connections.close_all()
        src = sqlite3.connect(folder / manifest["parts"]["database"])
        dest = sqlite3.connect(name)
        try:
            src.backup(dest)
        finally:
            src.close()
            dest.close()
    else:
        args, env = _pg_env(db)
        connections.close_all()
        cmd = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            *args,
            "--dbname",
            db["NAME"],
        ]
        if force:
            cmd += ["--clean", "--if-exists"]
        run = subprocess.run(  # noqa: S603 (settings' values, no shell)
            [*cmd, str(folder / manifest["parts"]["database"])], env=env, capture_output=True, text=True
        )
        if run.returncode != 0:
            raise BackupError(f"pg_restore 失败：{run.stderr.strip()[-500:]}")
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / manifest["parts"]["media"], "r:gz") as tar:
        for member in tar.getmembers():
            if not member.name.startswith("media") or member.issym() or member.islnk():
                continue
            member.name = member.name[len("media") :].lstrip("/")
            if not member.name:
                continue
            tar.extract(member, media, filter="data")
    anchors_src = folder / "anchors"
    if anchors_src.exists():
        target = anchor_dir()
        target.mkdir(parents=True, exist_ok=True)
        for path in anchors_src.glob("*.json"):
            shutil.copy2(path, target / path.name)
    return manifest


def backup_age(manifest: dict[str, Any]) -> dt.timedelta:
    return timezone.now() - dt.datetime.fromisoformat(manifest["created_at"])
