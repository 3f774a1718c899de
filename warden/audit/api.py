"""REST endpoints under /api/audit for verifiers: the latest signed checkpoint, the public key and the keyring of
every key trusted to have signed (public), consistency proofs between sizes (public: they hold only hashes),
inclusion proofs for an entry (token)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from warden.audit import checkpoints, keyring, proofs

router = Router(tags=["audit"])


class CheckpointOut(Schema):
    origin: str
    size: int
    root: str
    note: str
    verifier_key: str


class PublicKeyOut(Schema):
    origin: str
    verifier_key: str
    pem: str


class TrustedKeyOut(Schema):
    verifier_key: str
    current: bool  # the key signing new checkpoints
    max_size: int | None  # a retired key is trusted only for checkpoints of logs up to this size
    valid_from: str
    until: str


class KeyringOut(Schema):
    origin: str
    keys: list[TrustedKeyOut]
    text: str  # the same keys as a keyring file (WARDEN_AUDIT_KEYRING) for `warden audit verify`


class InclusionOut(Schema):
    format: str
    seq: int
    size: int
    leaf_hash: str
    proof: list[str]
    root: str
    root_base64: str
    checkpoint: str | None


class ConsistencyOut(Schema):
    format: str
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]
    first_checkpoint: str | None
    second_checkpoint: str | None


def _public() -> Any:
    try:
        return checkpoints.signing_key().public_key()
    except checkpoints.SigningKeyMissing as exc:
        raise HttpError(503, "no audit signing key is configured") from exc


def _trusted() -> keyring.Keyring:
    try:
        return keyring.trusted()
    except keyring.KeyringError as exc:
        raise HttpError(503, "the audit keyring is malformed") from exc


@router.get("/checkpoint", response=CheckpointOut, auth=None, summary="Latest signed checkpoint")
def latest_checkpoint(request: HttpRequest) -> dict[str, Any]:
    cp = checkpoints.latest()
    if cp is None:
        raise HttpError(404, "no checkpoint has been made yet")
    # The key that signed it, which after a rotation need not be the current one; the current one if it
    # cosigned (the hand-over checkpoint).
    ring = _trusted()
    signers = [k for n, kid, _ in checkpoints.parse(cp.note).signatures if (k := ring.find(n, kid))]
    if not signers:
        raise HttpError(503, "the latest checkpoint is signed by no trusted key (run `warden audit verify`)")
    signer = next((k for k in signers if k.current), signers[0])
    return {
        "origin": cp.origin,
        "size": cp.size,
        "root": cp.root,
        "note": cp.note,
        "verifier_key": signer.verifier_key,
    }


@router.get("/public-key", response=PublicKeyOut, auth=None, summary="Key that signs checkpoints")
def public_key(request: HttpRequest) -> dict[str, Any]:
    public = _public()
    return {
        "origin": checkpoints.origin(),
        "verifier_key": checkpoints.verifier_key(public),
        "pem": checkpoints.public_key_pem(public),
    }


@router.get(
    "/keyring", response=KeyringOut, auth=None, summary="Every key trusted to have signed checkpoints"
)
def trusted_keys(request: HttpRequest) -> dict[str, Any]:
    ring = _trusted()
    return {
        "origin": checkpoints.origin(),
        "keys": [
            {
                "verifier_key": k.verifier_key,
                "current": k.current,
                "max_size": k.max_size,
                "valid_from": k.valid_from,
                "until": k.until,
            }
            for k in ring.keys
        ],
        "text": keyring.render(list(ring.keys)),
    }


@router.get(
    "/proof/inclusion", response=InclusionOut, summary="Inclusion proof for entry seq in the tree of size"
)
def inclusion(request: HttpRequest, seq: int, size: int | None = None) -> dict[str, Any]:
    try:
        return proofs.inclusion(seq, size)
    except proofs.ProofUnavailable as exc:
        raise HttpError(400, str(exc)) from exc


@router.get(
    "/proof/consistency", response=ConsistencyOut, auth=None, summary="Consistency proof between sizes"
)
def consistency(request: HttpRequest, first: int, second: int | None = None) -> dict[str, Any]:
    try:
        return proofs.consistency(first, second)
    except proofs.ProofUnavailable as exc:
        raise HttpError(400, str(exc)) from exc
