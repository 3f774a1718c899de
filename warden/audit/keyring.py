"""The keyring: the public keys trusted to have signed this log's checkpoints, so that the signing key can be
rotated without orphaning the checkpoints it signed.

The file (settings.AUDIT_KEYRING_PATH, env WARDEN_AUDIT_KEYRING) holds one key per line, `#` starts a comment:

    <name>+<hex key id>+<base64(0x01 || Ed25519 public key)>  [from=<time>] [until=<time>] [max-size=<n>]

The first field is a Go `note` verifier key, so the same lines serve golang.org/x/mod/sumdb/note and
transparency-dev tooling. `max-size` is enforced: a retired key vouches only for logs up to the size of its
handover checkpoint, so whoever obtains the old private key later cannot sign a longer (forked) log that a
verifier would accept. The times come from the writer's clock and are for people: a checkpoint's signed text
carries no time, only its size. The configured signing key is always trusted, without bound unless the file
retires it. Verification follows note.Open: signatures by keys not in the ring are ignored, at least one
trusted key must have signed, and every trusted signature present must verify.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from warden.audit.checkpoints import (
    ED25519_ALG,
    CheckpointError,
    ParsedCheckpoint,
    SigningKeyMissing,
    key_id,
    origin,
    parse,
    public_key_bytes,
    signing_key,
)

HEADER = (
    "# Warden audit keyring: public keys trusted to have signed this log's checkpoints, one per line.\n"
    "# <note verifier key> [from=<time>] [until=<time>] [max-size=<n>]; max-size is enforced (a retired key\n"
    "# is not trusted for larger logs), the times are informative. Public data: publish it to verifiers.\n"
)
_FIELDS = ("from", "until", "max-size")


class KeyringError(ValueError):
    """A keyring line or verifier key is malformed."""


@dataclass(frozen=True)
class TrustedKey:
    name: str
    key_id: bytes
    public: Ed25519PublicKey
    max_size: int | None = None  # retired: trusted only for checkpoints of logs up to this size
    valid_from: str = ""
    until: str = ""
    current: bool = False  # the configured signing key, trusted by configuration rather than by the file

    @property
    def label(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"

    @property
    def verifier_key(self) -> str:
        raw = public_key_bytes(self.public)
        return f"{self.label}+{base64.b64encode(ED25519_ALG + raw).decode()}"

    def line(self) -> str:
        extra = [f"from={self.valid_from}"] if self.valid_from else []
        extra += [f"until={self.until}"] if self.until else []
        extra += [f"max-size={self.max_size}"] if self.max_size is not None else []
        return " ".join([self.verifier_key, *extra])


def parse_verifier_key(text: str) -> TrustedKey:
    """A note verifier key `<name>+<hex id>+<base64 key>`; the id must be the one the name and key imply."""
    # Split on the first two '+' only: base64 uses '+' too (as Go's note.NewVerifier does).
    parts = text.split("+", 2)
    if len(parts) != 3 or not parts[0] or any(c.isspace() for c in parts[0]):
        raise KeyringError(f"not a note verifier key (<name>+<hex key id>+<base64 key>): {text!r}")
    name, kid_hex, b64 = parts
    try:
        kid = bytes.fromhex(kid_hex)
        raw = base64.b64decode(b64, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise KeyringError(f"verifier key {name}+{kid_hex}: bad hex key id or base64 key") from exc
    if len(kid) != 4 or len(raw) != 33 or raw[:1] != ED25519_ALG:
        raise KeyringError(f"verifier key {name}+{kid_hex}: not an Ed25519 note key (algorithm byte 0x01)")
    if key_id(name, raw[1:]) != kid:
        raise KeyringError(f"verifier key {name}+{kid_hex}: the key id does not match the name and key")
    return TrustedKey(name, kid, Ed25519PublicKey.from_public_bytes(raw[1:]))


def parse_line(line: str) -> TrustedKey:
    vkey, *extra = line.split()
    key = parse_verifier_key(vkey)
    values: dict[str, str] = {}
    for item in extra:
        field, sep, value = item.partition("=")
        if not sep or field not in _FIELDS or not value:
            raise KeyringError(f"unknown field {item!r} (expected {', '.join(f + '=' for f in _FIELDS)})")
        values[field] = value
    size = values.get("max-size")
    if size is not None and not size.isdigit():
        raise KeyringError(f"max-size must be a number of entries, not {size!r}")
    return replace(
        key,
        max_size=int(size) if size is not None else None,
        valid_from=values.get("from", ""),
        until=values.get("until", ""),
    )


def render(keys: list[TrustedKey]) -> str:
    return HEADER + "".join(k.line() + "\n" for k in keys)


@dataclass(frozen=True)
class Keyring:
    keys: tuple[TrustedKey, ...]
    source: str  # where the keys came from, for messages

    def find(self, name: str, kid: bytes) -> TrustedKey | None:
        return next((k for k in self.keys if k.name == name and k.key_id == kid), None)

    def verify(self, note: str) -> ParsedCheckpoint:
        """Parse the note and check it as note.Open would, plus each retired key's bound; raises
        CheckpointError naming the key concerned."""
        parsed = parse(note)
        trusted = 0
        for name, kid, sig in parsed.signatures:
            key = self.find(name, kid)
            if key is None:
                continue  # someone else's cosignature (a witness, say): not ours to judge
            try:
                key.public.verify(sig, parsed.body.encode())
            except InvalidSignature as exc:
                raise CheckpointError(
                    f"the signature by key {key.label} does not verify (size {parsed.size})"
                ) from exc
            if key.max_size is not None and parsed.size > key.max_size:
                raise CheckpointError(
                    f"signed by key {key.label} for a log of {parsed.size} entries, but that key was retired "
                    f"at size {key.max_size}{f' on {key.until}' if key.until else ''}: a signature made "
                    "after its retirement (is the old key compromised?)"
                )
            trusted += 1
        if not trusted:
            signers = ", ".join(f"{n}+{k.hex()}" for n, k, _ in parsed.signatures)
            raise CheckpointError(
                f"signed by key {signers}, which is not trusted: neither in the keyring ({self.source}) nor "
                "the configured signing key"
            )
        return parsed


def keyring_path() -> Path:
    return Path(settings.AUDIT_KEYRING_PATH)


def load(path: Path) -> Keyring:
    """The keys in the file at `path` (none if there is no file); KeyringError names the line at fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Keyring((), str(path))
    keys: list[TrustedKey] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                key = parse_line(line)
            except KeyringError as exc:
                raise KeyringError(f"{path}, line {number}: {exc}") from exc
            if any((k.name, k.key_id) == (key.name, key.key_id) for k in keys):
                raise KeyringError(f"{path}, line {number}: key {key.label} is listed twice")
            keys.append(key)
    return Keyring(tuple(keys), str(path))


