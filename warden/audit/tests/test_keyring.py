from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from warden.audit import checkpoints, keyring

# The example key pair of Go's golang.org/x/mod/sumdb/note documentation: our verifier keys must be theirs.
GO_SIGNER_SEED = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"  # base64(0x01 || Ed25519 seed)
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"


def note_by(*keys: Ed25519PrivateKey, size: int = 4, name: str = "warden.example/audit") -> str:
    return checkpoints.sign(checkpoints.body_text(name, size, b"\x05" * 32), keys[0], name, keys[1:])


def trusted(*keys: Ed25519PrivateKey, max_size: int | None = None) -> keyring.Keyring:
    lines = [
        replace(
            keyring.parse_verifier_key(checkpoints.verifier_key(k.public_key(), "warden.example/audit")),
            max_size=max_size,
        )
        for k in keys
    ]
    return keyring.Keyring(tuple(lines), "test ring")


def test_verifier_keys_are_go_note_verifier_keys() -> None:
    seed = base64.b64decode(GO_SIGNER_SEED)[1:]
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    assert checkpoints.verifier_key(public, "PeterNeumann") == GO_VERIFIER_KEY
    key = keyring.parse_verifier_key(GO_VERIFIER_KEY)
    assert (key.name, key.key_id.hex()) == ("PeterNeumann", "c74f20a3")


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("PeterNeumann+c74f20a3", "not a note verifier key"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key id does not match"),
        ("PeterNeumann+c74f20a3+AhpcMQ==", "not an Ed25519 note key"),
        ("PeterNeumann+zz4f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "bad hex key id or base64"),
    ],
)
def test_a_malformed_verifier_key_is_refused_saying_why(text: str, complaint: str) -> None:
    with pytest.raises(keyring.KeyringError, match=complaint):
        keyring.parse_verifier_key(text)


def test_a_keyring_file_round_trips_and_keeps_its_bounds(tmp_path: Path) -> None:
    key = keyring.parse_line(
        f"{GO_VERIFIER_KEY} from=2025-01-01T00:00:00Z until=2026-02-03T04:05:06Z max-size=77"
    )
    path = tmp_path / "ring.txt"
    path.write_text(keyring.render([key]))
    (loaded,) = keyring.load(path).keys
    assert (loaded.max_size, loaded.valid_from, loaded.until) == (
        77,
        "2025-01-01T00:00:00Z",
        "2026-02-03T04:05:06Z",
    )
    assert loaded.line() == key.line() and loaded.verifier_key == GO_VERIFIER_KEY


def test_a_missing_keyring_file_is_an_empty_keyring(tmp_path: Path) -> None:
    assert keyring.load(tmp_path / "absent.txt").keys == ()


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        (f"{GO_VERIFIER_KEY} max-size=lots", "max-size must be a number"),
        (f"{GO_VERIFIER_KEY} expires=2030", "unknown field 'expires=2030'"),
        ("not-a-key", "not a note verifier key"),
    ],
)
def test_a_malformed_keyring_line_is_named_by_file_and_line(
    tmp_path: Path, line: str, complaint: str
) -> None:
    path = tmp_path / "ring.txt"
    path.write_text(f"# comment\n\n{GO_VERIFIER_KEY}\n{line}\n")
    with pytest.raises(keyring.KeyringError, match=rf"ring.txt, line 4: .*{complaint}"):
        keyring.load(path)


def test_a_key_listed_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ring.txt"
    path.write_text(f"{GO_VERIFIER_KEY}\n{GO_VERIFIER_KEY} max-size=3\n")
    with pytest.raises(keyring.KeyringError, match="line 2: key PeterNeumann\\+c74f20a3 is listed twice"):
        keyring.load(path)


class TestVerifyingANote:
    def test_any_trusted_key_that_signed_is_enough(self) -> None:
        old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
        assert trusted(old).verify(note_by(old, new)).size == 4
        assert trusted(new).verify(note_by(old, new)).size == 4

    def test_a_stranger_cosignature_is_ignored(self) -> None:
        ours, witness = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
        assert trusted(ours).verify(note_by(ours, witness)).size == 4

    def test_a_note_signed_only_by_unknown_keys_names_them(self) -> None:
        stranger = Ed25519PrivateKey.generate()
        kid = checkpoints.key_id("warden.example/audit", checkpoints.public_key_bytes(stranger.public_key()))
        with pytest.raises(
            checkpoints.CheckpointError,
            match=f"signed by key warden.example/audit\\+{kid.hex()}, which is not trusted",
        ):
            trusted(Ed25519PrivateKey.generate()).verify(note_by(stranger))

    def test_a_bad_signature_by_a_trusted_key_fails_even_beside_a_good_one(self) -> None:
        a, b = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
        note = note_by(a, b)
        sig_a, sig_b = note.split("\n")[4:6]
        forged = note.replace(
            sig_b, sig_b[:-8] + ("AAAAAAA=" if not sig_b.endswith("AAAAAAA=") else "BBBBBBB=")
        )
        assert sig_a in forged
        with pytest.raises(checkpoints.CheckpointError, match="does not verify"):
            trusted(a, b).verify(forged)

    def test_a_retired_key_is_trusted_up_to_its_bound_only(self) -> None:
        old = Ed25519PrivateKey.generate()
        ring = trusted(old, max_size=4)
        assert ring.verify(note_by(old, size=4)).size == 4
        with pytest.raises(checkpoints.CheckpointError, match="retired at size 4: a signature made after"):
            ring.verify(note_by(old, size=5))
