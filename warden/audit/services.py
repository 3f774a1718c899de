"""Writing to the audit log. `record` is called by every state-changing service, inside its transaction."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from warden.audit.models import AuditEntry
from warden.lib.canonical import canonical_bytes


class AuditOutsideTransaction(RuntimeError):
    pass


def leaf_hash(entry: bytes) -> str:
    """RFC 6962 leaf hash: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).hexdigest()


def _next_seq() -> int:
    # Serialise appenders so that seq stays dense and ordered. On PostgreSQL an advisory transaction lock;
    # on SQLite the IMMEDIATE transaction already holds the write lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(7264001)")
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    return 0 if last is None else last + 1


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
    seq = _next_seq()
    at = timezone.now()
    object_type = target._meta.label_lower if target is not None else ""
    object_id = str(target.pk) if target is not None else ""
    actor_label = getattr(actor, "username", None) or "system"
    body = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor_label,
        "action": action,
        "object": {"type": object_type, "id": object_id},
        "case": case_id,
        "data": data or {},
    }
    entry = canonical_bytes(body)
    return AuditEntry.objects.create(
        seq=seq,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        entry=entry.decode("utf-8"),
        leaf_hash=leaf_hash(entry),
    )
