"""The database itself refuses to change or delete audit records (issue 12): a trigger on the audit table
(PostgreSQL and SQLite) and, on PostgreSQL, REVOKE of UPDATE/DELETE/TRUNCATE from the application's role
when it is not the table's owner. `jigai audit protect` installs it (idempotent); `make run` runs it.

The one update let through is the one Django makes when a user is deleted: `actor` set to NULL, nothing
else changed (the actor is outside the hash; `actor_ref` keeps the user's id inside it).
"""

from __future__ import annotations

from django.db import connection

TABLE = "audit_auditevent"
TRIGGER = "jigai_audit_append_only"
MESSAGE = "审计记录只能追加，不能修改或删除。"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
     AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _sqlite_columns() -> list[str]:
    with connection.cursor() as cur:
        cur.execute(f"PRAGMA table_info({TABLE})")
        return [row[1] for row in cur.fetchall()]


def install(app_role: str = "") -> list[str]:
    """Install the protection; returns what was done, in words."""
    done = []
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(_PG_FUNCTION)
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {TABLE}")
            cur.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE} "
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
            )
            cur.execute(
                f"CREATE TRIGGER {TRIGGER}_truncate BEFORE TRUNCATE ON {TABLE} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
            done.append("已安装触发器：审计表拒绝 UPDATE、DELETE、TRUNCATE。")
            if app_role:
                role = connection.ops.quote_name(app_role)
                cur.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {TABLE} FROM {role}")
                cur.execute(f"GRANT SELECT, INSERT ON {TABLE} TO {role}")
                done.append(f"已收回数据库角色 {app_role} 对审计表的 UPDATE、DELETE、TRUNCATE 权限。")
        elif connection.vendor == "sqlite":
            unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _sqlite_columns() if c != "actor_id")
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_update")
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_delete")
            cur.execute(
                f"CREATE TRIGGER {TRIGGER}_update BEFORE UPDATE ON {TABLE} "
                f"WHEN NOT (NEW.actor_id IS NULL AND {unchanged}) "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
            cur.execute(
                f"CREATE TRIGGER {TRIGGER}_delete BEFORE DELETE ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
            done.append("已安装触发器：审计表拒绝 UPDATE、DELETE。")
        else:
            done.append(f"数据库 {connection.vendor} 不支持，未安装保护。")
    return done


def installed() -> bool:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s)", [TRIGGER, f"{TRIGGER}_truncate"]
            )
            return cur.fetchone()[0] == 2
        if connection.vendor == "sqlite":
            cur.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
                [f"{TRIGGER}_update", f"{TRIGGER}_delete"],
            )
            return cur.fetchone()[0] == 2
    return False


def remove() -> None:
    """Only for tests and for restoring a backup into a database (the restore reinstalls it)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}")
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {TABLE}")
        elif connection.vendor == "sqlite":
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_update")
            cur.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_delete")
