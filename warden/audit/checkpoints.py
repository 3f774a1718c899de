"""Signed checkpoints in the transparency-dev format (a C2SP signed note):

    <origin>\\n<size>\\n<base64 root>\\n\\n— <key name> <base64(4-byte key id || Ed25519 signature)>\\n

The signature covers the three body lines. The key id is the first 4 bytes of
SHA-256(key name || "\\n" || 0x01 || public key), so note verifiers (Go `golang.org/x/mod/sumdb/note`,
transparency-dev tooling) can check our checkpoints with the published verifier key.

The signing key comes from configuration (env WARDEN_AUDIT_KEY_PEM holding the PEM, or the file at
settings.AUDIT_SIGNING_KEY_PATH, PEM or a raw 32-byte seed), never from the repository. Keys that signed
earlier checkpoints are trusted through the keyring (keyring.py); `warden audit rotate-key` (rotation.py)
retires the current key there, and a retired key refuses to sign again.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from warden.audit.merkle import CompactRange
from warden.audit.models import Checkpoint

log = logging.getLogger(__name__)
SIG_PREFIX = "\u2014 "  # "— ", an em dash and a space, as the signed-note format requires
ED25519_ALG = b"\x01"


class SigningKeyMissing(RuntimeError):
    pass


class SigningKeyRetired(SigningKeyMissing):
    """The configured key was rotated out: its signature past the handover would be rejected by every
    verifier, so it signs nothing until the configuration points at its successor."""


class CheckpointError(ValueError):
    """A checkpoint text is malformed or its signature does not verify."""


# --- keys ---------------------------------------------------------------------------------------------------
def key_path() -> Path:
    return Path(settings.AUDIT_SIGNING_KEY_PATH)


# The parsed key per source, with the file's identity when read: every commit signs a checkpoint now, and
# reading and parsing the PEM each time would cost more than the signature. A replaced file is read again.
_key_cache: dict[str, tuple[tuple[int, int, int] | None, Ed25519PrivateKey]] = {}


def signing_key() -> Ed25519PrivateKey:
    pem = os.environ.get("WARDEN_AUDIT_KEY_PEM", "").strip()
    if pem:
        cached = _key_cache.get(pem)
        if cached is None:
            cached = _key_cache[pem] = (None, private_key_from_bytes(pem.encode()))
        return cached[1]
    path = key_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SigningKeyMissing(
            f"no audit signing key at {path}: set WARDEN_AUDIT_KEY (a file path) or WARDEN_AUDIT_KEY_PEM, "
            "or run `warden init` to create a development key"
        ) from None
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    cached = _key_cache.get(str(path))
    if cached is None or cached[0] != stamp:
        cached = _key_cache[str(path)] = (stamp, private_key_from_bytes(path.read_bytes()))
    return cached[1]


# (key, keyring file identity, origin) -> the size the keyring retired that key at, or None: the keyring is
# parsed and the key id hashed once per change of either file, not before every signature.
_retired: dict[tuple[int, object, str], tuple[Ed25519PrivateKey, int | None]] = {}


def configured_signer() -> Ed25519PrivateKey:
    """The configured key, if it may sign: SigningKeyMissing without one, SigningKeyRetired after a rotation."""
    from warden.audit.keyring import file_stamp, keyring_path, retirement

    key = signing_key()
    name = origin()
    ck = (id(key), file_stamp(keyring_path()), name)
    hit = _retired.get(ck)
    if hit is None or hit[0] is not key:
        if len(_retired) > 16:
            _retired.clear()
        hit = _retired[ck] = (key, retirement(key.public_key()))
    retired_at = hit[1]
    if retired_at is not None:
        kid = key_id_of(key, name).hex()
        raise SigningKeyRetired(
            f"the configured audit signing key {name}+{kid} "
            f"was retired at log size {retired_at} (`warden audit rotate-key`) and signs no more "
            "checkpoints: point WARDEN_AUDIT_KEY (or WARDEN_AUDIT_KEY_PEM) at the new key and restart"
        )
    return key


_key_ids: dict[tuple[int, str], tuple[Ed25519PrivateKey, bytes]] = {}


def key_id_of(key: Ed25519PrivateKey, name: str) -> bytes:
    """key_id of a private key's public half, remembered per key object (it is hashed on every signature)."""
    hit = _key_ids.get((id(key), name))
    if hit is None or hit[0] is not key:
        hit = _key_ids[(id(key), name)] = (key, key_id(name, public_key_bytes(key.public_key())))
    return hit[1]


