"""Writing to the audit log. `record` is called by every state-changing service, inside its transaction.

The log head row (LogHead: size and the compact range of the tree) is the only shared state an append touches.
How an entry gets its seq depends on the database:

- SQLite (one writer at a time anyway): record() numbers the entry at once. Each process remembers the head it
  last wrote and appends optimistically with a compare-and-set (UPDATE head ... WHERE size = n AND frontier = F,
  then INSERT the entry); if another process got there first, it reads the head and writes again. The database
  lock is held to commit, so seq stays dense and in commit order, and a rolled-back append leaves no gap. No
  ORDER BY and no tree reads: the leaf's subtree hashes come from the head.
- PostgreSQL: holding the head row from record() to COMMIT would make every state-changing transaction queue
  behind the slowest one, so record() only inserts a pending row and a trigger numbers it at COMMIT, inside the
  server (pg_sequencer.py). Same guarantees: dense, commit-ordered, nothing from a rolled-back transaction.
  With settings.AUDIT_SEQUENCER = "background" the trigger leaves the row to `warden audit sequencer`, which
  numbers committed rows in batches a few milliseconds later (sequencer.py): no lock in the writer's
  transaction at all, for deployments with many concurrent writers.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from warden.audit import pg_sequencer
from warden.audit.merkle import CompactRange
from warden.audit.models import AuditEntry
from warden.audit.tail import sign_at_commit
from warden.lib.actors import AnyActor, require_actor
from warden.lib.canonical import canonical_bytes

_COLUMNS = "seq, at, actor_id, actor_label, action, object_type, object_id, case_id, entry, leaf_hash, nodes"
_SQLITE_SELECT = "SELECT size, frontier FROM audit_loghead WHERE id = 1"
_SQLITE_CAS = "UPDATE audit_loghead SET size = ?, frontier = ? WHERE id = 1 AND size = ? AND frontier = ?"
_SQLITE_INSERT = f"INSERT INTO audit_auditentry ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_PENDING = "actor_id, actor_label, action, object_type, object_id, case_id, head, tail"
_PENDING_VALUES = "%s::bigint, %s, %s, %s, %s, %s::bigint, %s, %s"
_PG_PENDING = f"INSERT INTO audit_pendingentry ({_PENDING}) VALUES ({_PENDING_VALUES})"
_PG_BACKGROUND = (
    f"INSERT INTO audit_pendingentry ({_PENDING}, background, at) "
    f"VALUES ({_PENDING_VALUES}, true, clock_timestamp())"
)
_PG_IMMEDIATE = f"SET CONSTRAINTS {pg_sequencer.TRIGGER} IMMEDIATE"
_PG_LAST = (
    f"SELECT {_COLUMNS} FROM audit_auditentry WHERE seq = (SELECT size - 1 FROM audit_loghead WHERE id = 1)"
)

# The head this process last wrote, per database alias. Only a guess: the compare-and-set above checks it,
# so a stale or rolled-back value costs one extra round trip, never a wrong entry.
_head_cache: dict[str, tuple[int, bytes]] = {}
# Set while other processes are appending too: then a guess is usually stale, and a failed compare-and-set
# costs a lock wait plus two more round trips, so lock-then-write (two round trips) is cheaper. Cleared as
# soon as the locked read finds the head where this process left it.
_contended: dict[str, bool] = {}


# Set by numbered_at_commit(): this thread's entries are numbered at COMMIT even in background mode.
_force_commit_mode = contextvars.ContextVar("audit_force_commit_mode", default=False)


@contextlib.contextmanager
def numbered_at_commit() -> Iterator[None]:
    """Entries recorded inside are numbered in their own transaction (at COMMIT, or at once with SET
    CONSTRAINTS ... IMMEDIATE), never left to the background sequencer: for the rare action that must sign a
    checkpoint covering its own entry in the same transaction (a signing-key rotation)."""
    token = _force_commit_mode.set(True)
    try:
        yield
    finally:
        _force_commit_mode.reset(token)


class AuditOutsideTransaction(RuntimeError):
    pass


def leaf_hash(entry: bytes) -> str:
    """RFC 6962 leaf hash: SHA-256(0x00 || entry), hex."""
    return hashlib.sha256(b"\x00" + entry).hexdigest()


def _pg_execute(raw: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """Run a statement on the psycopg connection with server-side binding and a prepared statement (Django's
    cursors bind client-side, formatting every parameter as SQL text, and wrap each call in logging)."""
    import psycopg

    if raw.prepare_threshold is None and "prepare_threshold" not in settings.DATABASES["default"].get(
        "OPTIONS", {}
    ):
        # Django opens its connections with prepared statements off, and psycopg then ignores prepare=True:
        # every append was parsed and planned again (about 50 us of server CPU, measured). Switching them on
        # touches only server-binding cursors like this one; Django's own client-side cursors never prepare.
        # A deployment behind a pooler that cannot keep prepared statements sets OPTIONS prepare_threshold: None.
        raw.prepare_threshold = 5
    return psycopg.Cursor(raw).execute(sql, params, prepare=True)


def _read_head(raw: Any) -> tuple[int, bytes]:
    """SQLite: the head (size, frontier); the transaction already holds the database's write lock."""
    row = raw.execute(_SQLITE_SELECT).fetchone()
    if row is None:
        with connection.cursor() as cur:
            _create_head(cur)
        row = raw.execute(_SQLITE_SELECT).fetchone()
    return int(row[0]), bytes(row[1])


