"""Inclusion and consistency proofs served from the stored tree (read side; used by the API, views, CLI).

Every proof hash is the MTH of a range that decomposes into complete subtrees, and the hash of the complete
subtree (level k, index i) is stored on the row of its last leaf s = (i + 1) * 2**k - 1 (the leaf hash for
k = 0, else bytes (k-1)*32 .. k*32 of `nodes`). So a proof is one indexed query for at most ~2 log2(n) rows.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import connection

from warden.audit import merkle
from warden.audit.models import Checkpoint


class ProofUnavailable(ValueError):
    """The request names a size or entry the log does not have."""


def log_size() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT size FROM audit_loghead WHERE id = 1")
        row = cur.fetchone()
    return int(row[0]) if row else 0


def _fetch_subtrees(wanted: set[tuple[int, int]], size: int) -> merkle.SubtreeGetter:
    """One indexed query for every row that holds a wanted subtree hash. A missing row means the size is
    beyond the log (or an entry was deleted), so the log size is only read to explain a failure."""
    last_leaf = {st: ((st[1] + 1) << st[0]) - 1 for st in wanted}
    seqs = sorted(set(last_leaf.values()))
    rows: dict[int, tuple[str, bytes]] = {}
    if seqs:
        marks = ", ".join(["%s"] * len(seqs))
        with connection.cursor() as cur:
            cur.execute(f"SELECT seq, leaf_hash, nodes FROM audit_auditentry WHERE seq IN ({marks})", seqs)
            rows = {int(s): (h, bytes(n)) for s, h, n in cur.fetchall()}

    if len(rows) != len(seqs):
        current = log_size()
        _check_size(size, current)
        missing = min(set(seqs) - set(rows))
        raise ProofUnavailable(f"entry {missing} is missing from the log (run `warden audit verify`)")

    def get(level: int, index: int) -> bytes:
        seq = last_leaf[(level, index)]
        leaf_hex, nodes = rows[seq]
        if level == 0:
            return bytes.fromhex(leaf_hex)
        chunk = nodes[(level - 1) * 32 : level * 32]
        if len(chunk) != 32:
            raise ProofUnavailable(f"entry {seq} lacks its level-{level} subtree hash")
        return chunk

    return get


def _check_size(size: int, current: int) -> None:
    if not 0 < size <= current:
        raise ProofUnavailable(f"size {size} is out of range: the log has {current} entries")


def root_at(size: int) -> bytes:
    if size <= 0:
        _check_size(size, log_size())
    get = _fetch_subtrees(merkle.needed_subtrees([(0, size)]), size)
    return merkle.range_hash(0, size, get)


# Checkpoints never change, so a note once found for a (size, root) is kept: it saves a query per proof.
_notes: dict[tuple[int, bytes], str] = {}


def _checkpoint_note(size: int, root: bytes) -> str | None:
    key = (size, root)
    if key not in _notes:
        note = Checkpoint.objects.filter(size=size, root=root.hex()).values_list("note", flat=True).first()
        if note is None:
            return None
        _notes[key] = note
    return _notes[key]


def default_size_for(seq: int) -> int:
    """Prove against the latest signed checkpoint that covers the entry, else against the current log."""
    cp = Checkpoint.objects.filter(size__gt=seq).order_by("-size").values_list("size", flat=True).first()
    return int(cp) if cp is not None else log_size()


def inclusion(seq: int, size: int | None = None) -> dict[str, Any]:
    """JSON-ready inclusion proof of entry `seq` in the tree of `size` entries."""
    size = default_size_for(seq) if size is None else size
    if size <= 0:
        _check_size(size, log_size())
    if not 0 <= seq < size:
        raise ProofUnavailable(f"entry {seq} is not in a log of size {size}")
    ranges = merkle.inclusion_ranges(seq, size)
    get = _fetch_subtrees(merkle.needed_subtrees([*ranges, (0, size), (seq, seq + 1)]), size)
    proof = [merkle.range_hash(lo, hi, get) for lo, hi in ranges]
    leaf = get(0, seq)
    root = merkle.range_hash(0, size, get)
    return {
        "format": "warden.audit.inclusion/1",
        "seq": seq,
        "size": size,
        "leaf_hash": leaf.hex(),
        "proof": [h.hex() for h in proof],
        "root": root.hex(),
        "root_base64": base64.b64encode(root).decode(),
        "checkpoint": _checkpoint_note(size, root),
    }


def consistency(first: int, second: int | None = None) -> dict[str, Any]:
    """JSON-ready consistency proof that the log of `second` entries extends the log of `first` entries."""
    second = log_size() if second is None else second
    if second <= 0:
        _check_size(second, log_size())
    if not 0 < first <= second:
        raise ProofUnavailable(f"no consistency proof from size {first} to size {second}")
    ranges = merkle.consistency_ranges(first, second)
    get = _fetch_subtrees(merkle.needed_subtrees([*ranges, (0, first), (0, second)]), second)
    first_root, second_root = merkle.range_hash(0, first, get), merkle.range_hash(0, second, get)
    return {
        "format": "warden.audit.consistency/1",
        "first": first,
        "second": second,
        "first_root": first_root.hex(),
        "second_root": second_root.hex(),
        "proof": [merkle.range_hash(lo, hi, get).hex() for lo, hi in ranges],
        "first_checkpoint": _checkpoint_note(first, first_root),
        "second_checkpoint": _checkpoint_note(second, second_root),
    }