def private_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    """A raw 32-byte seed or an unencrypted PEM key; raises ValueError (or SigningKeyMissing for another
    algorithm) if it is neither."""
    key = (
        Ed25519PrivateKey.from_private_bytes(raw)
        if len(raw) == 32
        else serialization.load_pem_private_key(raw, None)
    )
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyMissing("the audit signing key must be an Ed25519 key")
    return key


def create_development_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519_ALG + public).digest()[:4]


def origin() -> str:
    return str(settings.AUDIT_LOG_ORIGIN)


def verifier_key(public: Ed25519PublicKey, name: str | None = None) -> str:
    """The note verifier key string: <name>+<hex key id>+<base64(0x01 || public key)>."""
    name = name or origin()
    raw = public_key_bytes(public)
    return f"{name}+{key_id(name, raw).hex()}+{base64.b64encode(ED25519_ALG + raw).decode()}"


def public_key_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


# --- the note format ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParsedCheckpoint:
    origin: str
    size: int
    root: bytes
    body: str
    signatures: list[tuple[str, bytes, bytes]]  # (key name, key id, signature)


def body_text(origin_: str, size: int, root: bytes) -> str:
    return f"{origin_}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign(body: str, key: Ed25519PrivateKey, name: str, cosigners: Sequence[Ed25519PrivateKey] = ()) -> str:
    """The signed note: one signature line per key, `key` first. A note verifier accepts it if any key it
    trusts signed, so a note cosigned by the outgoing and incoming key convinces holders of either."""
    lines = []
    for k in (key, *cosigners):
        kid = key_id_of(k, name)
        lines.append(f"{SIG_PREFIX}{name} {base64.b64encode(kid + k.sign(body.encode())).decode()}\n")
    return f"{body}\n{''.join(lines)}"


def parse(note: str) -> ParsedCheckpoint:
    """Parse a signed checkpoint note; raises CheckpointError naming what is wrong."""
    body, sep, sigs = note.partition("\n\n")
    if not sep:
        raise CheckpointError("checkpoint has no signature block (expected a blank line after the body)")
    body += "\n"
    lines = body.split("\n")
    if len(lines) < 4:
        raise CheckpointError("checkpoint body needs origin, size and root lines")
    origin_, size_s, root_s = lines[0], lines[1], lines[2]
    if not size_s.isdigit():
        raise CheckpointError(f"checkpoint size line is not a number: {size_s!r}")
    try:
        root = base64.b64decode(root_s, validate=True)
    except ValueError as exc:
        raise CheckpointError(f"checkpoint root line is not base64: {root_s!r}") from exc
    if len(root) != 32:
        raise CheckpointError(f"checkpoint root is {len(root)} bytes, expected 32")
    signatures = []
    for line in sigs.splitlines():
        if not line:
            continue
        if not line.startswith(SIG_PREFIX):
            raise CheckpointError(f"malformed signature line: {line!r}")
        name, _, b64 = line[len(SIG_PREFIX) :].rpartition(" ")
        try:
            blob = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise CheckpointError(f"signature of {name!r} is not base64") from exc
        if len(blob) != 4 + 64:
            raise CheckpointError(f"signature of {name!r} has the wrong length")
        signatures.append((name, blob[:4], blob[4:]))
    if not signatures:
        raise CheckpointError("checkpoint is not signed")
    return ParsedCheckpoint(origin_, int(size_s), root, body, signatures)


