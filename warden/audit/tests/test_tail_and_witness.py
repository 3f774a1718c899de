"""The tail of the log is covered: each commit that appends signs a checkpoint of the new head, each
checkpoint lands in the witness file outside the database once committed, and the log is checked against
the newest witnessed checkpoint. These tests commit for real (transaction=True), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from django.db import connections, transaction

from warden.audit import checkpoints, tail, witness
from warden.audit.merkle import CompactRange
from warden.audit.models import AuditEntry, Checkpoint
from warden.audit.services import record
from warden.audit.verify import verify_log
from warden.cli import main
from warden.lib.actors import system

pytestmark = pytest.mark.django_db(transaction=True)


def _witnessed(path: Path) -> list[int]:
    return [checkpoints.parse(json.loads(line)["note"]).size for line in path.read_text().splitlines()]


def test_every_commit_that_appends_signs_a_checkpoint_and_witnesses_it(
    append: Any, audit_key: Any, own_witness: Path
) -> None:
    append(3)  # three commits of one entry
    with transaction.atomic():  # one commit of three
        for i in range(3):
            record(actor=system("test"), action="test.bulk", data={"i": i})
    with transaction.atomic():  # a commit that appends nothing signs nothing
        pass
    with pytest.raises(RuntimeError), transaction.atomic():  # nor does one that rolls back
        record(actor=system("test"), action="test.doomed")
        raise RuntimeError("the change failed")
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1, 2, 3, 6]
    notes = list(Checkpoint.objects.values_list("note", flat=True))
    assert [json.loads(line)["note"] for line in own_witness.read_text().splitlines()] == notes
    for note in notes:
        checkpoints.verify_note(note, audit_key.public_key())
    report = verify_log(public_key=audit_key.public_key())
    assert report.ok, report.problems
    assert report.witnessed_size == 6 and report.checkpoints_stored == 4


def _cut_tail(guards_off: Any, keep: int) -> None:
    """The attack: delete the newest entries and their checkpoints, and rewind the head to match."""
    guards_off("DELETE FROM audit_auditentry WHERE seq >= %s", [keep])
    guards_off("DELETE FROM audit_checkpoint WHERE size > %s", [keep])
    cr = CompactRange()
    for leaf in AuditEntry.objects.order_by("seq").values_list("leaf_hash", flat=True):
        cr.append(bytes.fromhex(leaf))
    guards_off("UPDATE audit_loghead SET size = %s, frontier = %s WHERE id = 1", [cr.size, cr.to_bytes()])


def test_deleting_the_newest_entries_their_checkpoints_and_the_head_is_caught_by_the_witness(
    append: Any, audit_key: Any, guards_off: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    append(10)
    _cut_tail(guards_off, keep=8)
    assert verify_log(public_key=audit_key.public_key(), witness=False).ok  # the database agrees with itself
    report = verify_log(public_key=audit_key.public_key())
    assert not report.ok
    assert "the newest witnessed checkpoint (size 10" in str(report.problems[0])
    assert "covers 10 entries but the log has only 8: entries deleted" in str(report.problems[0])
    assert main(["audit", "verify"]) == 1
    assert "covers 10 entries but the log has only 8" in capsys.readouterr().out


def test_a_cut_log_that_grows_again_past_the_witness_still_fails(
    append: Any, audit_key: Any, guards_off: Any, own_witness: Path
) -> None:
    append(10)
    _cut_tail(guards_off, keep=8)
    append(4)  # new entries 8..11 replace the deleted 8..9; no signer vouches for them
    assert _witnessed(own_witness) == list(range(1, 11))
    report = verify_log(public_key=audit_key.public_key())
    assert any(
        "root mismatch with the newest witnessed checkpoint (size 10" in str(p) for p in report.problems
    ), report.problems


def test_checkpoint_refuses_to_sign_a_log_cut_below_the_last_checkpoint(
    append: Any, audit_key: Any, guards_off: Any, own_witness: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(10)
    _cut_tail(guards_off, keep=8)
    append(1)  # the application carries on: its signer refuses the shorter log
    assert not Checkpoint.objects.filter(size=9).exists()
    tail.forget()  # a freshly started process checks against the witness instead
    append(1)
    assert Checkpoint.objects.order_by("-size").first().size == 8  # type: ignore[union-attr]
    assert main(["audit", "checkpoint"]) == 1
    err = capsys.readouterr().err
    assert "refusing to sign" in err and "the newest witnessed checkpoint (size 10" in err
    assert "the log has 10 entries" in err or "does not extend" in err
    assert _witnessed(own_witness) == list(range(1, 11))


def test_checkpoint_refuses_to_sign_a_rewritten_log(
    append: Any, audit_key: Any, guards_off: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    append(6)
    # A thorough forger: entry 2 changed and every leaf, subtree hash and the head recomputed.
    forged = AuditEntry.objects.get(seq=2).entry.replace('"i":2', '"i":200')
    guards_off("UPDATE audit_auditentry SET entry = %s WHERE seq = 2", [forged])
    cr = CompactRange()
    for seq, text in AuditEntry.objects.order_by("seq").values_list("seq", "entry"):
        leaf = checkpoints.hashlib.sha256(b"\x00" + text.encode()).digest()
        nodes = b"".join(cr.append(leaf))
        guards_off(
            "UPDATE audit_auditentry SET leaf_hash = %s, nodes = %s WHERE seq = %s", [leaf.hex(), nodes, seq]
        )
    guards_off("UPDATE audit_loghead SET frontier = %s WHERE id = 1", [cr.to_bytes()])
    assert main(["audit", "checkpoint"]) == 1
    err = capsys.readouterr().err
    assert (
        "refusing to sign" in err and "does not extend the newest checkpoint in the database (size 6)" in err
    )


def test_checkpoint_signs_a_log_that_extends_the_witness(
    append: Any, audit_key: Any, own_witness: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(4)
    with transaction.atomic():
        record(actor=system("test"), action="test.more")
    assert main(["audit", "checkpoint"]) == 0
    assert capsys.readouterr().out.split("\n")[1] == "5"
    assert _witnessed(own_witness) == [1, 2, 3, 4, 5]


def test_verify_without_a_witness_file_says_nothing_outside_vouches(
    append: Any, audit_key: Any, own_witness: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(2)
    own_witness.unlink()
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "no witnessed checkpoint" in out and "OK: 2 entries" in out


def test_a_witnessed_checkpoint_signed_by_an_unknown_key_fails_verification(
    append: Any, audit_key: Any, own_witness: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    append(2)
    name = checkpoints.origin()
    stranger = Ed25519PrivateKey.generate()
    witness.append(checkpoints.sign(checkpoints.body_text(name, 3, b"\x01" * 32), stranger, name))
    report = verify_log(public_key=audit_key.public_key())
    assert not report.ok and "the newest witnessed checkpoint (size 3" in str(report.problems[0])


def test_the_newest_witnessed_checkpoint_is_the_longest_among_the_last_records(
    own_witness: Path, audit_key: Any, settings: Any
) -> None:
    name = checkpoints.origin()
    for size in (1, 3, 2):  # concurrent appenders may swap neighbours
        witness.append(checkpoints.sign(checkpoints.body_text(name, size, b"\x00" * 32), audit_key, name))
    with open(own_witness, "a") as fh:
        fh.write('{"at": "torn by a crash", "note": "war')  # no newline: skipped
    newest = witness.newest()
    assert newest is not None and newest.parsed.size == 3


def _append_many(path: str, worker: int, n: int) -> None:
    from django.conf import settings

    settings.AUDIT_WITNESS_PATH = path
    for i in range(n):
        witness.append(f"worker {worker} record {i}\n" + "x" * 3000)  # larger than one pipe buffer's atom


def test_concurrent_processes_append_whole_records(own_witness: Path, db: None) -> None:
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(own_witness), w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert all(p.exitcode == 0 for p in procs)
    notes = [json.loads(line)["note"] for line in own_witness.read_text().splitlines()]
    assert len(notes) == 160
    for w in range(4):
        assert [n.split("\n")[0] for n in notes if n.startswith(f"worker {w} ")] == [
            f"worker {w} record {i}" for i in range(40)
        ]


def test_the_witness_is_written_only_once_the_checkpoint_commits(
    append: Any, audit_key: Any, own_witness: Path
) -> None:
    append(2)
    before = _witnessed(own_witness)
    with pytest.raises(RuntimeError), transaction.atomic():
        with transaction.atomic():
            record(actor=system("test"), action="test.x")
        checkpoints.store(99, b"\x00" * 32, [audit_key])  # inside a transaction that then rolls back
        raise RuntimeError("rolled back")
    assert _witnessed(own_witness) == before


def test_init_names_the_witness_and_warns_when_it_knows_a_longer_log(
    db: None, audit_key: Any, own_witness: Path, settings: Any
) -> None:
    from rich.console import Console

    from warden.audit import cli

    console = Console(record=True, width=300)
    cli.on_init(console)
    assert (
        f"Audit witness file (every checkpoint, outside the database): {own_witness}" in console.export_text()
    )
    name = checkpoints.origin()
    witness.append(checkpoints.sign(checkpoints.body_text(name, 5, b"\x00" * 32), audit_key, name))
    console = Console(record=True, width=300)
    cli.on_init(console)  # a fresh, empty database beside an old witness file
    text = console.export_text()
    assert "holds a checkpoint of 5 entries but this database's audit log has 0" in text
