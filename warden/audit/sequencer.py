"""The background sequencer (PostgreSQL, settings.AUDIT_SEQUENCER = "background"): numbers the audit entries that
writers left pending, in batches, a few milliseconds after they commit. See pg_sequencer.py for why.

`warden audit sequencer` runs `run()`; `warden serve` starts it beside gunicorn when the mode is "background".
Running two at once is safe (each batch locks the log head) but pointless.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection, transaction

from warden.audit.tail import sign_head

log = logging.getLogger(__name__)
BATCH = 10_000  # rows per transaction: bounds how long the head lock is held (about 30 ms per 1,000 rows)


def pending() -> int:
    """Entries recorded in committed transactions and not yet numbered (0 on SQLite, which has none)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM audit_pendingentry WHERE background")
        return int(cur.fetchone()[0])


def drain_once(max_rows: int = BATCH) -> int:
    """Number up to max_rows pending entries in one transaction; returns how many."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT audit_sequence_pending(%s)", [max_rows])
        done = int(cur.fetchone()[0])
        if done:
            sign_head()  # each batch signs its new head, in the batch's transaction (tail.py)
    return done


def drain() -> int:
    """Number everything pending now (`warden audit sequencer --once`, tests, benchmarks)."""
    total = 0
    while done := drain_once():
        total += done
    return total


def run(*, interval: float = 0.02, stop: threading.Event | None = None) -> None:
    """Drain every `interval` seconds until `stop` is set. Waiting between batches, rather than polling in a
    tight loop, lets entries accumulate, so the sequencer costs one transaction per batch instead of one per
    entry, and it leaves the CPU to the writers (measured in bench/audit.py)."""
    stop = stop or threading.Event()
    log.info("audit sequencer: numbering pending entries every %.0f ms", interval * 1000)
    while not stop.is_set():
        try:
            while drain_once() == BATCH:  # a backlog: keep going without waiting
                pass
        except Exception:  # a dropped connection or a restart of the database: log, reconnect, go on
            log.exception("audit sequencer: batch failed, retrying")
            connection.close()
            stop.wait(1.0)
        stop.wait(interval)


def wait_until_drained(timeout: float = 10.0) -> bool:
    """For callers that must see their entries in the log (tests, benchmarks): True once nothing is pending."""
    deadline = time.monotonic() + timeout
    while pending():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
