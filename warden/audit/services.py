"""Writing to the audit log. `record` is called by every state-changing service, inside its transaction.

The log head row (LogHead: size and the compact range of the tree) is the only shared state an append touches.
Each process remembers the head it last wrote and appends optimistically with a compare-and-set:

    PostgreSQL, one statement:  WITH u AS (UPDATE head SET size = n+1, frontier = F' WHERE size = n AND
                                frontier = F RETURNING 1) INSERT INTO entries SELECT ... FROM u
    SQLite, two statements:     UPDATE head ... WHERE size = n AND frontier = F; INSERT INTO entries ...

If another writer got there first, nothing is written (the UPDATE re-checks its WHERE after waiting for the
row lock), and the append falls back to SELECT ... FOR UPDATE of the head and writes again. The head row lock
is held to commit either way, so seq stays dense and in commit order under concurrent writers, and a rolled-
back append leaves no gap. No ORDER BY and no tree reads: the leaf's subtree hashes come from the head.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from warden.audit.merkle import CompactRange
from warden.audit.models import AuditEntry
from warden.lib.canonical import canonical_bytes

_HEAD_LOCK_KEY = 7264001  # pg advisory lock taken only while (re)creating the head row
_COLUMNS = "seq, at, actor_id, actor_label, action, object_type, object_id, case_id, entry, leaf_hash, nodes"
_PG_SELECT = "SELECT size, frontier FROM audit_loghead WHERE id = 1 FOR UPDATE"
_PG_APPEND = (
    "WITH u AS (UPDATE audit_loghead SET size = %s, frontier = %s WHERE id = 1 AND size = %s AND frontier = %s "
    f"RETURNING 1) INSERT INTO audit_auditentry ({_COLUMNS}) "
    "SELECT %s, %s::timestamptz, %s::bigint, %s, %s, %s, %s, %s::bigint, %s, %s, %s::bytea FROM u"
)
_SQLITE_SELECT = "SELECT size, frontier FROM audit_loghead WHERE id = 1"
_SQLITE_CAS = "UPDATE audit_loghead SET size = ?, frontier = ? WHERE id = 1 AND size = ? AND frontier = ?"
_SQLITE_INSERT = f"INSERT INTO audit_auditentry ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

# The head this process last wrote, per database alias. Only a guess: the compare-and-set above checks it,
# so a stale or rolled-back value costs one extra round trip, never a wrong entry.
_head_cache: dict[str, tuple[int, bytes]] = {}
# Set while other processes are appending too: then a guess is usually stale, and a failed compare-and-set
# costs a lock wait plus two more round trips, so lock-then-write (two round trips) is cheaper. Cleared as
# soon as the locked read finds the head where this process left it.
_contended: dict[str, bool] = {}


class AuditOutsideTransaction(RuntimeError):
    pass


def leaf_hash(entry: bytes) -> str:
    """RFC 6962 leaf hash: SHA-256(0x00 || entry), hex."""
    return hashlib.sha256(b"\x00" + entry).hexdigest()


def _execute(raw: Any, postgres: bool, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """Run a statement on the driver connection. PostgreSQL: a server-side-binding cursor with a prepared
    statement (Django's connections bind client-side, which formats every parameter as SQL text)."""
    if postgres:
        import psycopg

        return psycopg.Cursor(raw).execute(sql, params, prepare=True)
    return raw.execute(sql, params)


def _read_head(raw: Any, postgres: bool) -> tuple[int, bytes]:
    """Lock the head row for the rest of the transaction and return (size, frontier)."""
    select = _PG_SELECT if postgres else _SQLITE_SELECT
    row = _execute(raw, postgres, select).fetchone()
    if row is None:
        with connection.cursor() as cur:
            _create_head(cur)
        row = _execute(raw, postgres, select).fetchone()
    return int(row[0]), bytes(row[1])


def _create_head(cur: Any) -> None:
    """Create the head row from the entries already stored (a new database, or one emptied by `flush`)."""
    if connection.vendor == "postgresql":
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_HEAD_LOCK_KEY])
    cur.execute("SELECT 1 FROM audit_loghead WHERE id = 1")
    if cur.fetchone() is not None:
        return  # another writer created it while we waited for the lock
    cr = CompactRange()
    cur.execute("SELECT leaf_hash FROM audit_auditentry ORDER BY seq")
    for (hexhash,) in cur.fetchall():
        cr.append(bytes.fromhex(hexhash))
    cur.execute("INSERT INTO audit_loghead (id, size, frontier) VALUES (1, %s, %s)", [cr.size, cr.to_bytes()])


