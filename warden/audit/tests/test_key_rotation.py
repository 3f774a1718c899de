from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from warden.audit import checkpoints, keyring, rotation
from warden.audit.models import AuditEntry, Checkpoint
from warden.audit.services import record
from warden.audit.verify import verify_log
from warden.lib.actors import system


def kid_of(key: Ed25519PrivateKey) -> str:
    return checkpoints.key_id(checkpoints.origin(), checkpoints.public_key_bytes(key.public_key())).hex()


def signer_ids(note: str) -> list[str]:
    return [kid.hex() for _, kid, _ in checkpoints.parse(note).signatures]


@pytest.fixture
def new_key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "audit-2.pem"
    checkpoints.create_development_key(path)
    return path


def switch_to(path: Path, settings: Any) -> Ed25519PrivateKey:
    """What the operator does after rotating: point WARDEN_AUDIT_KEY at the new key."""
    settings.AUDIT_SIGNING_KEY_PATH = str(path)
    return checkpoints.signing_key()


def test_old_checkpoints_still_verify_after_rotation_and_new_ones_use_the_new_key(
    append, audit_key, new_key_file, settings
) -> None:  # type: ignore[no-untyped-def]
    append(5)
    before = checkpoints.make_checkpoint()
    assert before is not None and signer_ids(before.note) == [kid_of(audit_key)]

    done = rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    new_key = switch_to(new_key_file, settings)
    append(3)
    after = checkpoints.make_checkpoint()

    assert after is not None and after.size == 9
    assert after.key_id == kid_of(new_key) and signer_ids(after.note) == [kid_of(new_key)]
    report = verify_log()
    assert report.ok, report.problems
    assert report.checkpoints_checked == 3  # before, the hand-over, after
    kept = verify_log(third_party_note=before.note)  # someone kept the old key's checkpoint
    assert kept.ok and kept.consistent_with == "size 5 -> 9"
    assert done.retired.max_size == 6


def test_the_hand_over_is_an_entry_covered_by_a_checkpoint_signed_by_the_old_key_then_the_new(
    append, audit_key, new_key_file
) -> None:  # type: ignore[no-untyped-def]
    append(2)
    new_key = rotation.load_new_key(new_key_file)
    done = rotation.rotate(new_key=new_key)

    entry = AuditEntry.objects.get(seq=2)
    assert (entry.action, entry.actor_label, done.entry.seq) == ("audit.key_rotated", "system", 2)
    data = json.loads(entry.entry)["data"]
    assert data == {
        "old_key_id": kid_of(audit_key),
        "old_verifier_key": checkpoints.verifier_key(audit_key.public_key()),
        "new_key_id": kid_of(new_key),
        "new_verifier_key": checkpoints.verifier_key(new_key.public_key()),
    }
    cp = Checkpoint.objects.get(size=3)
    assert cp == done.checkpoint and signer_ids(cp.note) == [kid_of(audit_key), kid_of(new_key)]
    # Each key alone vouches for the tree that names the new key: holders of either can follow the chain.
    checkpoints.verify_note(cp.note, audit_key.public_key())
    checkpoints.verify_note(cp.note, new_key.public_key())


def test_the_keyring_gains_the_old_key_bounded_by_the_hand_over(append, audit_key, new_key_file) -> None:  # type: ignore[no-untyped-def]
    append(1)
    first = checkpoints.make_checkpoint()
    assert first is not None
    done = rotation.rotate(new_key=rotation.load_new_key(new_key_file))

    text = Path(django_settings.AUDIT_KEYRING_PATH).read_text()
    assert text.startswith("# Warden audit keyring")
    (retired,) = keyring.load(Path(django_settings.AUDIT_KEYRING_PATH)).keys
    assert retired.verifier_key == checkpoints.verifier_key(audit_key.public_key())
    assert retired.max_size == 2 == done.checkpoint.size
    assert retired.valid_from == first.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert retired.until == done.entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_retired_key_refuses_to_sign_until_the_configuration_moves_on(
    append, audit_key, new_key_file, settings
) -> None:  # type: ignore[no-untyped-def]
    append(1)
    rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    assert checkpoints.make_checkpoint().size == 2  # type: ignore[union-attr]  # nothing new: no signing
    append(1)
    with pytest.raises(checkpoints.SigningKeyRetired, match="retired at log size 2.*point WARDEN_AUDIT_KEY"):
        checkpoints.make_checkpoint()
    assert verify_log().ok  # verification is unaffected while the configuration lags behind
    switch_to(new_key_file, settings)
    assert checkpoints.make_checkpoint().size == 3  # type: ignore[union-attr]