def trusted() -> Keyring:
    """The keyring file plus the configured signing key, if one is configured (verifying needs no private
    key: an auditor's copy of the keyring is enough)."""
    ring = load(keyring_path())
    try:
        public = signing_key().public_key()
    except SigningKeyMissing:
        return ring
    name = origin()
    kid = key_id(name, public_key_bytes(public))
    listed = ring.find(name, kid)
    if listed is None:
        return replace(ring, keys=(*ring.keys, TrustedKey(name, kid, public, current=True)))
    if listed.max_size is not None:
        return ring  # retired by a rotation: the bound holds even while the configuration lags behind
    return replace(ring, keys=tuple(replace(k, current=True) if k is listed else k for k in ring.keys))


def only(public: Ed25519PublicKey) -> Keyring:
    """A keyring trusting `public` alone, as the configured origin's key."""
    name = origin()
    return Keyring(
        (TrustedKey(name, key_id(name, public_key_bytes(public)), public, current=True),), "the given key"
    )


# retirement() runs before every signature (one per commit): the parsed file, kept until the file changes.
_loaded: dict[str, tuple[tuple[str, int, int, int], Keyring]] = {}


def file_stamp(path: Path) -> tuple[str, int, int, int] | None:
    """The file's identity and version (None if absent): any rewrite or replacement changes it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


def _load_cached(path: Path) -> Keyring:
    stamp = file_stamp(path)
    if stamp is None:
        return Keyring((), str(path))
    cached = _loaded.get(str(path))
    if cached is None or cached[0] != stamp:
        cached = _loaded[str(path)] = (stamp, load(path))
    return cached[1]


def retirement(public: Ed25519PublicKey) -> int | None:
    """The log size at which the keyring retired this key (under the configured origin), else None."""
    name = origin()
    key = _load_cached(keyring_path()).find(name, key_id(name, public_key_bytes(public)))
    return key.max_size if key is not None else None
