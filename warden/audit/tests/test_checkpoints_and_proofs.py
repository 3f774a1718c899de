from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warden.audit import checkpoints, merkle, proofs
from warden.audit.models import AuditEntry, Checkpoint
from warden.audit.verify import verify_log


def test_a_checkpoint_is_a_signed_note_over_origin_size_and_root(append, audit_key, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_LOG_ORIGIN = "warden.test/audit"
    append(9)
    cp = checkpoints.make_checkpoint()
    assert cp is not None and cp.size == 9
    origin, size, root_b64, blank, sig_line, end = cp.note.split("\n")
    assert (origin, size, blank, end) == ("warden.test/audit", "9", "", "")
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    assert base64.b64decode(root_b64) == merkle.root_from_leaf_hashes(leaves)
    assert sig_line.startswith("\u2014 warden.test/audit ")
    parsed = checkpoints.verify_note(cp.note, audit_key.public_key())
    assert parsed.size == 9


def test_a_checkpoint_with_any_flipped_byte_fails_verification(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    append(3)
    cp = checkpoints.make_checkpoint()
    assert cp is not None
    body_end = cp.note.index("\n\n")
    for i in range(body_end):  # every byte of the signed body
        ch = cp.note[i]
        forged = cp.note[:i] + ("0" if ch != "0" else "1") + cp.note[i + 1 :]
        with pytest.raises(checkpoints.CheckpointError):
            checkpoints.verify_note(forged, audit_key.public_key())


def test_a_checkpoint_signed_by_another_key_is_refused(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    append(2)
    cp = checkpoints.make_checkpoint()
    assert cp is not None
    with pytest.raises(checkpoints.CheckpointError, match="no signature by key"):
        checkpoints.verify_note(cp.note, Ed25519PrivateKey.generate().public_key())


def test_a_checkpoint_is_only_made_when_the_log_grew(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    assert checkpoints.make_checkpoint() is None  # empty log
    append(2)
    first = checkpoints.make_checkpoint()
    assert checkpoints.make_checkpoint() == first
    append(1)
    assert checkpoints.make_checkpoint().size == 3  # type: ignore[union-attr]
    assert Checkpoint.objects.count() == 2


def test_checkpoints_need_a_configured_key(append, settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("WARDEN_AUDIT_KEY_PEM", raising=False)
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "absent.pem")
    append(1)
    with pytest.raises(checkpoints.SigningKeyMissing, match="warden init"):
        checkpoints.make_checkpoint()


def test_the_key_can_come_from_the_environment_as_pem(append, monkeypatch, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "k.pem"
    checkpoints.create_development_key(path)
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "absent.pem")
    monkeypatch.setenv("WARDEN_AUDIT_KEY_PEM", path.read_text())
    append(1)
    assert checkpoints.make_checkpoint() is not None


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 31, 33])
def test_stored_tree_proofs_equal_the_pure_ones_and_verify(append, n: int) -> None:  # type: ignore[no-untyped-def]
    append(n)
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    get = merkle.getter_from_leaves(leaves)
    for size in range(1, n + 1):
        root = merkle.root_from_leaf_hashes(leaves[:size])
        assert proofs.root_at(size) == root
        for seq in range(size):
            p = proofs.inclusion(seq, size)
            assert [bytes.fromhex(h) for h in p["proof"]] == merkle.inclusion_proof(seq, size, get)
            merkle.verify_inclusion(seq, size, leaves[seq], [bytes.fromhex(h) for h in p["proof"]], root)
        c = proofs.consistency(size, n)
        merkle.verify_consistency(
            size, n, root, merkle.root_from_leaf_hashes(leaves), [bytes.fromhex(h) for h in c["proof"]]
        )


def test_proofs_out_of_range_are_refused_clearly(append) -> None:  # type: ignore[no-untyped-def]
    append(4)
    with pytest.raises(proofs.ProofUnavailable, match="size 9 is out of range: the log has 4"):
        proofs.inclusion(1, 9)
    with pytest.raises(proofs.ProofUnavailable, match="entry 4 is not in a log of size 4"):
        proofs.inclusion(4)
    with pytest.raises(proofs.ProofUnavailable, match="from size 3 to size 2"):
        proofs.consistency(3, 2)


def test_an_inclusion_proof_defaults_to_the_latest_checkpoint_covering_the_entry(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    append(5)
    cp = checkpoints.make_checkpoint()
    append(3)
    p = proofs.inclusion(2)
    assert p["size"] == 5 and p["checkpoint"] == cp.note  # type: ignore[union-attr]
    assert proofs.inclusion(6)["size"] == 8


def test_a_third_party_checkpoint_is_proven_consistent_with_the_grown_log(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    append(6)
    kept = checkpoints.make_checkpoint().note  # type: ignore[union-attr]
    append(11)
    report = verify_log(public_key=audit_key.public_key(), third_party_note=kept)
    assert report.ok, report.problems
    assert report.consistent_with == "size 6 -> 17"


def test_a_third_party_checkpoint_from_a_different_history_fails(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    append(6)
    name = checkpoints.origin()
    other = checkpoints.sign(checkpoints.body_text(name, 6, b"\x07" * 32), audit_key, name)
    report = verify_log(public_key=audit_key.public_key(), third_party_note=other)
    assert not report.ok
    assert "root mismatch with your checkpoint (size 6)" in str(report.problems[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(1, 12), min_size=2, max_size=6), data=st.data())
def test_every_signed_checkpoint_stays_consistent_with_every_later_one(append, audit_key, cuts, data) -> None:  # type: ignore[no-untyped-def]
    public = audit_key.public_key()
    with transaction.atomic():  # each example builds its own log and rolls it back
        for n in cuts:
            append(n)
            checkpoints.make_checkpoint()
        notes = [checkpoints.verify_note(cp.note, public) for cp in Checkpoint.objects.order_by("size")]
        i = data.draw(st.integers(0, len(notes) - 1), label="older checkpoint")
        j = data.draw(st.integers(i, len(notes) - 1), label="newer checkpoint")
        old, new = notes[i], notes[j]
        proof = proofs.consistency(old.size, new.size)
        merkle.verify_consistency(
            old.size, new.size, old.root, new.root, [bytes.fromhex(h) for h in proof["proof"]]
        )
        transaction.set_rollback(True)