def test_a_checkpoint_signed_by_an_untrusted_key_fails_verification_naming_it(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    append(3)
    honest = checkpoints.make_checkpoint()
    assert honest is not None
    # Someone with database access adds a checkpoint signed by a key of their own (the root is even right).
    stranger = Ed25519PrivateKey.generate()
    name = checkpoints.origin()
    append(1)
    from warden.audit import proofs

    root = proofs.root_at(4)
    forged = Checkpoint.objects.create(
        size=4,
        root=root.hex(),
        origin=name,
        key_id=kid_of(stranger),
        note=checkpoints.sign(checkpoints.body_text(name, 4, root), stranger, name),
        created_at=timezone.now(),
    )
    report = verify_log()
    assert not report.ok
    (problem,) = report.problems
    assert str(problem).startswith(
        f"checkpoint #{forged.pk} (size 4): signed by key {name}+{kid_of(stranger)}"
    )
    assert "not trusted" in str(problem) and django_settings.AUDIT_KEYRING_PATH in str(problem)


def test_the_old_key_cannot_vouch_for_a_log_beyond_its_hand_over(
    append, audit_key, new_key_file, settings
) -> None:  # type: ignore[no-untyped-def]
    append(2)
    rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    switch_to(new_key_file, settings)
    append(2)
    from warden.audit import proofs

    name = checkpoints.origin()
    # The old private key leaks after the rotation: a note it signs for the grown log must not be believed.
    late = checkpoints.sign(checkpoints.body_text(name, 5, proofs.root_at(5)), audit_key, name)
    report = verify_log(third_party_note=late)
    assert not report.ok
    assert "retired at size 3" in str(report.problems[0])


def rsa_pem() -> bytes:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def encrypted_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )


@pytest.mark.parametrize(
    ("content", "mode", "complaint"),
    [
        (None, 0o600, "cannot read the new key file"),
        (b"-----BEGIN NONSENSE-----\n", 0o600, "is not an Ed25519 private key"),
        ("rsa", 0o600, "is not an Ed25519 private key"),
        ("encrypted", 0o600, "is password-protected"),
        ("fresh", 0o644, "open to every user on this machine \\(mode 644\\)"),
        ("current", 0o600, "is the key already in use"),
    ],
)
def test_a_bad_new_key_file_gives_a_clear_error_and_changes_nothing(
    append, audit_key, tmp_path, content, mode, complaint
) -> None:  # type: ignore[no-untyped-def]
    append(2)
    checkpoints.make_checkpoint()
    path = tmp_path / "new.pem"
    if content is not None:
        raw = {
            "rsa": rsa_pem,
            "encrypted": encrypted_pem,
            "current": lambda: Path(django_settings.AUDIT_SIGNING_KEY_PATH).read_bytes(),
            "fresh": lambda: Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        }.get(content, lambda: content)()  # type: ignore[arg-type]
        path.write_bytes(raw)
        os.chmod(path, mode)
    with pytest.raises(rotation.RotationError, match=complaint):
        rotation.rotate(new_key=rotation.load_new_key(path))
    assert AuditEntry.objects.count() == 2 and Checkpoint.objects.count() == 1
    assert not Path(django_settings.AUDIT_KEYRING_PATH).exists()


