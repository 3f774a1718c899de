"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and proof verification. Pure: no Django.

Vocabulary: a *complete subtree* (level k, index i) covers leaves [i * 2**k, (i + 1) * 2**k); its hash is the
MTH of those leaves. Every hash an inclusion or consistency proof needs is the MTH of a range [a, b) that
decomposes into complete subtrees, so a store that keeps complete-subtree hashes (the audit table keeps, on
the row of leaf s, the hashes of the subtrees that end at s) answers any proof with O(log n) look-ups.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

SubtreeGetter = Callable[[int, int], bytes]  # (level, index) -> hash of that complete subtree


class ProofError(ValueError):
    """A proof does not verify, or a proof was asked for with impossible arguments."""


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 6962: the largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(leaves: Sequence[bytes]) -> bytes:
    """MTH built bottom-up level by level; a lone last node is promoted unchanged, which gives exactly the
    RFC's split-at-largest-power-of-two tree."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    sha = hashlib.sha256
    while len(level) > 1:
        nxt = [sha(NODE_PREFIX + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


class CompactRange:
    """The right edge of a growing tree: the hashes of the complete subtrees of [0, size), largest first.

    Appending a leaf merges equal-sized subtrees and reports the hashes of the subtrees the leaf completed
    (levels 1..t), which the writer stores with the leaf and the verifier compares with what was stored."""

    __slots__ = ("size", "hashes")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != bin(size).count("1"):
            raise ValueError(f"a compact range of size {size} needs {bin(size).count('1')} hashes")
        self.size = size
        self.hashes = list(hashes)

    @classmethod
    def from_bytes(cls, size: int, packed: bytes) -> CompactRange:
        return cls(size, [packed[i : i + HASH_SIZE] for i in range(0, len(packed), HASH_SIZE)])

    def to_bytes(self) -> bytes:
        return b"".join(self.hashes)

    def append(self, leaf: bytes) -> list[bytes]:
        node, size, completed, hashes = leaf, self.size, [], self.hashes
        while size & 1:
            node = hashlib.sha256(NODE_PREFIX + hashes.pop() + node).digest()
            completed.append(node)
            size >>= 1
        hashes.append(node)
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            root = node_hash(h, root)
        return root


def trailing_ones(n: int) -> int:
    """How many complete subtrees above the leaf end at leaf n (so how many node hashes its row stores)."""
    return (~n & (n + 1)).bit_length() - 1


# --- proofs as lists of ranges, then ranges as complete subtrees -------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """RFC 9162 2.1.3.1 PATH(m, D[0:n]) as the leaf ranges whose MTH make up the proof, bottom first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    out: list[tuple[int, int]] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if m < k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m = lo + k, m - k
    out.reverse()
    return out


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """RFC 9162 2.1.4.1 PROOF(m, D[0:n]) as leaf ranges, in proof order."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    if first == second:
        return []
    out: list[tuple[int, int]] = []
    lo, hi, m, complete = 0, second, first, True  # SUBPROOF(m, D[lo:hi], b)
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                out.append((lo, hi))
            break
        k = _largest_power_of_two_below(n)
        if m <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    out.reverse()
    return out


def subtrees_of_range(lo: int, hi: int) -> list[tuple[int, int]]:
    """The complete subtrees (level, index) whose hashes combine, right to left, into MTH(D[lo:hi]).
    Valid for the ranges proofs use, whose start is aligned to the largest power of two within them."""
    out: list[tuple[int, int]] = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        if lo % (1 << level):
            raise ProofError(f"range [{lo}, {hi}) is not aligned to complete subtrees")
        out.append((level, lo >> level))
        lo += 1 << level
    return out


def range_hash(lo: int, hi: int, subtree: SubtreeGetter) -> bytes:
    parts = [subtree(level, index) for level, index in subtrees_of_range(lo, hi)]
    acc = parts[-1]
    for h in reversed(parts[:-1]):
        acc = node_hash(h, acc)
    return acc


def needed_subtrees(ranges: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    return {st for lo, hi in ranges for st in subtrees_of_range(lo, hi)}


def inclusion_proof(index: int, size: int, subtree: SubtreeGetter) -> list[bytes]:
    return [range_hash(lo, hi, subtree) for lo, hi in inclusion_ranges(index, size)]


def consistency_proof(first: int, second: int, subtree: SubtreeGetter) -> list[bytes]:
    return [range_hash(lo, hi, subtree) for lo, hi in consistency_ranges(first, second)]


def getter_from_leaves(leaves: Sequence[bytes]) -> SubtreeGetter:
    """A subtree getter over an in-memory list of leaf hashes (tests, small logs)."""

    def get(level: int, index: int) -> bytes:
        start = index << level
        return root_from_leaf_hashes(leaves[start : start + (1 << level)])

    return get


# --- verification (RFC 9162 2.1.3.2 and 2.1.4.2) ----------------------------------------------------------


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ProofError unless `proof` shows leaf `index` with hash `leaf` is in the tree of `size` with `root`."""
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise ProofError(f"inclusion proof for leaf {index} does not lead to the root of size {size}")


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless `proof` shows the tree (second, second_root) extends (first, first_root)."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    if first == second:
        if proof:
            raise ProofError("a proof between equal sizes must be empty")
        if first_root != second_root:
            raise ProofError(f"roots differ at the same size {first}")
        return
    path = list(proof)
    if first & (first - 1) == 0:  # first is a power of two: its root is the first proof node
        path.insert(0, first_root)
    if not path:
        raise ProofError("empty consistency proof")
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != first_root:
        raise ProofError(f"consistency proof does not match the old root (size {first})")
    if sr != second_root:
        raise ProofError(f"consistency proof does not match the new root (size {second})")
