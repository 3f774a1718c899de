"""A DBA with the triggers lifted edits, deletes, inserts and swaps rows; verification must fail and name the
first bad entry."""

from __future__ import annotations

import hashlib

import pytest

from warden.audit import verify as verify_module
from warden.audit.checkpoints import make_checkpoint
from warden.audit.models import AuditEntry
from warden.audit.verify import Report, verify_log


@pytest.fixture(autouse=True, params=[16, 2], ids=["chunk65536", "chunk4"])
def chunk_bits(request, monkeypatch) -> int:  # type: ignore[no-untyped-def]
    """Real logs fit in one 2**16 chunk in tests; 4-leaf chunks exercise the levels above a chunk too."""
    monkeypatch.setattr(verify_module, "CHUNK_BITS", request.param)
    return int(request.param)


def verify(key) -> Report:  # type: ignore[no-untyped-def]
    return verify_log(public_key=key.public_key())


def test_an_untouched_log_verifies(append, audit_key, settings) -> None:  # type: ignore[no-untyped-def]
    from warden.audit import merkle
    from warden.audit.models import AuditEntry

    settings.AUDIT_CHECKPOINT_EVERY = 1  # check every checkpoint, not one per 1,000 entries
    for n in (1, 3, 4, 4, 8, 5, 12):  # checkpoints inside chunks and on chunk boundaries (sizes 1..37)
        append(n)
        make_checkpoint()
    report = verify(audit_key)
    assert report.ok, report.problems
    assert report.size == 37 and report.checkpoints_checked == 7
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    assert report.root == merkle.root_from_leaf_hashes(leaves)


def test_verify_checks_the_newest_checkpoint_and_one_per_interval(append, audit_key, settings) -> None:  # type: ignore[no-untyped-def]
    """Every commit signs a checkpoint, so checking each would cost more than the tree: the newest, and the
    first at or past each multiple of AUDIT_CHECKPOINT_EVERY entries."""
    settings.AUDIT_CHECKPOINT_EVERY = 10
    for n in (3, 4, 4, 8, 5):  # checkpoints at 3, 7, 11, 19, 24
        append(n)
        make_checkpoint()
    report = verify(audit_key)
    assert report.ok and report.checkpoints_stored == 5
    assert report.checkpoints_checked == 3  # 3 (first in 1..10), 11 (first in 11..20), 24 (the newest)


def test_an_edited_entry_is_named(append, audit_key, guards_off) -> None:  # type: ignore[no-untyped-def]
    append(12)
    guards_off("UPDATE audit_auditentry SET entry = replace(entry, '\"i\":7', '\"i\":8') WHERE seq = 7")
    report = verify(audit_key)
    assert not report.ok
    assert report.first_bad_seq == 7
    assert "leaf hash mismatch" in str(report.problems[0])


def test_an_edit_with_a_recomputed_leaf_hash_is_caught_by_the_stored_tree_and_the_checkpoint(
    append, audit_key, guards_off
) -> None:  # type: ignore[no-untyped-def]
    append(16)
    make_checkpoint()
    row = AuditEntry.objects.get(seq=5)
    forged = row.entry.replace('"i":5', '"i":500')
    leaf = hashlib.sha256(b"\x00" + forged.encode()).hexdigest()
    guards_off("UPDATE audit_auditentry SET entry = %s, leaf_hash = %s WHERE seq = 5", [forged, leaf])
    report = verify(audit_key)
    assert not report.ok
    assert (
        report.first_bad_seq == 5
    )  # seq 5 completes the subtree over 4..5, whose stored hash no longer fits
    assert any("root mismatch with checkpoint" in str(p) for p in report.problems)


def test_a_deleted_entry_is_named(append, audit_key, guards_off) -> None:  # type: ignore[no-untyped-def]
    append(10)
    guards_off("DELETE FROM audit_auditentry WHERE seq = 4")
    report = verify(audit_key)
    assert report.first_bad_seq == 4
    assert "missing" in str(report.problems[0])


def test_deleting_the_newest_entries_is_caught_by_the_checkpoint_and_the_head(
    append, audit_key, guards_off
) -> None:  # type: ignore[no-untyped-def]
    append(10)
    make_checkpoint()
    guards_off("DELETE FROM audit_auditentry WHERE seq >= 8")
    report = verify(audit_key)
    assert not report.ok
    text = " | ".join(map(str, report.problems))
    assert "covers 10 entries but the log has only 8" in text
    assert "log head says 10 entries" in text


def test_an_inserted_entry_is_named(append, audit_key, guards_off) -> None:  # type: ignore[no-untyped-def]
    append(10)
    make_checkpoint()
    # Shift entries 5.. up by one (highest first, so seq stays unique) and slip a forged entry in at 5.
    for seq in range(9, 4, -1):
        guards_off("UPDATE audit_auditentry SET seq = seq + 1 WHERE seq = %s", [seq])
    forged = '{"action":"licence.issue","actor":"mallory","at":"2026-01-01T00:00:00+00:00","case":null,"data":{},"object":{"id":"","type":""},"seq":5}'
    guards_off(
        "INSERT INTO audit_auditentry (seq, at, actor_label, action, object_type, object_id, entry, leaf_hash, nodes) "
        "VALUES (5, '2026-01-01 00:00:00', 'mallory', 'licence.issue', '', '', %s, %s, %s)",
        [forged, hashlib.sha256(b"\x00" + forged.encode()).hexdigest(), b""],
    )
    report = verify(audit_key)
    assert report.first_bad_seq == 5
    assert any("inserted or reordered" in str(p) and p.seq == 6 for p in report.problems)
    assert any("root mismatch with checkpoint" in str(p) for p in report.problems)


def test_swapped_entries_are_named(append, audit_key, guards_off) -> None:  # type: ignore[no-untyped-def]
    append(10)
    guards_off("UPDATE audit_auditentry SET seq = -1 WHERE seq = 2")
    guards_off("UPDATE audit_auditentry SET seq = 2 WHERE seq = 6")
    guards_off("UPDATE audit_auditentry SET seq = 6 WHERE seq = -1")
    report = verify(audit_key)
    assert report.first_bad_seq == 2
    assert "record seq 6" in str(report.problems[0])
    assert any(p.seq == 6 and "record seq 2" in p.message for p in report.problems)


def test_a_forged_checkpoint_signature_is_refused(append, audit_key, guards_off) -> None:  # type: ignore[no-untyped-def]
    append(4)
    cp = make_checkpoint()
    assert cp is not None
    lines = cp.note.split("\n")
    sig = lines[4]
    flipped = sig[:-6] + ("A" if sig[-6] != "A" else "B") + sig[-5:]
    guards_off(
        "UPDATE audit_checkpoint SET note = %s WHERE id = %s",
        ["\n".join([*lines[:4], flipped, *lines[5:]]), cp.pk],
    )
    report = verify(audit_key)
    assert not report.ok
    assert "does not verify" in str(report.problems[0]) or "not base64" in str(report.problems[0])