def verify_note(note: str, public: Ed25519PublicKey, name: str | None = None) -> ParsedCheckpoint:
    """Parse and check the signature made by our key; raises CheckpointError if there is none or it is bad."""
    name = name or origin()
    parsed = parse(note)
    kid = key_id(name, public_key_bytes(public))
    mine = [s for n, k, s in parsed.signatures if n == name and k == kid]
    if not mine:
        raise CheckpointError(f"checkpoint carries no signature by key {name}+{kid.hex()}")
    try:
        public.verify(mine[0], parsed.body.encode())
    except InvalidSignature as exc:
        raise CheckpointError(f"checkpoint signature by {name} does not verify (size {parsed.size})") from exc
    return parsed


# --- making checkpoints ---------------------------------------------------------------------------------------
def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def insert_checkpoint(size: int, root: bytes, keys: Sequence[Ed25519PrivateKey]) -> str | None:
    """Sign (size, root) with `keys` (the first is the log's key) and insert the checkpoint; return its note,
    or None if a checkpoint of this size exists already (another process signed the same head first)."""
    name = origin()
    note = sign(body_text(name, size, root), keys[0], name, keys[1:])
    kid = key_id_of(keys[0], name).hex()
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cur:
        # ON CONFLICT rather than a lock on the head: writers signing after their commits never queue here.
        cur.execute(
            "INSERT INTO audit_checkpoint (size, root, origin, key_id, note, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (size) DO NOTHING",
            [size, root.hex(), name, kid, note, created],
        )
        return note if cur.rowcount == 1 else None


def store(size: int, root: bytes, keys: Sequence[Ed25519PrivateKey], *, sync: bool = True) -> bool:
    """insert_checkpoint in the current transaction; once that commits, the note is appended to the witness
    file (witness.py; fsynced at once, or with `sync` False within a few milliseconds). False if a checkpoint
    of this size exists already."""
    from warden.audit import witness

    note = insert_checkpoint(size, root, keys)
    if note is not None:
        transaction.on_commit(lambda: witness.append_quietly(note, sync=sync))
    return note is not None


def make_checkpoint(*, signers: Sequence[Ed25519PrivateKey] = ()) -> Checkpoint | None:
    """Sign and store a checkpoint of the current log if it grew since the last one; return the latest
    checkpoint (None while the log is empty). Not itself an audit entry: that would make every checkpoint
    stale the moment it is written.

    Refuses (tail.LogDoesNotExtend) to sign a log that does not extend the newest checkpoint in the database
    or in the witness file: a consistency proof from the stored tree must lead from that checkpoint's root to
    the head's. `signers` (the key rotation's handover: outgoing key, then incoming) replaces the configured
    key, which otherwise signs alone and refuses to if the keyring says it was retired."""
    from warden.audit.tail import check_extends

    with transaction.atomic():
        lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
        with connection.cursor() as cur:
            cur.execute(f"SELECT size, frontier FROM audit_loghead WHERE id = 1{lock}")
            row = cur.fetchone()
        if row is None or row[0] == 0:
            return None
        size = int(row[0])
        root = CompactRange.from_bytes(size, bytes(row[1])).root()
        current = latest()
        if current is not None and current.size >= size:
            check_extends(size, root)  # nothing new to sign, but the log must still extend what was signed
            return current
        keys = list(signers) or [configured_signer()]
        check_extends(size, root)
        store(size, root, keys)
        return Checkpoint.objects.get(size=size)


def schedule_checkpoint() -> None:
    """Queue a checkpoint for the task worker (`warden audit checkpoint` from cron does the same without one).
    Commits that append sign their own (tail.py); this is for callers that want one made elsewhere."""
    from warden.audit.tasks import checkpoint_task

    try:
        checkpoint_task.enqueue()
    except Exception:  # a full queue or missing table must never break the business transaction's caller
        log.exception("could not queue an audit checkpoint")