def _try_append(
    raw: Any, postgres: bool, head: tuple[int, bytes], fields: tuple[Any, ...]
) -> AuditEntry | None:
    """Write the entry as leaf head.size if the head is still `head`; None if another writer moved it."""
    size, frontier = head
    actor_id, actor_label, action, object_type, object_id, case_id, data = fields
    at = timezone.now()
    # Canonical JSON sorts keys, so "seq" comes last and the stored text always ends with `"seq":N}`; the
    # verifier relies on that to check a row's position without parsing JSON. Keep new keys sorting before it.
    entry = canonical_bytes(
        {
            "action": action,
            "actor": actor_label,
            "at": at.isoformat(),
            "case": case_id,
            "data": data,
            "object": {"type": object_type, "id": object_id},
            "seq": size,
        }
    )
    leaf = hashlib.sha256(b"\x00" + entry).digest()
    cr = CompactRange.from_bytes(size, frontier)
    nodes = b"".join(cr.append(leaf))
    new_frontier = cr.to_bytes()
    text = entry.decode("utf-8")
    leaf_hex = leaf.hex()
    if postgres:
        cur = _execute(
            raw,
            postgres,
            _PG_APPEND,
            (
                cr.size,
                new_frontier,
                size,
                frontier,
                size,
                at,
                actor_id,
                actor_label,
                action,
                object_type,
                object_id,
            )
            + (case_id, text, leaf_hex, nodes),
        )
        if cur.rowcount != 1:
            return None
    else:
        if raw.execute(_SQLITE_CAS, (cr.size, new_frontier, size, frontier)).rowcount != 1:
            return None
        # Django stores SQLite datetimes as naive UTC text, str() of the naive value (adapt_datetimefield_value).
        at_db = str(at.replace(tzinfo=None))
        raw.execute(
            _SQLITE_INSERT,
            (
                size,
                at_db,
                actor_id,
                actor_label,
                action,
                object_type,
                object_id,
                case_id,
                text,
                leaf_hex,
                nodes,
            ),
        )
    _head_cache[DEFAULT_DB_ALIAS] = (cr.size, new_frontier)
    # Positional arguments take Django's fast path (concrete field order: seq, at, actor_id, ...); django-stubs
    # misreads positional model arguments, and a test compares this instance with the stored row.
    return AuditEntry(  # type: ignore[misc]
        size, at, actor_id, actor_label, action, object_type, object_id, case_id, text, leaf_hex, nodes
    )


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    case_id: int | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction.atomic(), so that the change and its
    entry commit or roll back together. `actor` is a User or None for the system."""
    db = connections[DEFAULT_DB_ALIAS]  # resolve the thread's connection once; `connection` is a proxy
    if not db.in_atomic_block:
        raise AuditOutsideTransaction(f"audit.record({action!r}) called outside a transaction")
    fields = (
        getattr(actor, "pk", None),
        getattr(actor, "username", None) or "system",
        action,
        target._meta.label_lower if target is not None else "",
        str(target.pk) if target is not None else "",
        case_id,
        data or {},
    )
    # The driver connection directly: this runs once per state change everywhere in Warden, and Django's
    # cursor wrappers (placeholder rewriting, query logging) cost more than the statements themselves.
    db.ensure_connection()
    raw = db.connection
    postgres = db.vendor == "postgresql"
    cached = _head_cache.get(DEFAULT_DB_ALIAS)
    optimistic = cached is not None and not _contended.get(DEFAULT_DB_ALIAS, False)
    entry = _try_append(raw, postgres, cached, fields) if optimistic else None  # type: ignore[arg-type]
    if entry is None:
        head = _read_head(raw, postgres)
        _contended[DEFAULT_DB_ALIAS] = optimistic or head != cached
        entry = _try_append(raw, postgres, head, fields)
        if entry is None:  # impossible while we hold the head's row lock
            raise RuntimeError("audit log head moved while locked")
    every = int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", 1000))
    if every > 0 and (entry.seq + 1) % every == 0:
        from warden.audit.checkpoints import schedule_checkpoint

        transaction.on_commit(schedule_checkpoint)
    return entry


def record_read(
    *, actor: Any, target: models.Model, case_id: int | None = None, what: str = ""
) -> AuditEntry:
    """Log that `actor` read a sensitive record (a document download, a case page opened by oversight).

    Opens its own transaction if the caller has none, so read-only views can call it directly."""
    action = f"read.{what}" if what else "read"
    with transaction.atomic():
        return record(
            actor=actor, action=action, target=target, data={"what": what} if what else {}, case_id=case_id
        )
