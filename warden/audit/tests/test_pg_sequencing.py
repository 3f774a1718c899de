"""PostgreSQL numbers entries when their transaction commits (pg_sequencer.py). These tests commit for real
(transaction=True), so the trigger runs the way it does in production, not the test-only immediate mode."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from warden.audit import merkle
from warden.audit.models import AuditEntry, Checkpoint, LogHead, PendingEntry
from warden.audit.services import record
from warden.audit.tests.conftest import postgres_only, run_writers
from warden.audit.verify import verify_log
from warden.lib.actors import system
from warden.lib.canonical import canonical_bytes

pytestmark = [postgres_only, pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_an_entry_is_numbered_at_commit_with_the_same_canonical_bytes_as_sqlite() -> None:
    awkward = {
        "quote": 'say "hi",\\"case\\":1',
        "why": ',"case":7',
        "name": "Ирина 张伟 🙂",
        "n": [1, None, True],
    }
    with transaction.atomic():
        assert record(actor=system("test"), action="test.commit", data=awkward, case_id=3) is None
        assert not AuditEntry.objects.exists()  # not before the commit
    stored = AuditEntry.objects.get()
    body = json.loads(stored.entry)
    assert stored.seq == 0 and body["seq"] == 0 and body["data"] == awkward and body["case"] == 3
    assert stored.entry.encode() == canonical_bytes(body)  # byte for byte what canonical JSON gives
    assert stored.leaf_hash == merkle.leaf_hash(stored.entry.encode()).hex()
    assert body["at"] == stored.at.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")  # the column and the text agree
    assert not PendingEntry.objects.exists()  # the pending row went with its commit


def test_entries_of_one_transaction_are_consecutive_in_record_order(append: Any) -> None:
    append(2)
    with transaction.atomic():
        for i in range(3):
            record(actor=system("test"), action="test.batch", data={"i": i})
    rows = list(AuditEntry.objects.filter(action="test.batch").values_list("seq", "entry"))
    assert [seq for seq, _ in rows] == [2, 3, 4]
    assert [json.loads(text)["data"]["i"] for _, text in rows] == [0, 1, 2]


def test_a_rolled_back_transaction_leaves_no_entry_no_pending_row_and_no_gap(append: Any) -> None:
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=system("test"), action="test.doomed")
        raise RuntimeError("the business change failed")
    assert append(1)[0].seq == 2
    assert not AuditEntry.objects.filter(action="test.doomed").exists()
    assert not PendingEntry.objects.exists()


def test_an_entry_in_a_rolled_back_savepoint_is_dropped_and_the_rest_commit(append: Any) -> None:
    with transaction.atomic():
        record(actor=system("test"), action="test.kept", data={"i": 1})
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint, as nested service calls make
            record(actor=system("test"), action="test.dropped")
            raise RuntimeError("the inner step failed")
        record(actor=system("test"), action="test.kept", data={"i": 2})
    assert list(AuditEntry.objects.values_list("seq", "action")) == [(0, "test.kept"), (1, "test.kept")]
    assert not PendingEntry.objects.exists()


def test_if_the_entry_cannot_be_written_the_commit_and_the_change_fail_together(personas: Any) -> None:
    class Ghost:  # an actor whose user row does not exist: the entry's foreign key fails at commit
        pk = 10**9
        username = "ghost"

    org = personas.org_a
    old_name = org.name
    with pytest.raises(IntegrityError), transaction.atomic():
        org.name = "Renamed without a trace"
        org.save()
        record(actor=Ghost(), action="test.ghost", target=org)
    org.refresh_from_db()
    assert org.name == old_name
    assert not AuditEntry.objects.filter(action="test.ghost").exists()


def test_the_head_and_the_tree_match_after_concurrent_commits(audit_key: Any) -> None:
    writers, each = 5, 30

    def write(w: int, i: int) -> None:
        with transaction.atomic():
            record(actor=system("test"), action="test.race", data={"w": w, "i": i})
            record(actor=system("test"), action="test.race.second", data={"w": w, "i": i})

    run_writers(writers, each, write)
    rows = list(AuditEntry.objects.values_list("seq", "action", "entry"))
    assert [r[0] for r in rows] == list(range(writers * each * 2))
    # a transaction's two entries are adjacent: the head lock is held from the first to the commit
    for (_, action, text), (_, action2, text2) in zip(rows[::2], rows[1::2], strict=True):
        assert (action, action2) == ("test.race", "test.race.second")
        assert json.loads(text)["data"] == json.loads(text2)["data"]
    head = LogHead.objects.get()
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    assert merkle.CompactRange.from_bytes(
        head.size, bytes(head.frontier)
    ).root() == merkle.root_from_leaf_hashes(leaves)
    report = verify_log(public_key=audit_key.public_key())
    assert report.ok, report.problems


def test_each_commit_signs_a_checkpoint_of_the_head_it_numbered(audit_key: Any) -> None:
    # Replaces "checkpoints are queued as the log grows" (every 1,000 entries): since issue 10, every commit.
    for n in (1, 3, 1):
        with transaction.atomic():
            for i in range(n):
                record(actor=system("test"), action="test.tick", data={"i": i})
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1, 4, 5]
    assert verify_log(public_key=audit_key.public_key()).witnessed_size == 5


def test_concurrent_committers_each_leave_their_head_signed(audit_key: Any) -> None:
    def write(w: int, i: int) -> None:
        with transaction.atomic():
            record(actor=system("test"), action="test.race", data={"w": w, "i": i})

    run_writers(4, 15, write)
    sizes = list(Checkpoint.objects.values_list("size", flat=True))
    assert sizes[-1] == 60 and len(sizes) == len(set(sizes))  # the final head is covered; no size twice
    report = verify_log(public_key=audit_key.public_key())
    assert report.ok, report.problems
    assert report.witnessed_size == 60


def test_the_head_is_rebuilt_in_the_database_if_it_is_missing(append: Any, guards_off: Any) -> None:
    append(5)
    guards_off("DELETE FROM audit_loghead")
    assert append(1)[0].seq == 5
    assert LogHead.objects.get().size == 6
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM audit_pendingentry")
        assert cur.fetchone() == (0,)


def test_the_append_statement_is_prepared_once_per_connection_not_parsed_per_entry() -> None:
    for i in range(3):
        with transaction.atomic():
            record(actor=system("test"), action="test.prepared", data={"i": i})
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO audit_pendingentry%%'"
        )
        assert cur.fetchone() == (1,)
