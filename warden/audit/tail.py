"""Covering the tail of the log: every commit that appends entries signs a checkpoint of the new head, and no
checkpoint is signed over a log that does not extend the last one.

Without a checkpoint past the newest entries, a DBA could delete those entries and rewind the head, and the
database would still agree with itself. So:

- After each commit that appended (record() registers `sign_head` with transaction.on_commit, once per
  transaction; on PostgreSQL the entries are numbered by then) and after each batch of the background
  sequencer (in the batch's transaction), `sign_head` signs the head as it is and stores the checkpoint; once
  that is committed, the note goes to the witness file too (witness.py). The root comes from the head's
  compact range: O(log n) hashes, no reads of the log. Measured cost: bench/RESULTS.md, 2026-12-03.
- Before signing, the new head must extend what was signed before. `sign_head` keeps the head it last signed
  in this thread and extends it with the leaf hashes stored since (usually a handful: one indexed range
  read), which must give the head's compact range; the first time in a thread, and on every
  `warden audit checkpoint` (checkpoints.make_checkpoint), `check_extends` proves consistency from the newest
  checkpoint in the database and the newest in the witness file instead. A log that does not extend them is
  not signed, and says why.
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, transaction

from warden.audit import merkle
from warden.audit.checkpoints import (
    CheckpointError,
    SigningKeyMissing,
    configured_signer,
    insert_checkpoint,
    latest,
)
from warden.audit.merkle import CompactRange

log = logging.getLogger(__name__)

# Per thread (each has its own connection, and reads the head in its own order) and database alias: the head
# (size, compact range) it last signed.
_local = threading.local()
_warned: set[str] = set()


def _last() -> dict[str, tuple[int, bytes]]:
    if not hasattr(_local, "last"):
        _local.last = {}
    return _local.last  # type: ignore[no-any-return]


class LogDoesNotExtend(CheckpointError):
    """The log is not an extension of a checkpoint signed earlier: entries were deleted or rewritten."""


def last_checkpoints() -> list[tuple[str, str]]:
    """(description, note) of the newest checkpoint in the database and the newest in the witness file.
    Read before the head, so that a concurrent commit can only make the head longer than they are."""
    from warden.audit.witness import newest, witness_path

    out = []
    cp = latest()
    if cp is not None:
        out.append((f"the newest checkpoint in the database (size {cp.size})", cp.note))
    witnessed = newest()
    if witnessed is not None:
        out.append(
            (
                f"the newest witnessed checkpoint (size {witnessed.parsed.size}, in {witness_path()})",
                witnessed.note,
            )
        )
    return out


def check_extends(size: int, root: bytes, references: list[tuple[str, str]] | None = None) -> None:
    """Raise LogDoesNotExtend unless the log of `size` entries with `root` extends every reference checkpoint
    (by default last_checkpoints()): a consistency proof built from the stored tree must verify."""
    from warden.audit import keyring, proofs

    refs = last_checkpoints() if references is None else references
    if not refs:
        return
    ring = keyring.trusted()
    hint = "; nothing was signed. Run `warden audit verify`"
    for label, note in refs:
        try:
            parsed = ring.verify(note)
        except CheckpointError as exc:
            raise LogDoesNotExtend(f"{label} is not validly signed ({exc}){hint}") from exc
        if parsed.size > size:
            raise LogDoesNotExtend(
                f"the log has {size} entries but {label} covers {parsed.size}: entries were deleted{hint}"
            )
        try:
            proof = [] if parsed.size == size else proofs.consistency(parsed.size, size)["proof"]
            merkle.verify_consistency(parsed.size, size, parsed.root, root, [bytes.fromhex(h) for h in proof])
        except (proofs.ProofUnavailable, merkle.ProofError) as exc:
            raise LogDoesNotExtend(f"the log of {size} entries does not extend {label}: {exc}{hint}") from exc


def _head_and_leaves(since: int | None) -> tuple[int, bytes, list[bytes]] | None:
    """The head (size, compact range) and, when `since` is given, the leaf hashes stored from `since` up to
    the head: one statement, so one round trip on PostgreSQL."""
    with connection.cursor() as cur:
        if since is None:
            cur.execute("SELECT size, frontier, NULL FROM audit_loghead WHERE id = 1")
        else:
            cur.execute(
                "SELECT h.size, h.frontier, e.leaf_hash FROM audit_loghead h LEFT JOIN audit_auditentry e "
                "ON e.seq >= %s AND e.seq < h.size WHERE h.id = 1 ORDER BY e.seq",
                [since],
            )
        rows = cur.fetchall()
    if not rows or not rows[0][0]:
        return None
    return int(rows[0][0]), bytes(rows[0][1]), [bytes.fromhex(r[2]) for r in rows if r[2] is not None]


def _extends_last(size: int, frontier: bytes, last: tuple[int, bytes], leaves: list[bytes]) -> None:
    """The cheap check against the head this thread signed last: the leaves stored since extend it to this
    head."""
    size0, frontier0 = last
    if size < size0:
        raise LogDoesNotExtend(
            f"the log head says {size} entries, fewer than the {size0} this process signed: entries were deleted"
        )
    if len(leaves) != size - size0:
        raise LogDoesNotExtend(f"entries {size0}..{size - 1} are not all stored")
    cr = CompactRange.from_bytes(size0, frontier0)
    for leaf in leaves:
        cr.append(leaf)
    if cr.to_bytes() != frontier:
        raise LogDoesNotExtend(
            f"the log head at {size} entries is not the tree this process signed at {size0} plus the entries "
            "stored since: the log was rewritten"
        )


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning("audit checkpoints are not being signed: %s", message)


def sign_head() -> bool:
    """Sign and store a checkpoint of the log head unless it is already signed (True if one was stored), and
    append it to the witness file once committed. Runs after a commit (transaction.on_commit) or inside the
    background sequencer's batch transaction.

    After a commit it runs in autocommit, without a transaction of its own: one statement reads the head
    (with the leaves since the head this thread signed last), the INSERT of the checkpoint is atomic by
    itself, and a head that moved on meanwhile is still a true statement about the log, signed as such
    (two processes signing one head: ON CONFLICT keeps one). That is two round trips instead of five."""
    from warden.audit import witness

    alias = DEFAULT_DB_ALIAS
    try:
        key = configured_signer()
    except SigningKeyMissing as exc:  # no key (tests, a fresh checkout) or a retired one: say so once
        _warn_once(str(exc))
        return False
    last = _last().get(alias)
    refs = last_checkpoints() if last is None else None  # read before the head: see last_checkpoints
    head = _head_and_leaves(None if last is None else last[0])
    if head is None:
        return False
    size, frontier, leaves = head
    if (size, frontier) == last:
        return False  # this thread signed this head already (several commits, one head)
    root = CompactRange.from_bytes(size, frontier).root()
    try:
        if last is None:
            check_extends(size, root, refs)
        else:
            _extends_last(size, frontier, last, leaves)
    except LogDoesNotExtend as exc:
        log.error("audit checkpoint NOT signed: %s", exc)
        return False
    note = insert_checkpoint(size, root, [key])
    if note is not None:
        if connection.in_atomic_block:  # the sequencer's batch: once it commits
            transaction.on_commit(functools.partial(witness.append_quietly, note, sync=False))
        else:  # committed by the INSERT itself
            witness.append_quietly(note, sync=False)  # fsynced by the witness's group commit
    _last()[alias] = (size, frontier)
    return note is not None


def sign_at_commit(db: Any) -> None:
    """Register sign_head to run once this transaction commits, once per transaction (a callback registered
    in a savepoint that rolls back is dropped with it, and the next record() registers again)."""
    for _sids, func, _robust in db.run_on_commit:
        if func is sign_head:
            return
    # robust: the business change has committed; a failed checkpoint is logged, never raised at the caller.
    db.on_commit(sign_head, robust=True)


def forget() -> None:
    """Drop what this process remembers (tests: each starts from an empty log)."""
    _local.last = {}
    _warned.clear()
