"""merkle.py against a naive, independent transcription of the RFC 6962 / RFC 9162 definitions."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warden.audit import merkle


# --- the RFC definitions, written out literally (recursive, slow, obviously right) -------------------------
def rfc_leaf(d: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + d).digest()


def rfc_k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def rfc_mth(d: list[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return rfc_leaf(d[0])
    k = rfc_k(n)
    return hashlib.sha256(b"\x01" + rfc_mth(d[:k]) + rfc_mth(d[k:])).digest()


def rfc_path(m: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = rfc_k(n)
    if m < k:
        return rfc_path(m, d[:k]) + [rfc_mth(d[k:])]
    return rfc_path(m - k, d[k:]) + [rfc_mth(d[:k])]


def rfc_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [rfc_mth(d)]
    k = rfc_k(n)
    if m <= k:
        return rfc_subproof(m, d[:k], b) + [rfc_mth(d[k:])]
    return rfc_subproof(m - k, d[k:], False) + [rfc_mth(d[:k])]


def rfc_proof(m: int, d: list[bytes]) -> list[bytes]:
    return rfc_subproof(m, d, True)


def data(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


# --- roots ---------------------------------------------------------------------------------------------------
def test_the_empty_tree_has_the_hash_of_nothing_as_root() -> None:
    assert merkle.root_from_leaf_hashes([]) == rfc_mth([]) == merkle.CompactRange().root()


@pytest.mark.parametrize("n", list(range(1, 70)) + [127, 128, 129, 255, 256, 257, 1000])
def test_roots_match_the_rfc_definition_for_every_size(n: int) -> None:
    d = data(n)
    leaves = [merkle.leaf_hash(x) for x in d]
    expected = rfc_mth(d)
    assert merkle.root_from_leaf_hashes(leaves) == expected
    cr = merkle.CompactRange()
    for leaf in leaves:
        cr.append(leaf)
    assert cr.root() == expected
    # the compact range survives a round trip through its stored form
    assert merkle.CompactRange.from_bytes(n, cr.to_bytes()).root() == expected


def test_a_known_vector_for_two_leaves() -> None:
    # Computed by hand from the definitions: SHA-256(0x01 || SHA-256(0x00 || "a") || SHA-256(0x00 || "b")).
    a, b = hashlib.sha256(b"\x00a").digest(), hashlib.sha256(b"\x00b").digest()
    assert merkle.root_from_leaf_hashes([a, b]) == hashlib.sha256(b"\x01" + a + b).digest()


def test_appending_reports_exactly_the_subtrees_the_leaf_completes() -> None:
    d = data(40)
    leaves = [merkle.leaf_hash(x) for x in d]
    cr = merkle.CompactRange()
    for s, leaf in enumerate(leaves):
        completed = cr.append(leaf)
        assert len(completed) == merkle.trailing_ones(s)
        for level, h in enumerate(completed, start=1):
            start = s + 1 - (1 << level)
            assert h == rfc_mth(d[start : s + 1])


# --- inclusion -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", list(range(1, 34)) + [100, 257])
def test_inclusion_proofs_match_the_rfc_path_and_verify(n: int) -> None:
    d = data(n)
    leaves = [merkle.leaf_hash(x) for x in d]
    get = merkle.getter_from_leaves(leaves)
    root = rfc_mth(d)
    for m in range(n):
        proof = merkle.inclusion_proof(m, n, get)
        assert proof == rfc_path(m, d)
        merkle.verify_inclusion(m, n, leaves[m], proof, root)


def test_a_tampered_inclusion_proof_is_refused() -> None:
    d = data(21)
    leaves = [merkle.leaf_hash(x) for x in d]
    proof = merkle.inclusion_proof(6, 21, merkle.getter_from_leaves(leaves))
    root = rfc_mth(d)
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 1]) + bad[i][1:]
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(6, 21, leaves[6], bad, root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(6, 21, leaves[6], proof[:-1], root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(6, 21, leaves[6], [*proof, proof[0]], root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(7, 21, leaves[6], proof, root)  # right proof, wrong position
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(21, 21, leaves[6], proof, root)


# --- consistency ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", list(range(1, 34)) + [64, 65, 100])
def test_consistency_proofs_match_the_rfc_proof_and_verify(n: int) -> None:
    d = data(n)
    leaves = [merkle.leaf_hash(x) for x in d]
    get = merkle.getter_from_leaves(leaves)
    new_root = rfc_mth(d)
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(m, n, get)
        assert proof == rfc_proof(m, d)
        merkle.verify_consistency(m, n, rfc_mth(d[:m]), new_root, proof)


def test_a_rewritten_history_fails_the_consistency_check() -> None:
    d = data(30)
    leaves = [merkle.leaf_hash(x) for x in d]
    old_root = rfc_mth(d[:13])
    forged = list(d)
    forged[4] = b"rewritten"
    forged_leaves = [merkle.leaf_hash(x) for x in forged]
    proof = merkle.consistency_proof(13, 30, merkle.getter_from_leaves(forged_leaves))
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(13, 30, old_root, rfc_mth(forged), proof)
    honest = merkle.consistency_proof(13, 30, merkle.getter_from_leaves(leaves))
    for i in range(len(honest)):
        bad = list(honest)
        bad[i] = bytes(32)
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(13, 30, old_root, rfc_mth(d), bad)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(13, 30, old_root, rfc_mth(d), [])


def test_impossible_proof_requests_are_refused_with_a_reason() -> None:
    get = merkle.getter_from_leaves([merkle.leaf_hash(b"x")])
    with pytest.raises(merkle.ProofError, match="not in a tree of size 1"):
        merkle.inclusion_proof(1, 1, get)
    with pytest.raises(merkle.ProofError, match="from size 2 to size 1"):
        merkle.consistency_proof(2, 1, get)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=80), st.data())
def test_any_prefix_checkpoint_stays_consistent_with_every_later_one(
    entries: list[bytes], draw: st.DataObject
) -> None:
    leaves = [merkle.leaf_hash(x) for x in entries]
    get = merkle.getter_from_leaves(leaves)
    first = draw.draw(st.integers(1, len(entries)))
    second = draw.draw(st.integers(first, len(entries)))
    proof = merkle.consistency_proof(first, second, get)
    merkle.verify_consistency(
        first,
        second,
        merkle.root_from_leaf_hashes(leaves[:first]),
        merkle.root_from_leaf_hashes(leaves[:second]),
        proof,
    )
