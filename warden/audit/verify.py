"""The verifier: recomputes the whole log from the stored entry bytes and checks it against the stored hashes,
the signed checkpoints and, optionally, a checkpoint a third party kept. Kept apart from the writer
(services.py): it trusts nothing the writer stored except the entry bytes and the signatures.

One streaming pass (server-side cursor on PostgreSQL): for each row in seq order it checks the seq is the next
one, the bytes say they are that entry, the stored leaf hash equals SHA-256(0x00 || bytes), and the stored
subtree hashes equal those it recomputes; at each checkpoint's size it compares the recomputed root.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connection

from warden.audit import merkle
from warden.audit.checkpoints import CheckpointError, verify_note
from warden.audit.models import Checkpoint

MAX_PROBLEMS = 50


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


def _body_seq(text: str) -> object:
    try:
        return json.loads(text).get("seq")
    except (ValueError, AttributeError):
        return "unparseable JSON"


def verify_log(*, public_key: Ed25519PublicKey, third_party_note: str | None = None) -> Report:
    report = Report()
    # Checkpoints first: each one's signature, and the root the log must have at its size.
    expected_roots: dict[int, list[tuple[str, bytes]]] = {}
    for cp in Checkpoint.objects.order_by("size"):
        label = f"checkpoint #{cp.pk} (size {cp.size})"
        try:
            parsed = verify_note(cp.note, public_key, cp.origin)
        except CheckpointError as exc:
            report.add(None, f"{label}: {exc}")
            continue
        if parsed.size != cp.size or parsed.root.hex() != cp.root:
            report.add(None, f"{label}: stored size/root differ from its signed text")
        expected_roots.setdefault(parsed.size, []).append((label, parsed.root))
        report.checkpoints_checked += 1
    third: tuple[int, bytes] | None = None
    if third_party_note is not None:
        try:
            parsed = verify_note(third_party_note, public_key)
        except CheckpointError as exc:
            report.add(None, f"the checkpoint you supplied is not valid: {exc}")
        else:
            third = (parsed.size, parsed.root)
            expected_roots.setdefault(parsed.size, []).append(
                (f"your checkpoint (size {parsed.size})", parsed.root)
            )

    cr = merkle.CompactRange()
    sha = hashlib.sha256
    expected = 0
    with connection.chunked_cursor() as cur:
        cur.execute("SELECT seq, entry, leaf_hash, nodes FROM audit_auditentry ORDER BY seq")
        while rows := cur.fetchmany(20000):
            for seq, text, stored_leaf, stored_nodes in rows:
                if seq != expected:
                    if seq > expected:
                        report.add(
                            expected, f"missing: seq gap, the next stored entry is {seq} (deleted entries?)"
                        )
                    else:
                        report.add(seq, "duplicate or out-of-order seq")
                        continue
                    expected = seq
                leaf = sha(b"\x00" + text.encode()).digest()
                if leaf.hex() != stored_leaf:
                    report.add(seq, "leaf hash mismatch: the entry bytes were edited after they were logged")
                if not text.endswith(f',"seq":{seq}}}'):
                    report.add(
                        seq,
                        f"the entry's bytes record seq {_body_seq(text)}: entries were inserted or reordered",
                    )
                completed = cr.append(leaf)
                if (b"".join(completed) if completed else b"") != bytes(stored_nodes):
                    report.add(
                        seq,
                        "stored subtree hashes differ from the recomputed tree (an earlier entry changed?)",
                    )
                expected += 1
                if expected in expected_roots:
                    root = cr.root()
                    for label, want in expected_roots[expected]:
                        if root != want:
                            report.add(
                                None, f"root mismatch with {label}: the first {expected} entries changed"
                            )
    report.size = expected
    report.root = cr.root()
    for size, labels in expected_roots.items():
        if size > expected:
            for label, _ in labels:
                report.add(
                    None, f"{label} covers {size} entries but the log has only {expected}: entries deleted"
                )

    with connection.cursor() as cur:
        cur.execute("SELECT size, frontier FROM audit_loghead WHERE id = 1")
        head = cur.fetchone()
    if head is not None and int(head[0]) != expected:
        report.add(None, f"the log head says {head[0]} entries but {expected} are stored")
    elif (
        head is not None
        and merkle.CompactRange.from_bytes(int(head[0]), bytes(head[1])).root() != report.root
    ):
        report.add(None, "the log head's tree differs from the recomputed tree")

    if third is not None and third[0] <= expected and report.ok:
        # The proof a third party would be given: built from the stored tree, checked against their root.
        from warden.audit.proofs import consistency

        proof = consistency(third[0], expected)
        try:
            merkle.verify_consistency(
                third[0], expected, third[1], report.root, [bytes.fromhex(h) for h in proof["proof"]]
            )
        except merkle.ProofError as exc:
            report.add(None, f"consistency proof from your checkpoint failed: {exc}")
        else:
            report.consistent_with = f"size {third[0]} -> {expected}"
    report.problems.sort(key=lambda p: (p.seq is None, p.seq if p.seq is not None else 0))
    return report
