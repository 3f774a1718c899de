"""Writing to the audit log. `record` is called by every state-changing service, inside its transaction.

An append is two round trips: lock and read the log head (size + compact range), then insert the entry and
advance the head (one statement on PostgreSQL). No ORDER BY, no tree reads: the new leaf's subtree hashes come
from the compact range held in the head row.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
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


_INSERT_COLUMNS = (
    "seq, at, actor_id, actor_label, action, object_type, object_id, case_id, entry, leaf_hash, nodes"
)
_INSERT_VALUES = "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s"


def _lock_head(cur: Any) -> tuple[int, bytes]:
    """Lock the head row for the rest of the transaction and return (size, frontier).

    PostgreSQL: SELECT ... FOR UPDATE serialises appenders, so seq is dense and ordered. SQLite: the
    transaction is BEGIN IMMEDIATE (settings), so this connection already holds the database write lock."""
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    cur.execute(f"SELECT size, frontier FROM audit_loghead WHERE id = 1{lock}")
    row = cur.fetchone()
    if row is None:
        _create_head(cur)
        cur.execute(f"SELECT size, frontier FROM audit_loghead WHERE id = 1{lock}")
        row = cur.fetchone()
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
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(f"audit.record({action!r}) called outside a transaction")
    at = timezone.now()
    object_type = target._meta.label_lower if target is not None else ""
    object_id = str(target.pk) if target is not None else ""
    actor_label = getattr(actor, "username", None) or "system"
    actor_id = getattr(actor, "pk", None)
    with connection.cursor() as cur:
        size, frontier = _lock_head(cur)
        seq = size
        # Key order is fixed by canonical JSON (sorted): "seq" sorts last, so the stored text always ends
        # with `"seq":N}` and the verifier checks a row's position without parsing JSON. Keep new keys < "seq".
        body = {
            "action": action,
            "actor": actor_label,
            "at": at.isoformat(),
            "case": case_id,
            "data": data or {},
            "object": {"type": object_type, "id": object_id},
            "seq": seq,
        }
        entry = canonical_bytes(body)
        leaf = hashlib.sha256(b"\x00" + entry).digest()
        cr = CompactRange.from_bytes(size, frontier)
        nodes = b"".join(cr.append(leaf))
        text = entry.decode("utf-8")
        params = [
            seq,
            connection.ops.adapt_datetimefield_value(at),
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            case_id,
            text,
            leaf.hex(),
            nodes,
        ]
        if connection.vendor == "postgresql":
            cur.execute(
                f"WITH e AS (INSERT INTO audit_auditentry ({_INSERT_COLUMNS}) VALUES ({_INSERT_VALUES}) "
                "RETURNING id) UPDATE audit_loghead SET size = %s, frontier = %s WHERE id = 1 "
                "RETURNING (SELECT id FROM e)",
                [*params, cr.size, cr.to_bytes()],
            )
            pk = cur.fetchone()[0]
        else:
            cur.execute(f"INSERT INTO audit_auditentry ({_INSERT_COLUMNS}) VALUES ({_INSERT_VALUES})", params)
            pk = cur.lastrowid
            cur.execute(
                "UPDATE audit_loghead SET size = %s, frontier = %s WHERE id = 1", [cr.size, cr.to_bytes()]
            )
    every = int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", 1000))
    if every > 0 and (seq + 1) % every == 0:
        from warden.audit.checkpoints import schedule_checkpoint

        transaction.on_commit(schedule_checkpoint)
    return AuditEntry(
        pk=pk,
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        entry=text,
        leaf_hash=leaf.hex(),
        nodes=nodes,
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
