"""Checking one chunk of the log: 2**bits consecutive entries starting at a multiple of 2**bits, which is a
complete subtree of the Merkle tree (the last chunk may be partial). Work is column-wise, level by level
(list comprehensions over hashlib, no per-row Python branching unless something is wrong), so a chunk can be
checked anywhere: in this process, or in a worker process with its own database connection.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from warden.audit import merkle
from warden.audit.verify_columns import column_check_sql


@dataclass
class ChunkResult:
    pos0: int
    n: int
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    prefix_parts: dict[int, list[bytes]] = field(default_factory=dict)  # size -> subtrees of [pos0, size)
    chunk_root: bytes | None = None  # when the chunk is complete
    last_blob: bytes = b""  # stored subtree hashes of the chunk's last row (levels above the chunk end there)
    last_seq: int = 0
    column_suspects: list[int] = field(default_factory=list)  # rows whose columns may differ from their bytes


def _body_seq(text: bytes) -> object:
    try:
        return json.loads(text).get("seq")
    except (ValueError, AttributeError):
        return "unparseable JSON"


def check_chunk(
    *,
    pos0: int,
    bits: int,
    texts: Sequence[bytes],
    stored_hex: str,
    blobs: Sequence[bytes],
    seqs: Sequence[int] | None,
    wanted: Sequence[int],
    columns_ok: Sequence[object] = (),
) -> ChunkResult:
    """`seqs` is None when the log is known to be dense (row i has seq pos0 + i). `columns_ok` holds the
    database's verdict per row on its columns against its bytes (verify_columns.column_check_sql)."""
    n = len(texts)
    res = ChunkResult(pos0=pos0, n=n)
    add = res.problems.append
    seqs = range(pos0, pos0 + n) if seqs is None else seqs
    sha = hashlib.sha256
    # Leaf hashes recomputed from the bytes, compared in bulk (row by row only to name a mismatch).
    leaves = [sha(b"\x00" + t).digest() for t in texts]
    if b"".join(leaves).hex() != stored_hex:
        hexes = [stored_hex[i * 64 : i * 64 + 64] for i in range(n)]
        for seq, h, s in zip(seqs, leaves, hexes, strict=True):
            if h.hex() != s:
                add((seq, "leaf hash mismatch: the entry bytes were edited after they were logged"))
    # Each entry's bytes name its own seq ("seq" is the last canonical key), so rows cannot be moved.
    if not all(map(bytes.endswith, texts, [b',"seq":%d}' % s for s in seqs])):
        for seq, t in zip(seqs, texts, strict=True):
            if not t.endswith(b',"seq":%d}' % seq):
                add((seq, f"the entry's bytes record seq {_body_seq(t)}: entries were inserted or reordered"))
    # The flagged rows get the exact, column-naming check from the caller (it needs the database).
    if not all(columns_ok):
        res.column_suspects = [seq for seq, ok in zip(seqs, columns_ok, strict=True) if not ok]
    # Complete subtrees, level by level, against the stored ones: node (k, i) is stored on row
    # (i + 1) * 2**k - 1, so the rows holding level k are the strided slice 2**k - 1, 2 * 2**k - 1, ...
    levels = [leaves]
    for k in range(1, bits + 1):
        it = iter(levels[-1])
        nodes = [
            sha(b"\x01" + a + b).digest() for a, b in zip(it, it, strict=False)
        ]  # a lone last node waits
        if not nodes:
            break
        lo, hi = (k - 1) * 32, k * 32
        owners = blobs[(1 << k) - 1 :: 1 << k]
        if b"".join([b[lo:hi] for b in owners]) != b"".join(nodes):
            for i, h in enumerate(nodes):
                if owners[i][lo:hi] != h:
                    add((seqs[((i + 1) << k) - 1], "stored subtree hashes differ from the recomputed tree"))
        levels.append(nodes)
    expected_bytes = 32 * sum(len(level) for level in levels[1:])
    if n == 1 << bits:
        res.chunk_root = levels[bits][0]
        expected_bytes += 32 * merkle.trailing_ones(pos0 >> bits)  # levels above the chunk, checked by caller
    if sum(map(len, blobs)) != expected_bytes:
        for i, b in enumerate(blobs):
            if len(b) != 32 * merkle.trailing_ones(pos0 + i):
                add((seqs[i], "stored subtree hashes have the wrong length"))
    for size in [*wanted, pos0 + n]:
        res.prefix_parts[size] = [levels[lvl][i] for lvl, i in merkle.subtrees_of_range(0, size - pos0)]
    res.last_blob = bytes(blobs[-1]) if n else b""
    res.last_seq = seqs[-1] if n else pos0
    return res


def fetch_and_check(pos0: int, n: int, bits: int, wanted: Sequence[int]) -> ChunkResult:
    """Fetch entries pos0 .. pos0+n-1 of a dense log and check them (runs in worker processes too)."""
    span = [pos0, pos0 + n]
    check = column_check_sql(connection.vendor)
    if connection.vendor == "postgresql":
        import psycopg

        # Binary results: bytea arrives as raw bytes, not as hex text for psycopg to decode row by row.
        connection.ensure_connection()
        sql = (
            f"SELECT convert_to(entry, 'UTF8'), leaf_hash, nodes, {check} FROM audit_auditentry "
            "WHERE seq >= %s AND seq < %s ORDER BY seq"
        )
        with psycopg.Cursor(connection.connection) as pg:
            rows = pg.execute(sql, span, binary=True).fetchall()
    else:
        with connection.cursor() as cur:  # the UTF-8 bytes of the entry: no decode/encode per row
            cur.execute(
                f"SELECT CAST(entry AS BLOB), leaf_hash, nodes, {check} FROM audit_auditentry "
                "WHERE seq >= %s AND seq < %s ORDER BY seq",
                span,
            )
            rows = cur.fetchall()
    if len(rows) != n:
        return ChunkResult(
            pos0=pos0,
            n=len(rows),
            problems=[(None, f"entries {pos0}..{pos0 + n - 1} changed during verification")],
        )
    texts, hexes, blobs, oks = zip(*rows, strict=True)  # columns, built in C
    return check_chunk(
        pos0=pos0,
        bits=bits,
        texts=texts,
        stored_hex="".join(hexes),
        blobs=blobs,
        seqs=None,
        wanted=wanted,
        columns_ok=oks,
    )
