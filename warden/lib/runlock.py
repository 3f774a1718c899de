"""Which background runs have a live executor: an exclusive flock on a file per run, held while it executes.

A run's status column says "running" from the moment an executor claims it, and nothing changes it when that
executor is killed (kill -9, the machine lost): the column cannot tell a run in progress from one whose
process is gone. The kernel can: it releases a process's flocks when the process dies, however it dies. So
an executor holds `held(name)` for the whole run, and recovery (`warden resume`) takes over a "running" run
only when `free(name)` finds nobody holding it.

The files live in DATA_DIR/locks, so this sees the executors of one machine: enough for SQLite and for a
PostgreSQL deployment whose background work runs on one host (one `warden serve`)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def _path(name: str) -> Path:
    folder = Path(settings.DATA_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.lock"


@contextmanager
def held(name: str) -> Iterator[bool]:
    """Hold the lock `name` for the block: yields True, or False at once when another process holds it."""
    fd = os.open(_path(name), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def forget(name: str) -> None:
    """Remove the lock file of a run or worker that will never run again (call it while holding the lock:
    a process that opened the file before would still see it held, one that opens it after makes a new one)."""
    _path(name).unlink(missing_ok=True)