def test_a_retired_key_cannot_come_back_and_a_key_is_not_rotated_out_twice(
    append, audit_key, new_key_file, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    append(1)
    old_file = Path(django_settings.AUDIT_SIGNING_KEY_PATH)
    rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    third = tmp_path / "keys" / "audit-3.pem"
    checkpoints.create_development_key(third)
    with pytest.raises(rotation.RotationError, match="already rotated out at log size 2"):
        rotation.rotate(new_key=rotation.load_new_key(third))  # the configuration still names the old key
    switch_to(new_key_file, settings)
    with pytest.raises(rotation.RotationError, match="already in the keyring"):
        rotation.rotate(new_key=rotation.load_new_key(old_file))
    assert AuditEntry.objects.count() == 2 and Checkpoint.objects.count() == 1


def test_a_failure_after_the_keyring_was_written_puts_it_back_and_records_nothing(
    append, audit_key, new_key_file, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    append(1)
    path = Path(django_settings.AUDIT_KEYRING_PATH)
    path.write_text("# kept as the operator wrote it\n")
    real = rotation._replace_file
    calls: list[str] = []

    def write_then_fail(target: Path, text: str) -> None:
        real(target, text)
        calls.append(text)
        if len(calls) == 1:  # the rotation's write; the second call is the restore
            raise OSError("disk full")

    monkeypatch.setattr(rotation, "_replace_file", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    assert path.read_text() == "# kept as the operator wrote it\n"
    assert AuditEntry.objects.count() == 1 and Checkpoint.objects.count() == 0


def test_the_current_key_listed_without_a_bound_is_replaced_by_its_retired_line(
    append, audit_key, new_key_file
) -> None:  # type: ignore[no-untyped-def]
    path = Path(django_settings.AUDIT_KEYRING_PATH)
    path.write_text(keyring.render(list(keyring.trusted().keys)) + "# our partner's note\n")
    append(1)
    rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    (retired,) = keyring.load(path).keys
    assert retired.max_size == 2
    assert "# our partner's note\n" in path.read_text()


def test_the_api_names_the_key_of_each_checkpoint_and_publishes_the_keyring(
    append, audit_key, new_key_file, settings, client
) -> None:  # type: ignore[no-untyped-def]
    append(2)
    done = rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    old_vkey = checkpoints.verifier_key(audit_key.public_key())
    # Configuration not yet moved on: the hand-over checkpoint is named by the old key, still configured.
    assert client.get("/api/audit/checkpoint").json()["verifier_key"] == old_vkey
    new_key = switch_to(new_key_file, settings)
    new_vkey = checkpoints.verifier_key(new_key.public_key())
    api = client.get("/api/audit/checkpoint").json()
    assert api["size"] == done.checkpoint.size and api["verifier_key"] == new_vkey  # it cosigned

    ring = client.get("/api/audit/keyring").json()
    assert [(k["verifier_key"], k["current"], k["max_size"]) for k in ring["keys"]] == [
        (old_vkey, False, 3),
        (new_vkey, True, None),
    ]
    published = Path(settings.AUDIT_KEYRING_PATH).parent / "published.txt"
    published.write_text(ring["text"])
    assert [k.verifier_key for k in keyring.load(published).keys] == [old_vkey, new_vkey]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sequencer", ["commit", "background"])
def test_a_committed_rotation_covers_its_entry_even_where_entries_are_numbered_at_commit(
    audit_key, new_key_file, settings, sequencer
) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_SEQUENCER = sequencer  # background: the rotation entry must not wait for the sequencer
    # Real commits (no test transaction around them): on PostgreSQL, record() leaves the numbering to COMMIT,
    # and the hand-over checkpoint must still end exactly at the rotation entry.
    with transaction.atomic():
        record(actor=system("test"), action="test.event")
    from warden.audit.sequencer import drain

    drain()  # background mode on PostgreSQL: number test.event first
    done = rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    assert (done.entry.seq, done.entry.action, done.checkpoint.size) == (1, "audit.key_rotated", 2)
    assert AuditEntry.objects.get(seq=1).action == "audit.key_rotated"
    assert verify_log().ok


def test_a_retired_key_added_to_the_keyring_without_a_recorded_rotation_fails_verification(
    append, audit_key, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    append(6)
    stranger = Ed25519PrivateKey.generate()
    line = keyring.parse_verifier_key(checkpoints.verifier_key(stranger.public_key(), checkpoints.origin()))
    path = tmp_path / "keyring.txt"
    path.write_text(replace(line, max_size=4).line() + "\n")  # as if it had been rotated out at size 4
    settings.AUDIT_KEYRING_PATH = str(path)
    report = verify_log()
    assert not report.ok
    assert (
        f"retired key {line.label} is bounded at log size 4, but entry 3 does not record its rotation"
        in str(report.problems)
    )


def test_every_retired_key_of_a_real_rotation_is_found_in_the_log(
    append, audit_key, new_key_file, settings
) -> None:  # type: ignore[no-untyped-def]
    append(3)
    done = rotation.rotate(new_key=rotation.load_new_key(new_key_file))
    switch_to(new_key_file, settings)
    append(2)
    assert done.retired.max_size == 4 and AuditEntry.objects.get(seq=3).action == "audit.key_rotated"
    report = verify_log()
    assert report.ok, report.problems
