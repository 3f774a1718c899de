from __future__ import annotations

import json

import pytest
from django.db import connection, transaction

from warden.audit import merkle
from warden.audit.models import AuditEntry, LogHead
from warden.audit.services import AuditOutsideTransaction, record, record_read
from warden.lib.actors import system
from warden.lib.canonical import canonical_bytes


def test_it_refuses_to_record_outside_a_transaction(db: None) -> None:
    # pytest-django wraps the test in a transaction; leave it to reach autocommit the way a stray caller would.
    with pytest.raises(AuditOutsideTransaction, match="test.outside"), _autocommit():
        record(actor=system("test"), action="test.outside")


class _autocommit:
    def __enter__(self) -> None:
        self.saved = connection.in_atomic_block
        connection.in_atomic_block = False

    def __exit__(self, *exc: object) -> None:
        connection.in_atomic_block = self.saved


def test_entries_are_canonical_bytes_of_who_what_when_which_object_and_change(personas) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        e = record(
            actor=personas.officer,
            action="case.submit",
            target=personas.org_a,
            data={"from": "draft"},
            case_id=7,
        )
    assert e is not None  # numbered at once: SQLite, or PostgreSQL inside a test's transaction
    stored = AuditEntry.objects.get(seq=e.seq)
    body = json.loads(stored.entry)
    assert body["actor"] == "olivia"
    assert body["action"] == "case.submit"
    assert body["object"] == {"type": "accounts.organisation", "id": str(personas.org_a.pk)}
    assert body["case"] == 7 and body["data"] == {"from": "draft"} and body["seq"] == e.seq
    assert body["at"].startswith(str(stored.at.year))
    assert stored.entry.encode() == canonical_bytes(body)
    assert stored.leaf_hash == merkle.leaf_hash(stored.entry.encode()).hex()
    assert stored.actor_id == personas.officer.pk and stored.case_id == 7
    fields = [f.attname for f in AuditEntry._meta.concrete_fields]
    assert [getattr(e, f) for f in fields] == [getattr(stored, f) for f in fields]  # what record() returned


def test_seq_is_dense_and_the_head_tracks_the_tree(append) -> None:  # type: ignore[no-untyped-def]
    entries = append(37)
    assert [e.seq for e in entries] == list(range(37))
    head = LogHead.objects.get()
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    assert head.size == 37
    assert merkle.CompactRange.from_bytes(37, bytes(head.frontier)).root() == merkle.root_from_leaf_hashes(
        leaves
    )


def test_a_rolled_back_change_leaves_no_entry_and_no_gap(append) -> None:  # type: ignore[no-untyped-def]
    append(3)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=system("test"), action="test.doomed")
        raise RuntimeError("the business change failed")
    after = append(1)
    assert after[0].seq == 3
    assert not AuditEntry.objects.filter(action="test.doomed").exists()


def test_the_head_is_rebuilt_from_the_entries_if_it_is_missing(append, guards_off) -> None:  # type: ignore[no-untyped-def]
    append(5)
    guards_off("DELETE FROM audit_loghead")
    assert append(1)[0].seq == 5
    assert LogHead.objects.get().size == 6


def test_reads_of_sensitive_records_are_logged(personas) -> None:  # type: ignore[no-untyped-def]
    e = record_read(actor=personas.oversight, target=personas.org_b, case_id=12, what="document")
    assert e is not None
    stored = AuditEntry.objects.get(seq=e.seq)
    assert stored.action == "read.document" and stored.case_id == 12 and stored.actor_label == "owen"


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL numbers entries at commit, no cached head"
)
def test_a_stale_cached_head_costs_a_retry_never_a_wrong_entry(append) -> None:  # type: ignore[no-untyped-def]
    from warden.audit import services
    from warden.audit.verify import verify_log

    append(6)
    # Another process wrote meanwhile (size moved), or the log was restored (same size, different tree).
    services._head_cache["default"] = (4, b"\x00" * 32)
    assert append(1)[0].seq == 6
    assert services._contended["default"] is True  # the next append locks first
    services._head_cache["default"] = (7, b"\x11" * 32 * 3)
    assert append(1)[0].seq == 7
    assert services._contended["default"] is True  # the locked read found someone else's head
    append(1)
    assert services._contended["default"] is False  # nobody else wrote: back to one round trip
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    report = verify_log(public_key=Ed25519PrivateKey.generate().public_key())
    assert report.ok, report.problems
