"""The witness file: every signed checkpoint, appended once its transaction has committed, to a file outside
the database (settings.AUDIT_WITNESS_PATH, env WARDEN_AUDIT_WITNESS; default under WARDEN_DATA_DIR for
development and demos, and in production a path on another machine or an append-only mount).

Why: a DBA who deletes the newest entries together with their checkpoints and rewinds the log head leaves a
database that is consistent with itself. The witness still holds the checkpoint of the longer log, and
`warden audit verify` checks the log against the newest one it holds.

Format: one JSON object per line, `{"at": "<UTC time written>", "note": "<signed checkpoint note>"}`. Only
the signed note is evidence; `at` is for people. Written with O_APPEND under an exclusive flock, one write()
per record, so concurrent processes never interleave or lose records and every reader sees a record as soon
as append() returns; a record torn by a crash is a last line without its newline, which readers skip.

fsync: `warden audit checkpoint` and the key rotation fsync before returning. The checkpoint every commit
signs is fsynced by a thread of the process within SYNC_DELAY (group commit: one fsync for all the records
written meanwhile), because an fsync here costs 3-4 ms (bench/RESULTS.md, 2026-12-03), ten times the whole
append, and the database itself (SQLite synchronous=NORMAL) does not fsync each commit either. A machine
crash can lose those last milliseconds of witness records; the next checkpoint covers them. A DBA's deletion
cannot: the records are in the file the moment their commit returns.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings

from warden.audit.checkpoints import CheckpointError, ParsedCheckpoint, parse
from warden.lib import clock

log = logging.getLogger(__name__)
TAIL_BYTES = 64 * 1024  # the newest records are at the end; concurrent appenders may swap neighbours
SYNC_DELAY = 0.005  # seconds a per-commit record may wait for its fsync


class WitnessError(RuntimeError):
    """The witness file cannot be written."""


@dataclass(frozen=True)
class Witnessed:
    note: str
    parsed: ParsedCheckpoint
    line: int  # counted from the end of the file: 1 is the last record


def witness_path() -> Path:
    return Path(settings.AUDIT_WITNESS_PATH)


class _Syncer:
    """One thread per process that fsyncs the witness files written since its last round (group commit)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.dirty: set[str] = set()
        self.wake = threading.Event()
        self.pid = 0
        self.thread: threading.Thread | None = None

    def later(self, path: Path) -> None:
        with self.lock:
            self.dirty.add(str(path))
            if self.pid != os.getpid() or self.thread is None or not self.thread.is_alive():
                self.pid = os.getpid()  # a forked child has the parent's object but not its thread
                self.thread = threading.Thread(target=self._run, name="audit-witness-fsync", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            time.sleep(SYNC_DELAY)  # let the records of concurrent commits gather
            self.wake.clear()
            self.now()

    def now(self) -> None:
        with self.lock:
            paths, self.dirty = self.dirty, set()
        for path in paths:
            try:
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)  # per file, whichever descriptor wrote the pages
                finally:
                    os.close(fd)
            except OSError:
                log.exception("could not fsync the audit witness file %s", path)


_syncer = _Syncer()
atexit.register(_syncer.now)  # a process that ends normally leaves nothing unsynced


def append(note: str, *, sync: bool = True) -> None:
    """Append one checkpoint note as one record. With `sync`, fsync before returning; otherwise within
    SYNC_DELAY, by this process's syncer thread. Raises WitnessError if the file cannot be written."""
    path = witness_path()
    record = json.dumps(
        {"at": clock.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "note": note},
        ensure_ascii=False,
    )
    data = (record + "\n").encode("utf-8")
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:  # the first record: make its directory
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)  # public data: roots and sizes
    except OSError as exc:
        raise WitnessError(f"cannot open the audit witness file {path}: {exc.strerror}") from exc
    try:
        # O_APPEND makes each write land at the end; the lock keeps a record whole if the kernel splits a
        # write, and orders records between processes.
        fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if sync:
            os.fsync(fd)
    except OSError as exc:
        raise WitnessError(f"cannot write the audit witness file {path}: {exc.strerror}") from exc
    finally:
        os.close(fd)  # releases the lock
    if not sync:
        _syncer.later(path)


def append_quietly(note: str, *, sync: bool = True) -> None:
    """The on_commit form: the business change has committed, so a witness that cannot be written is logged
    loudly (the next checkpoint covers this one) rather than raised into the caller."""
    try:
        append(note, sync=sync)
    except WitnessError:
        log.exception("audit checkpoint not witnessed")


def _records(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1]  # the part after the last newline is empty, or a record torn by a crash


def newest(path: Path | None = None) -> Witnessed | None:
    """The witnessed checkpoint of the longest log among the newest records (None if there is none)."""
    path = path or witness_path()
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            end = fh.tell()
            start = max(0, end - TAIL_BYTES)
            fh.seek(start)
            tail = fh.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lines = _records(tail)
    if start > 0 and lines:
        lines = lines[1:]  # the window may begin inside a record
    best: Witnessed | None = None
    for back, line in enumerate(reversed(lines), start=1):
        try:
            note = json.loads(line)["note"]
            parsed = parse(note)
        except (ValueError, KeyError, TypeError, CheckpointError):
            continue  # not a record this reader understands; the verifier judges only signed notes
        if best is None or parsed.size > best.parsed.size:
            best = Witnessed(note, parsed, back)
    return best
