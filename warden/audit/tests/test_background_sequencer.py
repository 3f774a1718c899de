"""PostgreSQL with settings.AUDIT_SEQUENCER = "background": writers leave their entries pending and the
sequencer (warden/audit/sequencer.py) numbers them in batches. These tests commit for real (transaction=True)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connections, transaction

from warden.audit import merkle, sequencer
from warden.audit.models import AuditEntry, Checkpoint, LogHead, PendingEntry
from warden.audit.services import record
from warden.audit.tests.conftest import postgres_only, run_writers
from warden.audit.verify import verify_log
from warden.cli import main
from warden.lib.actors import system
from warden.lib.canonical import canonical_bytes

pytestmark = [
    postgres_only,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("background"),
]


@pytest.fixture
def background(settings: Any) -> None:
    settings.AUDIT_SEQUENCER = "background"


def _tree_matches_head() -> bool:
    head = LogHead.objects.get()
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    return merkle.CompactRange.from_bytes(
        head.size, bytes(head.frontier)
    ).root() == merkle.root_from_leaf_hashes(leaves)


def test_an_entry_waits_for_the_sequencer_then_has_the_same_canonical_bytes() -> None:
    with transaction.atomic():
        assert (
            record(actor=system("test"), action="test.later", data={"name": 'Ирина "Q"'}, case_id=4) is None
        )
    assert not AuditEntry.objects.exists()
    recorded_at = PendingEntry.objects.get().at
    assert sequencer.pending() == 1
    assert sequencer.drain() == 1
    stored = AuditEntry.objects.get()
    body = json.loads(stored.entry)
    assert stored.seq == 0 and body["seq"] == 0 and body["case"] == 4
    assert stored.entry.encode() == canonical_bytes(body)
    assert stored.leaf_hash == merkle.leaf_hash(stored.entry.encode()).hex()
    assert stored.at == recorded_at  # when it was recorded, not when it was numbered
    assert sequencer.pending() == 0 and _tree_matches_head()


def test_entries_are_numbered_in_record_order_beside_commit_mode_ones(settings: Any, audit_key: Any) -> None:
    for i in range(3):
        with transaction.atomic():
            record(actor=system("test"), action="test.background", data={"i": i})
    settings.AUDIT_SEQUENCER = "commit"  # another process configured the other way
    with transaction.atomic():
        record(actor=system("test"), action="test.commit")
    assert list(AuditEntry.objects.values_list("seq", "action")) == [(0, "test.commit")]
    assert sequencer.drain() == 3
    rows = list(AuditEntry.objects.values_list("seq", "action", "entry"))
    assert [r[0] for r in rows] == [0, 1, 2, 3]
    assert [json.loads(r[2])["data"].get("i") for r in rows[1:]] == [0, 1, 2]
    assert verify_log(public_key=audit_key.public_key()).ok


def test_a_rolled_back_transaction_leaves_nothing_pending() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=system("test"), action="test.doomed")
        raise RuntimeError("the change failed")
    assert sequencer.pending() == 0 and sequencer.drain() == 0


def test_a_running_sequencer_numbers_concurrent_writers_densely(audit_key: Any) -> None:
    writers, each = 4, 40
    stop = threading.Event()

    def sequencer_thread() -> None:
        try:
            sequencer.run(interval=0.005, stop=stop)
        finally:
            connections.close_all()

    def write(w: int, i: int) -> None:
        with transaction.atomic():
            record(actor=system("test"), action="test.race", data={"w": w, "i": i})

    seq = threading.Thread(target=sequencer_thread)
    seq.start()
    try:
        run_writers(writers, each, write)
        assert sequencer.wait_until_drained(timeout=30)
    finally:
        stop.set()
        seq.join()
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(writers * each))
    per_writer = [json.loads(e)["data"] for e in AuditEntry.objects.values_list("entry", flat=True)]
    for w in range(writers):  # each writer's entries keep its order
        assert [d["i"] for d in per_writer if d["w"] == w] == list(range(each))
    assert _tree_matches_head()
    assert verify_log(public_key=audit_key.public_key()).ok


def test_each_numbered_batch_signs_a_checkpoint_of_its_head(audit_key: Any, own_witness: Any) -> None:
    # Replaces "a batch that crosses the interval queues a checkpoint": since issue 10, every batch signs.
    for i in range(7):
        with transaction.atomic():
            record(actor=system("test"), action="test.tick", data={"i": i})
    assert not Checkpoint.objects.exists()  # commits in background mode number nothing, so sign nothing
    assert sequencer.drain() == 7
    for i in range(3):
        with transaction.atomic():
            record(actor=system("test"), action="test.tick", data={"i": i})
    assert sequencer.drain() == 3
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [7, 10]
    witnessed = [json.loads(line)["note"] for line in own_witness.read_text().splitlines()]
    assert witnessed == list(Checkpoint.objects.values_list("note", flat=True))
    assert verify_log(public_key=audit_key.public_key()).witnessed_size == 10


def test_the_cli_numbers_what_is_pending_and_verify_says_what_waits(
    audit_key: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(2):
        with transaction.atomic():
            record(actor=system("test"), action="test.cli", data={"i": i})
    assert main(["audit", "verify"]) == 0
    assert "2 committed entries are waiting for the audit sequencer" in capsys.readouterr().out
    assert main(["audit", "sequencer", "--once"]) == 0
    assert "Numbered 2 pending audit entries" in capsys.readouterr().out
    assert AuditEntry.objects.count() == 2
