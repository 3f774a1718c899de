"""The verifier: recomputes the whole log from the stored entry bytes and checks it against the stored hashes,
the signed checkpoints (the newest, each key hand-over and one per AUDIT_CHECKPOINT_EVERY entries), the newest
checkpoint in the witness file outside the database (witness.py) and, optionally, a checkpoint a third party
kept. Kept apart from the writer (services.py): it trusts nothing the writer stored except the entry bytes and
the signatures. Each row's plain columns are checked against its bytes too (verify_columns.py).

The log is cut into chunks of 2**16 entries, each a complete subtree, checked column-wise by
verify_chunks.check_chunk; the chunk roots then feed a compact range for the levels above, and each checked
checkpoint's root is rebuilt from that range plus the complete subtrees of its chunk. Memory stays O(chunk).
Signatures are checked against the keyring (keyring.py): the configured key plus the keys rotated out before
it, so checkpoints signed by an old key keep verifying after a rotation.
A dense log (seq 0..n-1, the normal case) is read by seq range, so large logs are shared between worker
processes; otherwise one stream in seq order names the gaps.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import connection, connections

from warden.audit import keyring, merkle
from warden.audit.checkpoints import CheckpointError
from warden.audit.models import Checkpoint
from warden.audit.verify_chunks import ChunkResult, check_chunk, fetch_and_check
from warden.audit.verify_columns import column_check_sql, column_problems

MAX_PROBLEMS = 50
CHUNK_BITS = 16  # 65,536 entries per chunk: a complete subtree, checked as one unit
PARALLEL_MIN_CHUNKS = 4  # below ~260,000 entries, starting worker processes costs more than it saves


@dataclass(frozen=True)
class Problem:
    seq: int | None  # the entry concerned, when one can be named
    message: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.message}" if self.seq is not None else self.message


@dataclass
class Report:
    size: int = 0
    root: bytes = merkle.EMPTY_ROOT
    checkpoints_checked: int = 0
    checkpoints_stored: int = 0
    witness_path: str = ""
    witnessed_size: int | None = None  # the newest witnessed checkpoint, if the witness file has one
    consistent_with: str | None = None  # description of a third-party checkpoint proven consistent
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_seq(self) -> int | None:
        seqs = [p.seq for p in self.problems if p.seq is not None]
        return min(seqs) if seqs else None

    def add(self, seq: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(seq, message))
        else:
            self.more_problems += 1


def _checkpoints_to_check(ring: keyring.Keyring) -> tuple[list[Checkpoint], int]:
    """The stored checkpoints whose signature and root are checked, and how many are stored. Every commit
    signs one, so there are about as many as entries, and checking each (~60 us a signature plus its root)
    would take longer than the whole tree. Checked: the newest (it covers every entry), each key hand-over
    (the bound of a retired key), and the first at or past every multiple of AUDIT_CHECKPOINT_EVERY entries."""
    every = max(1, int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", 1000)))
    handovers = sorted({k.max_size for k in ring.keys if k.max_size})
    marks = ", ".join(["%s"] * len(handovers)) or "NULL"
    picked = Checkpoint.objects.raw(
        "SELECT * FROM audit_checkpoint WHERE size = (SELECT max(size) FROM audit_checkpoint) "
        f"OR size IN ({marks}) OR size IN (SELECT min(size) FROM audit_checkpoint "
        "GROUP BY (size + %s - 1) / %s) ORDER BY size",
        [*handovers, every, every],
    )
    return list(picked), Checkpoint.objects.count()


def _signed_roots(report: Report, ring: keyring.Keyring, third_party_note: str | None, witness: bool):  # type: ignore[no-untyped-def]
    """Check the chosen checkpoints' signatures; return {size: [(label, root)]} and the third party's."""
    expected: dict[int, list[tuple[str, bytes]]] = {}
    picked, report.checkpoints_stored = _checkpoints_to_check(ring)
    for cp in picked:
        label = f"checkpoint #{cp.pk} (size {cp.size})"
        try:
            parsed = ring.verify(cp.note)
        except CheckpointError as exc:
            report.add(None, f"{label}: {exc}")
            continue
        if parsed.size != cp.size or parsed.root.hex() != cp.root:
            report.add(None, f"{label}: stored size/root differ from its signed text")
        expected.setdefault(parsed.size, []).append((label, parsed.root))
        report.checkpoints_checked += 1
    if witness:
        _witnessed_root(report, ring, expected)
    third: tuple[int, bytes] | None = None
    if third_party_note is not None:
        try:
            parsed = ring.verify(third_party_note)
        except CheckpointError as exc:
            report.add(None, f"the checkpoint you supplied is not valid: {exc}")
        else:
            third = (parsed.size, parsed.root)
            expected.setdefault(parsed.size, []).append(
                (f"your checkpoint (size {parsed.size})", parsed.root)
            )
    return expected, third


def _witnessed_root(
    report: Report, ring: keyring.Keyring, expected: dict[int, list[tuple[str, bytes]]]
) -> None:
    """The newest checkpoint in the witness file, outside the database: deleting the newest entries with
    their checkpoints and the head leaves the database consistent, but not with this."""
    from warden.audit import witness

    report.witness_path = str(witness.witness_path())
    newest = witness.newest()
    if newest is None:
        return
    label = f"the newest witnessed checkpoint (size {newest.parsed.size}, in {report.witness_path})"
    try:
        parsed = ring.verify(newest.note)
    except CheckpointError as exc:
        report.add(None, f"{label}: {exc}")
        return
    report.witnessed_size = parsed.size
    expected.setdefault(parsed.size, []).append((label, parsed.root))


def _fold(parts: list[bytes]) -> bytes:
    if not parts:
        return merkle.EMPTY_ROOT
    acc = parts[-1]
    for h in reversed(parts[:-1]):
        acc = merkle.node_hash(h, acc)
    return acc


def _in_memory_db() -> bool:
    return bool(getattr(connection, "is_in_memory_db", lambda: False)())


def _run_task(task: tuple[int, int, int, list[int]]) -> ChunkResult:
    gc.disable()  # a worker lives for one verification; row tuples need no cycle collection
    return fetch_and_check(*task)


def _dense_chunks(count: int, wanted: list[int], workers: int) -> Iterator[ChunkResult]:
    """The log is dense (seq 0..count-1): chunks are seq ranges, checked here or in worker processes."""
    size = 1 << CHUNK_BITS
    tasks = [
        (p, min(size, count - p), CHUNK_BITS, [s for s in wanted if p < s <= p + min(size, count - p)])
        for p in range(0, count, size)
    ]
    parallel = workers > 1 and len(tasks) >= PARALLEL_MIN_CHUNKS and not connection.in_atomic_block
    if not parallel or _in_memory_db():
        for task in tasks:
            yield fetch_and_check(*task)
        return
    # Each worker opens its own connection after the fork; the parent's must not be shared with children.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_run_task, tasks)


def _streamed_chunks(report: Report, wanted: list[int]) -> Iterator[ChunkResult]:
    """The log has gaps or stray seqs: stream every row in seq order and name where the numbering breaks."""
    size = 1 << CHUNK_BITS
    entry = "convert_to(entry, 'UTF8')" if connection.vendor == "postgresql" else "CAST(entry AS BLOB)"
    check = column_check_sql(connection.vendor)
    pos0, delta = 0, 0
    with connection.chunked_cursor() as cur:
        cur.execute(f"SELECT seq, {entry}, leaf_hash, nodes, {check} FROM audit_auditentry ORDER BY seq")
        while rows := cur.fetchmany(size):
            seqs = [r[0] for r in rows]
            for i, seq in enumerate(seqs):
                now = seq - (pos0 + i)
                if now > delta:
                    report.add(
                        seq - (now - delta), f"missing: seq gap, the next stored entry is {seq} (deleted?)"
                    )
                elif now < delta:
                    report.add(seq, "duplicate or out-of-order seq (seq numbers must start at 0)")
                delta = now
            n = len(rows)
            yield check_chunk(
                pos0=pos0,
                bits=CHUNK_BITS,
                texts=[r[1] for r in rows],
                stored_hex="".join(r[2] for r in rows),
                blobs=[bytes(r[3]) for r in rows],
                seqs=seqs,
                wanted=[s for s in wanted if pos0 < s <= pos0 + n],
                columns_ok=[r[4] for r in rows],
            )
            pos0 += n


def verify_log(
    *,
    ring: keyring.Keyring | None = None,
    public_key: Ed25519PublicKey | None = None,
    third_party_note: str | None = None,
    workers: int | None = None,
    witness: bool = True,
) -> Report:
    """Verify everything; `workers` processes share the hashing of large logs (default: one per CPU).
    `witness=False` leaves out the witness file (to see what the database alone says).
    Signatures are checked against `ring`, or only `public_key`, or by default keyring.trusted()."""
    if ring is None:
        ring = keyring.only(public_key) if public_key is not None else keyring.trusted()
    report = Report()
    expected_roots, third = _signed_roots(report, ring, third_party_note, witness)
    wanted = sorted(s for s in expected_roots if s > 0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), min(seq), max(seq) FROM audit_auditentry")
        count, lo, hi = cur.fetchone()
    dense = count == 0 or (lo == 0 and hi == count - 1)  # seq is the primary key, so no duplicates
    workers = min(os.cpu_count() or 1, 4) if workers is None else workers
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a million fetched row tuples would otherwise trigger repeated full collections for nothing
    try:
        chunks = _dense_chunks(count, wanted, workers) if dense else _streamed_chunks(report, wanted)
        above = merkle.CompactRange()  # over chunk roots: tree levels CHUNK_BITS and up
        suspects: list[int] = []
        for res in chunks:
            for seq, message in res.problems:
                report.add(seq, message)
            suspects += res.column_suspects
            for size, parts in res.prefix_parts.items():
                root = _fold(list(above.hashes) + parts)
                for label, want in expected_roots.get(size, []):
                    if root != want:
                        report.add(None, f"root mismatch with {label}: the first {size} entries changed")
                if size == res.pos0 + res.n:
                    report.root = root
            if res.chunk_root is not None:  # a complete chunk completes subtrees stored on its last row
                for k, h in enumerate(above.append(res.chunk_root), start=CHUNK_BITS + 1):
                    if res.last_blob[(k - 1) * 32 : k * 32] != h:
                        report.add(res.last_seq, "stored subtree hashes differ from the recomputed tree")
            report.size = res.pos0 + res.n
        for seq, message in column_problems(suspects):
            report.add(seq, message)
    finally:
        if gc_was_enabled:
            gc.enable()
    for size in wanted:
        if size > report.size:
            for label, _ in expected_roots[size]:
                report.add(
                    None, f"{label} covers {size} entries but the log has only {report.size}: entries deleted"
                )

    with connection.cursor() as cur:
        cur.execute("SELECT size, frontier FROM audit_loghead WHERE id = 1")
        head = cur.fetchone()
    if head is not None and int(head[0]) != report.size:
        report.add(None, f"the log head says {head[0]} entries but {report.size} are stored")
    elif (
        head is not None
        and merkle.CompactRange.from_bytes(int(head[0]), bytes(head[1])).root() != report.root
    ):
        report.add(None, "the log head's tree differs from the recomputed tree")

    _check_rotations(report, ring)
    if third is not None and third[0] <= report.size and report.ok:
        # The proof a third party would be given: built from the stored tree, checked against their root.
        from warden.audit.proofs import consistency

        proof = consistency(third[0], report.size)
        try:
            merkle.verify_consistency(
                third[0], report.size, third[1], report.root, [bytes.fromhex(h) for h in proof["proof"]]
            )
        except merkle.ProofError as exc:
            report.add(None, f"consistency proof from your checkpoint failed: {exc}")
        else:
            report.consistent_with = f"size {third[0]} -> {report.size}"
    report.problems.sort(key=lambda p: (p.seq is None, p.seq if p.seq is not None else 0))
    return report


def _check_rotations(report: Report, ring: keyring.Keyring) -> None:
    """Every retired key the keyring trusts must have been retired in the log: the entry just below its bound
    is the `audit.key_rotated` entry naming it (rotation.py writes both). A bounded line that no rotation
    recorded, added to a keyring file by hand, would let that key vouch for the log without a trace in it."""
    import json

    retired = [(k, bound - 1) for k in ring.keys if (bound := k.max_size)]  # (key, seq of its rotation entry)
    if not retired:
        return
    seqs = [seq for _, seq in retired]
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT seq, entry FROM audit_auditentry WHERE seq IN ({', '.join(['%s'] * len(seqs))})", seqs
        )
        entries = dict(cur.fetchall())
    for key, seq in retired:
        body = json.loads(entries[seq]) if seq in entries else {}
        data = body.get("data") or {}
        if body.get("action") != "audit.key_rotated" or data.get("old_key_id") != key.key_id.hex():
            report.add(
                None,
                f"keyring ({ring.source}): retired key {key.label} is bounded at log size {key.max_size}, "
                f"but entry {seq} does not record its rotation",
            )
