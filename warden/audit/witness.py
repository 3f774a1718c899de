"""The witness file: every signed checkpoint, appended once its transaction has committed, to a file outside
the database (settings.AUDIT_WITNESS_PATH, env WARDEN_AUDIT_WITNESS; default under WARDEN_DATA_DIR for
development and demos, and in production a path on another machine or an append-only mount).

Why: a DBA who deletes the newest entries together with their checkpoints and rewinds the log head leaves a
database that is consistent with itself. The witness still holds the checkpoint of the longer log, and
`warden audit verify` checks the log against the newest one it holds.

Format: one JSON object per line, `{"at": "<UTC time written>", "note": "<signed checkpoint note>"}`. Only
the signed note is evidence; `at` is for people. Written with O_APPEND under an exclusive flock, one write()
per record and an fsync, so concurrent processes never interleave or lose records; a record torn by a crash
is a last line without its newline, which readers skip.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from warden.audit.checkpoints import CheckpointError, ParsedCheckpoint, parse

log = logging.getLogger(__name__)
TAIL_BYTES = 64 * 1024  # the newest records are at the end; concurrent appenders may swap neighbours


class WitnessError(RuntimeError):
    """The witness file cannot be written."""


@dataclass(frozen=True)
class Witnessed:
    note: str
    parsed: ParsedCheckpoint
    line: int  # counted from the end of the file: 1 is the last record


def witness_path() -> Path:
    return Path(settings.AUDIT_WITNESS_PATH)


def append(note: str) -> None:
    """Append one checkpoint note as one record, durably. Raises WitnessError if the file cannot be written."""
    path = witness_path()
    record = json.dumps(
        {"at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "note": note}, ensure_ascii=False
    )
    data = (record + "\n").encode("utf-8")
    try:
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
        os.fsync(fd)
    except OSError as exc:
        raise WitnessError(f"cannot write the audit witness file {path}: {exc.strerror}") from exc
    finally:
        os.close(fd)  # releases the lock


def append_quietly(note: str) -> None:
    """The on_commit form: the business change has committed, so a witness that cannot be written is logged
    loudly (the next checkpoint covers this one) rather than raised into the caller."""
    try:
        append(note)
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
