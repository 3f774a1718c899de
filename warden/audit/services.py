"""Writing to the audit log. `record` is called by every state-changing service, inside its transaction.

An append is two round trips: lock and read the log head (size + compact range), then insert the entry and
advance the head (one statement on PostgreSQL). No ORDER BY, no tree reads: the new leaf's subtree hashes come
from the compact range held in the head row.
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


class AuditOutsideTransaction(RuntimeError):
    pass


def leaf_hash(entry: bytes) -> str:
    """RFC 6962 leaf hash: SHA-256(0x00 || entry), hex."""
    return hashlib.sha256(b"\x00" + entry).hexdigest()


_COLUMNS = "seq, at, actor_id, actor_label, action, object_type, object_id, case_id, entry, leaf_hash, nodes"
_SQLITE_SELECT = "SELECT size, frontier FROM audit_loghead WHERE id = 1"
_SQLITE_INSERT = f"INSERT INTO audit_auditentry ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_SQLITE_UPDATE = "UPDATE audit_loghead SET size = ?, frontier = ? WHERE id = 1"
_PG_SELECT = "SELECT size, frontier FROM audit_loghead WHERE id = 1 FOR UPDATE"
_PG_APPEND = (
    f"WITH e AS (INSERT INTO audit_auditentry ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)) "
    "UPDATE audit_loghead SET size = %s, frontier = %s WHERE id = 1"
)


def _head(raw: Any, select: str) -> tuple[int, bytes]:
    row = raw.execute(select).fetchone()
    if row is None:
        with connection.cursor() as cur:
            _create_head(cur)
        row = raw.execute(select).fetchone()
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
    object_type = target._meta.label_lower if target is not None else ""
    object_id = str(target.pk) if target is not None else ""
    actor_label = getattr(actor, "username", None) or "system"
    actor_id = getattr(actor, "pk", None)
    # The driver connection directly: this runs once per state change everywhere in Warden, and Django's
    # cursor wrappers (placeholder rewriting, query logging) cost more than the two statements themselves.
    db.ensure_connection()
    raw = db.connection
    postgres = db.vendor == "postgresql"
    # PostgreSQL: FOR UPDATE on the head row serialises appenders until commit, so seq is dense and ordered.
    # SQLite: transactions are BEGIN IMMEDIATE (settings), so this connection already holds the write lock.
    size, frontier = _head(raw, _PG_SELECT if postgres else _SQLITE_SELECT)
    seq = size
    at = timezone.now()  # taken under the lock, so `at` never decreases along seq (date filters rely on it)
    # Canonical JSON sorts keys, so "seq" comes last and the stored text always ends with `"seq":N}`; the
    # verifier relies on that to check a row's position without parsing JSON. Keep new keys sorting before it.
    entry = canonical_bytes(
        {
            "action": action,
            "actor": actor_label,
            "at": at.isoformat(),
            "case": case_id,
            "data": data or {},
            "object": {"type": object_type, "id": object_id},
            "seq": seq,
        }
    )
    leaf = hashlib.sha256(b"\x00" + entry).digest()
    cr = CompactRange.from_bytes(size, frontier)
    nodes = b"".join(cr.append(leaf))
    text = entry.decode("utf-8")
    leaf_hex = leaf.hex()
    if postgres:
        params = (
            seq,
            at,
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            case_id,
            text,
            leaf_hex,
            nodes,
        )
        raw.execute(_PG_APPEND, (*params, cr.size, cr.to_bytes()))
    else:
        # Django stores SQLite datetimes as naive UTC text: str() of the naive value, as adapt_datetimefield_value.
        at_db = str(at.replace(tzinfo=None))
        params = (
            seq,
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
        )
        raw.execute(_SQLITE_INSERT, params)
        raw.execute(_SQLITE_UPDATE, (cr.size, cr.to_bytes()))
    every = int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", 1000))
    if every > 0 and (seq + 1) % every == 0:
        from warden.audit.checkpoints import schedule_checkpoint

        transaction.on_commit(schedule_checkpoint)
    # Positional arguments take Django's fast path (concrete field order: seq, at, actor_id, ...).
    return AuditEntry(
        seq, at, actor_id, actor_label, action, object_type, object_id, case_id, text, leaf_hex, nodes
    )


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
