"""What a report was computed from, so anyone can recompute it later: the audit log's size and Merkle root
at that moment, the live reference-data revision, and the digests of the report's own data files."""

from __future__ import annotations

from typing import Any

from warden.audit import merkle, proofs
from warden.audit.models import AuditEntry, LogHead
from warden.legislation.services import current_revision
from warden.reports import mapping

FORMAT_VERSION = "warden.report/1"


def tree_head() -> tuple[int, str]:
    """(size, hex root) of the audit log's current tree head: the stored compact range (the frontier the
    writer keeps, audit_loghead), or the root computed from the entries when the head row is not yet made
    (SQLite creates it on the first write after a flush)."""
    head = LogHead.objects.filter(pk=1).values_list("size", "frontier").first()
    if head is not None:
        size, frontier = int(head[0]), bytes(head[1])
        return size, merkle.CompactRange.from_bytes(size, frontier).root().hex()
    size = AuditEntry.objects.count()
    return size, (proofs.root_at(size) if size else merkle.EMPTY_ROOT).hex()


def snapshot(kind: str, year: int) -> dict[str, Any]:
    size, root = tree_head()
    rev = current_revision()
    return {
        "format": FORMAT_VERSION,
        "kind": kind,
        "year": year,
        "audit_log_size": size,
        "audit_root": root,
        "data_revision": rev.number if rev is not None else None,
        "data_revision_digest": rev.digest if rev is not None else None,
        "report_data": mapping.data_digests(),
    }


def statement(p: dict[str, Any]) -> str:
    """The one-line provenance every rendering prints."""
    rev = p["data_revision"]
    return (
        f"Computed from audit log size {p['audit_log_size']}, Merkle root {p['audit_root']}, "
        f"reference data revision {rev if rev is not None else 'none'}"
        f"{' (' + p['data_revision_digest'] + ')' if p['data_revision_digest'] else ''}."
    )
