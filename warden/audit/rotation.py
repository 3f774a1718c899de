"""Rotating the checkpoint signing key so that the hand-over itself is provable.

`rotate` appends an `audit.key_rotated` entry naming the outgoing and incoming keys, then signs one checkpoint
covering it with both keys (a signed note may carry several signatures): the outgoing key attests that the
log it vouched for names its successor, and the incoming key attests to the same tree, so a verifier who
trusts either key can follow the chain. The outgoing key's verifier line goes into the keyring, bounded by
that checkpoint's size; from then on the old key refuses to sign (checkpoints.SigningKeyRetired) until the
configuration points at the new key. Checkpoints have one row per size, which is why the hand-over is one
cosigned checkpoint rather than two.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from warden.audit import checkpoints, keyring
from warden.audit.models import AuditEntry, Checkpoint
from warden.audit.services import numbered_at_commit, record
from warden.lib.actors import AnyActor, system

ACTION = "audit.key_rotated"


class RotationError(ValueError):
    """The rotation cannot be made; nothing was changed."""


@dataclass(frozen=True)
class Rotation:
    entry: AuditEntry
    checkpoint: Checkpoint  # of the log up to and including `entry`, signed by the old key and then the new
    retired: keyring.TrustedKey  # the old key, as now written in the keyring
    new: keyring.TrustedKey
    keyring_path: Path


def load_new_key(path: Path) -> Ed25519PrivateKey:
    """Read and check the incoming private key file; RotationError says what is wrong with it."""
    try:
        mode = path.stat().st_mode
        raw = path.read_bytes()
    except OSError as exc:
        raise RotationError(f"cannot read the new key file {path}: {exc.strerror}") from exc
    if mode & 0o007:
        raise RotationError(
            f"the new key file {path} is open to every user on this machine (mode {mode & 0o777:o}): "
            f"run `chmod 600 {path}` and, since others could have read it, generate another key"
        )
    try:
        return checkpoints.private_key_from_bytes(raw)
    except TypeError as exc:  # cryptography's way of saying the PEM is password-protected
        raise RotationError(
            f"the new key file {path} is password-protected; Warden needs it unencrypted, readable only by "
            "its own user"
        ) from exc
    except (ValueError, UnsupportedAlgorithm, checkpoints.SigningKeyMissing) as exc:
        raise RotationError(
            f"the new key file {path} is not an Ed25519 private key (PEM, e.g. from "
            "`openssl genpkey -algorithm ed25519`, or a raw 32-byte seed)"
        ) from exc


def _trusted_key(key: Ed25519PrivateKey, name: str) -> keyring.TrustedKey:
    public = key.public_key()
    return keyring.TrustedKey(name, checkpoints.key_id(name, checkpoints.public_key_bytes(public)), public)


def _check(ring: keyring.Keyring, old: keyring.TrustedKey, new: keyring.TrustedKey) -> None:
    listed_old = ring.find(old.name, old.key_id)
    if listed_old is not None and listed_old.max_size is not None:
        raise RotationError(
            f"the configured signing key {old.label} was already rotated out at log size "
            f"{listed_old.max_size}: point WARDEN_AUDIT_KEY at its successor before rotating again"
        )
    if new.key_id == old.key_id:
        raise RotationError(f"the new key is the key already in use ({old.label})")
    listed_new = ring.find(new.name, new.key_id)
    if listed_new is not None:
        raise RotationError(
            f"the new key {new.label} is already in the keyring ({ring.source}); a key that has been in use "
            "must not come back: generate a fresh one"
        )


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _first_use(ring: keyring.Keyring, old: keyring.TrustedKey) -> str:
    """When the old key started signing: as the keyring says, else the previous rotation's end, else the time
    of its first checkpoint."""
    listed = ring.find(old.name, old.key_id)
    if listed is not None and listed.valid_from:
        return listed.valid_from
    previous = [k.until for k in ring.keys if k.max_size is not None and k.until]
    if previous:
        return previous[-1]
    first = Checkpoint.objects.filter(key_id=old.key_id.hex()).order_by("size").first()
    return _stamp(first.created_at) if first is not None else ""


def _replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` all at once: readers see the old keyring or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # public keys: verifiers and the web server read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _number_now() -> AuditEntry:
    """PostgreSQL numbers an entry when its transaction commits (pg_sequencer.py), too late for a checkpoint in
    the same transaction to cover it. Fire the deferred numbering now: this transaction then holds the log
    head until it ends, so nothing else is appended or signed between the entry and its hand-over checkpoint.
    A rotation is rare and short; other writers wait a moment."""
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    entry = AuditEntry.objects.order_by("-seq").first()
    if entry is None or entry.action != ACTION:
        raise RuntimeError("the rotation entry was not numbered at once")
    return entry


def _with_retired(previous: bytes | None, retired: keyring.TrustedKey) -> str:
    """The keyring text with the old key's line replaced by (or added as) its retired line; comments and the
    other lines are kept as the operator wrote them."""
    if previous is None:
        return keyring.render([retired])
    kept = []
    for line in previous.decode("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            listed = keyring.parse_line(line)  # load() has parsed the file already
            if (listed.name, listed.key_id) == (retired.name, retired.key_id):
                continue  # the current key listed without a bound (e.g. `warden audit public-key --all`)
        kept.append(line + "\n")
    return "".join(kept) + retired.line() + "\n"


# Who rotates when no administrator is named: whoever holds the host's key files (the CLI without --as).
HOST_OPERATOR = system("signing key rotation by the host operator")


def rotate(*, new_key: Ed25519PrivateKey, actor: AnyActor = HOST_OPERATOR) -> Rotation:
    """Retire the configured signing key in favour of `new_key`; see the module docstring. Raises
    RotationError (nothing changed) if the keys or the keyring do not allow it."""
    name = checkpoints.origin()
    old_key = checkpoints.signing_key()
    old, new = _trusted_key(old_key, name), _trusted_key(new_key, name)
    path = keyring.keyring_path()
    try:
        _check(keyring.load(path), old, new)
        path.parent.mkdir(parents=True, exist_ok=True)
    except (keyring.KeyringError, OSError) as exc:
        raise RotationError(f"cannot use the keyring at {path}: {exc}") from exc
    if not os.access(path.parent, os.W_OK):
        raise RotationError(f"cannot write the keyring: {path.parent} is not writable")

    written = False
    previous: bytes | None = None
    try:
        with transaction.atomic(durable=True):
            with numbered_at_commit():  # never left to a background sequencer: the checkpoint must cover it
                entry = record(
                    actor=actor,
                    action=ACTION,
                    data={
                        "old_key_id": old.key_id.hex(),
                        "old_verifier_key": old.verifier_key,
                        "new_key_id": new.key_id.hex(),
                        "new_verifier_key": new.verifier_key,
                    },
                )
            if entry is None:
                entry = _number_now()
            cp = checkpoints.make_checkpoint(signers=[old_key, new_key])
            if cp is None or cp.size != entry.seq + 1:  # impossible while this transaction holds the log head
                raise RuntimeError("the hand-over checkpoint does not end at the rotation entry")
            # Re-read under the log head's lock: a rotation that raced this one has committed by now.
            previous = path.read_bytes() if path.exists() else None
            ring = keyring.load(path)
            _check(ring, old, new)
            retired = keyring.TrustedKey(
                name,
                old.key_id,
                old.public,
                max_size=cp.size,
                valid_from=_first_use(ring, old),
                until=_stamp(entry.at),
            )
            written = True  # from here on, undo: restoring the previous text is harmless if nothing changed
            _replace_file(path, _with_retired(previous, retired))
    except BaseException:
        if written:  # the keyring changed but the log did not: put the keyring back
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                _replace_file(path, previous.decode("utf-8"))
        raise
    return Rotation(entry=entry, checkpoint=cp, retired=retired, new=new, keyring_path=path)
