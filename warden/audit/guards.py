"""Database-level refusal of UPDATE and DELETE on the audit tables (append-only), for PostgreSQL and SQLite.

A database administrator can still drop these guards; that is why the log is also a Merkle tree with signed
checkpoints. The guards stop accidents and casual edits, and make tampering a deliberate, visible act.
LogHead may be updated (it is the writer's state) but never deleted. On PostgreSQL TRUNCATE is refused too (a
statement trigger); Django's `flush` (tests only) lifts the guards around itself, see management/commands.
"""

from __future__ import annotations

from typing import Any

GUARDED = {
    # table: operations refused
    "audit_auditentry": ("UPDATE", "DELETE"),
    "audit_checkpoint": ("UPDATE", "DELETE"),
    "audit_loghead": ("DELETE",),
}

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def _pg_truncate_sql() -> list[str]:
    # CREATE OR REPLACE TRIGGER needs PostgreSQL 14+ (the project targets 15).
    return [
        f"CREATE OR REPLACE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();"
        for t in GUARDED
    ]


def trigger_names(table: str) -> list[str]:
    return [f"{table}_no_{op.lower()}" for op in GUARDED[table]]


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        sql = [_PG_FUNCTION]
        for table, ops in GUARDED.items():
            sql.append(
                f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(ops)} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();"
            )
        return sql + _pg_truncate_sql()
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only: {op} on {table} refused'); END;"
            for table, ops in GUARDED.items()
            for op in ops
        ]
    return []  # other databases: the Merkle tree and checkpoints still detect tampering


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return (
            [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in GUARDED]
            + [f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t};" for t in GUARDED]
            + ["DROP FUNCTION IF EXISTS audit_refuse_change();"]
        )
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name};" for t in GUARDED for name in trigger_names(t)]
    return []


def set_enabled(connection: Any, enabled: bool) -> None:
    """Switch the guards off and on again (used by `flush` in tests, and by tamper tests). On PostgreSQL
    ALTER TABLE ... DISABLE TRIGGER (needs the table owner); on SQLite the triggers are dropped/recreated."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            verb = "ENABLE" if enabled else "DISABLE"
            # ALTER TABLE refuses while deferred FK checks of this transaction are pending: run them now.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relname = ANY(%s) AND t.tgname LIKE 'audit%%'",
                [list(GUARDED)],
            )
            for table, trigger in cur.fetchall():
                cur.execute(f"ALTER TABLE {table} {verb} TRIGGER {trigger};")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for stmt in install_sql(connection.vendor) if enabled else uninstall_sql(connection.vendor):
                cur.execute(stmt)