def _create_head(cur: Any) -> None:
    """SQLite: create the head row from the entries already stored (a new database, or one emptied by `flush`).
    PostgreSQL has the same in plpgsql (audit_create_head in pg_sequencer.py)."""
    cur.execute("SELECT 1 FROM audit_loghead WHERE id = 1")
    if cur.fetchone() is not None:
        return
    cr = CompactRange()
    cur.execute("SELECT leaf_hash FROM audit_auditentry ORDER BY seq")
    for (hexhash,) in cur.fetchall():
        cr.append(bytes.fromhex(hexhash))
    cur.execute("INSERT INTO audit_loghead (id, size, frontier) VALUES (1, %s, %s)", [cr.size, cr.to_bytes()])


def _try_append(raw: Any, head: tuple[int, bytes], fields: tuple[Any, ...]) -> AuditEntry | None:
    """SQLite: write the entry as leaf head.size if the head is still `head`; None if another writer moved it."""
    size, frontier = head
    actor_id, actor_label, action, object_type, object_id, case_id, data = fields
    at = timezone.now()
    # Canonical JSON sorts keys, so "seq" comes last and the stored text always ends with `"seq":N}`; the
    # verifier relies on that to check a row's position without parsing JSON. Keep new keys sorting before it.
    entry = canonical_bytes(
        {
            "action": action,
            "actor": actor_label,
            "actor_id": actor_id,
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
    if raw.execute(_SQLITE_CAS, (cr.size, new_frontier, size, frontier)).rowcount != 1:
        return None
    # Django stores SQLite datetimes as naive UTC text, str() of the naive value (adapt_datetimefield_value).
    at_db = str(at.replace(tzinfo=None))
    row = (size, at_db, actor_id, actor_label, action, object_type, object_id, case_id, text, leaf_hex, nodes)
    raw.execute(_SQLITE_INSERT, row)
    _head_cache[DEFAULT_DB_ALIAS] = (cr.size, new_frontier)
    # Positional arguments take Django's fast path (concrete field order: seq, at, actor_id, ...); django-stubs
    # misreads positional model arguments, and a test compares this instance with the stored row.
    return AuditEntry(  # type: ignore[misc]
        size, at, actor_id, actor_label, action, object_type, object_id, case_id, text, leaf_hex, nodes
    )


def record(
    *,
    actor: AnyActor,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    case_id: int | None = None,
) -> AuditEntry | None:
    """Append one entry. Must run inside the caller's transaction.atomic(), so that the change and its
        entry commit or roll back together. `actor` is a person or warden.lib.actors.system(reason); the entry's
    actor label for the system is "system", as it was before the reason existed (the hashed format is stable).

        Returns the stored entry, or None on PostgreSQL, where the entry is numbered when the transaction commits."""
    require_actor(actor, f"audit.record({action!r})")
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
    if db.vendor == "postgresql":
        return _record_pending(db, raw, fields)
    cached = _head_cache.get(DEFAULT_DB_ALIAS)
    optimistic = cached is not None and not _contended.get(DEFAULT_DB_ALIAS, False)
    entry = _try_append(raw, cached, fields) if optimistic else None  # type: ignore[arg-type]
    if entry is None:
        head = _read_head(raw)
        _contended[DEFAULT_DB_ALIAS] = optimistic or head != cached
        entry = _try_append(raw, head, fields)
        if entry is None:  # impossible while we hold the database's write lock
            raise RuntimeError("audit log head moved while locked")
    sign_at_commit(db)  # a checkpoint of the new head right after the commit (tail.py)
    return entry


def _record_pending(db: Any, raw: Any, fields: tuple[Any, ...]) -> AuditEntry | None:
    """PostgreSQL: insert the entry as pending; the trigger in pg_sequencer.py numbers it at COMMIT.

    Inside a test's never-committed transaction the trigger is fired at once instead (SET CONSTRAINTS ...
    IMMEDIATE, which then holds the head lock to the end of that transaction) and the stored row is returned."""
    actor_id, actor_label, action, object_type, object_id, case_id, data = fields
    body = canonical_bytes(
        {
            "action": action,
            "actor": actor_label,
            "actor_id": actor_id,
            "case": case_id,
            "data": data,
            "object": {"type": object_type, "id": object_id},
        }
    ).decode("utf-8")
    # Split where "at" sorts in ("actor_id" < "at" < "case"). Inside a JSON string a quote is escaped, so the first
    # `,"case":` is the key itself.
    cut = body.index(',"case":') + 1
    head, tail = body[:cut], body[cut:-1] + ","
    params = (actor_id, actor_label, action, object_type, object_id, case_id, head, tail)
    # Django marks the atomic blocks a TestCase opens and never commits; it checks the same flag for durable=True.
    in_test = db.atomic_blocks[0].__dict__.get("_from_testcase", False)
    background = (
        getattr(settings, "AUDIT_SEQUENCER", "commit") == "background" and not _force_commit_mode.get()
    )
    if background and not in_test:
        _pg_execute(raw, _PG_BACKGROUND, params)  # numbered by `warden audit sequencer` (sequencer.py)
        return None
    _pg_execute(raw, _PG_PENDING, params)
    if in_test:
        _pg_execute(raw, _PG_IMMEDIATE)
        row = _pg_execute(raw, _PG_LAST).fetchone()
        entry = AuditEntry(*row[:-1], bytes(row[-1]))  # type: ignore[misc]  # positional, as in _try_append
        sign_at_commit(db)
        return entry
    sign_at_commit(db)  # numbered inside the COMMIT, so signed right after it
    return None


def record_read(
    *, actor: AnyActor, target: models.Model, case_id: int | None = None, what: str = ""
) -> AuditEntry | None:
    """Log that `actor` read a sensitive record (a document download, a case page opened by oversight).

    Opens its own transaction if the caller has none, so read-only views can call it directly."""
    action = f"read.{what}" if what else "read"
    with transaction.atomic():
        return record(
            actor=actor, action=action, target=target, data={"what": what} if what else {}, case_id=case_id
        )
