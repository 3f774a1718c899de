"""`warden backup FILE` and `warden restore FILE`: a consistent copy of the whole database, and its return,
with the audit log checked on the way back.

A backup is one tar file: `manifest.json` (format `warden.backup/1`, the database vendor, the audit log's
size and Merkle root in the copy, the SHA-256 of the payload, the applied migrations) and the payload,
`database.sqlite3` (SQLite's online backup API: a consistent page copy while the server runs) or
`database.pgdump` (`pg_dump --format=custom` on an exported snapshot, so the log head read in that snapshot
is exactly the one dumped).

Why the audit size matters on restore: restoring an older copy silently deletes every decision taken since,
which is what the tamper-evident log exists to reveal. Before anything is touched, the backup's log size is
compared with the newest checkpoint in the witness file (outside the database, audit/witness.py): an older
copy is refused unless the operator says `accept_older`, and even then `warden audit verify` keeps
reporting the lost entries, because the witness still holds the longer log's checkpoint.

A restore is all or nothing: SQLite swaps the database file in with one rename; PostgreSQL replays the dump
after dropping the schema, in ONE transaction (`psql --single-transaction`), so a failed restore leaves the
database as it was. Stop the web server and workers first: they hold connections to the old data.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction

from warden.audit import proofs
from warden.audit.checkpoints import make_checkpoint
from warden.audit.services import record
from warden.audit.verify import Report, verify_log
from warden.audit.witness import newest, witness_path
from warden.lib import clock
from warden.lib.actors import system

FORMAT = "warden.backup/1"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    format: str
    created_at: str
    vendor: str  # "sqlite" or "postgresql"
    payload: str  # the member name of the database copy in the tar file
    payload_bytes: int
    payload_sha256: str
    audit_size: int
    audit_root: str  # hex
    migrations: dict[str, str] = field(default_factory=dict)  # app -> newest applied migration


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    witnessed_size: int | None
    report: Report


def vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# ------------------------------------------------------------------------------------------------ backup
def backup(path: Path) -> Manifest:
    """Write a backup of the current database to `path` (replaced atomically: a half-written file never
    takes its name). Records the backup in the audit log and signs a checkpoint first, so the witness knows
    what the copy holds."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory: give the backup file's name")
    if not path.parent.is_dir():
        raise BackupError(f"folder {path.parent} does not exist")
    # The backup's own record goes in BEFORE the copy, so the copy holds every act up to and including its
    # making: a restore of the newest backup then loses nothing the witness has seen.
    with transaction.atomic():
        record(
            actor=system("warden backup"),
            action="system.backup",
            data={"file": str(path), "vendor": vendor(), "started_at": clock.now().isoformat()},
        )
    make_checkpoint()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".warden-backup-") as tmp:
        payload = Path(tmp) / ("database.sqlite3" if vendor() == "sqlite" else "database.pgdump")
        size = _copy_sqlite(payload) if vendor() == "sqlite" else _dump_postgresql(payload)
        manifest = Manifest(
            format=FORMAT,
            created_at=clock.now().isoformat(),
            vendor=vendor(),
            payload=payload.name,
            payload_bytes=payload.stat().st_size,
            payload_sha256=_sha256(payload),
            audit_size=size,
            audit_root=proofs.root_at(size).hex() if size else "",
            migrations=_migrations(),
        )
        partial = Path(tmp) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(asdict(manifest), indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(payload, arcname=payload.name)
        os.replace(partial, path)
    return manifest


def _copy_sqlite(target: Path) -> int:
    """SQLite's online backup into `target`; returns the audit log size in the copy."""
    source = Path(settings.DATABASES["default"]["NAME"])
    if not source.is_file():
        raise BackupError(f"the SQLite database {source} does not exist (run `warden init`)")
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        row = dst.execute("SELECT size FROM audit_loghead WHERE id = 1").fetchone()
    finally:
        dst.close()
        src.close()
    return int(row[0]) if row else 0


def _dump_postgresql(target: Path) -> int:
    """pg_dump on a snapshot exported by a repeatable-read transaction that also reads the log head."""
    with connections["default"].cursor() as cur:
        cur.execute("COMMIT")
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            cur.execute("SELECT size FROM audit_loghead WHERE id = 1")
            row = cur.fetchone()
            _run(
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    _dsn(),
                ]
            )
        finally:
            cur.execute("COMMIT")
    return int(row[0]) if row else 0


# ------------------------------------------------------------------------------------------------ restore
def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup file, checked: a clear BackupError for anything that is not one."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with tarfile.open(path, "r") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            raw = json.loads(member.read().decode("utf-8"))
    except tarfile.TarError:
        raise BackupError(f"{path} is not a Warden backup (not a tar file)") from None
    except (KeyError, UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
        raise BackupError(f"{path} is not a Warden backup (no readable {MANIFEST}: {exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        found = raw.get("format") if isinstance(raw, dict) else type(raw).__name__
        raise BackupError(f"{path}: {MANIFEST} has format {found!r}, expected {FORMAT!r}")
    try:
        return Manifest(**raw)
    except TypeError as exc:
        raise BackupError(f"{path}: {MANIFEST} does not have the fields of {FORMAT}: {exc}") from None


def restore(path: Path, *, accept_older: bool = False) -> RestoreResult:
    """Replace the database with the backup at `path`, then migrate it to this version's schema, record
    the restore, and verify the whole audit log against the signed checkpoints and the witness file."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.vendor != vendor():
        raise BackupError(f"{path} is a {manifest.vendor} backup; this Warden runs on {vendor()}")
    witnessed = newest()
    witnessed_size = witnessed.parsed.size if witnessed else None
    if witnessed_size is not None and manifest.audit_size < witnessed_size and not accept_older:
        raise BackupError(
            f"{path} is older than the audit log's witness: the backup holds {manifest.audit_size} audit "
            f"entries, the witness file ({witness_path()}) a signed checkpoint of "
            f"{witnessed_size}. Restoring it would delete {witnessed_size - manifest.audit_size} recorded "
            "acts (decisions, licences, reviews). Nothing was changed. If that loss is intended, restore "
            "with --accept-older: `warden audit verify` will keep reporting it."
        )
    with _extracted(path, manifest) as payload:
        if manifest.vendor == "sqlite":
            _swap_sqlite(payload)
        else:
            _replay_postgresql(payload)
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        record(actor=system("warden restore"), action="system.restore", data=_summary(manifest, path))
    return RestoreResult(manifest=manifest, witnessed_size=witnessed_size, report=verify_log())


@contextmanager
def _extracted(path: Path, manifest: Manifest) -> Iterator[Path]:
    """The payload, extracted beside the database (same file system, so the SQLite swap is one rename),
    its size and SHA-256 checked against the manifest before anything is replaced."""
    folder = Path(settings.DATABASES["default"]["NAME"]).parent if manifest.vendor == "sqlite" else None
    with tempfile.TemporaryDirectory(dir=folder, prefix=".warden-restore-") as tmp:
        target = Path(tmp) / "payload"
        try:
            with tarfile.open(path, "r") as tar:
                member = tar.getmember(manifest.payload)
                if not member.isfile():
                    raise KeyError(manifest.payload)
                source = tar.extractfile(member)
                assert source is not None
                with open(target, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
        except (tarfile.TarError, KeyError, OSError) as exc:
            raise BackupError(f"{path}: cannot read the database copy {manifest.payload!r}: {exc}") from None
        if target.stat().st_size != manifest.payload_bytes or _sha256(target) != manifest.payload_sha256:
            raise BackupError(
                f"{path}: the database copy does not match the manifest's size and SHA-256 (the file is "
                "damaged or was altered); nothing was changed"
            )
        yield target


def _swap_sqlite(payload: Path) -> None:
    db = Path(settings.DATABASES["default"]["NAME"])
    try:
        check = sqlite3.connect(payload)
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database copy is not a readable SQLite database: {exc}") from None
    if ok != "ok":
        raise BackupError(f"the database copy fails SQLite's integrity check: {ok}")
    connections.close_all()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.replace(payload, db)


def _replay_postgresql(payload: Path) -> None:
    """The dump as one SQL script (schema dropped first), run by psql in a single transaction."""
    script = payload.with_suffix(".sql")
    _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(payload)])
    body = script.read_text(encoding="utf-8")
    # pg_dump (15+) leaves the public schema out of the dump: it is dropped with everything in it, then made
    # again, empty, for the dump's objects.
    head = (
        "SET client_min_messages = warning;\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    )
    script.write_text(head + body, encoding="utf-8")
    connections.close_all()
    _run(
        [
            _pg_tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            f"--file={script}",
            _dsn(),
        ]
    )


# ------------------------------------------------------------------------------------------------ helpers
def _summary(manifest: Manifest, path: Path) -> dict[str, Any]:
    return {
        "file": str(path),
        "format": manifest.format,
        "created_at": manifest.created_at,
        "audit_size": manifest.audit_size,
        "audit_root": manifest.audit_root,
        "payload_sha256": manifest.payload_sha256,
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _migrations() -> dict[str, str]:
    with connection.cursor() as cur:
        cur.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        return {str(app): str(name) for app, name in cur.fetchall()}


def _dsn() -> str:
    db = settings.DATABASES["default"]
    parts = {"dbname": db.get("NAME"), "user": db.get("USER"), "host": db.get("HOST"), "port": db.get("PORT")}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def _pg_env() -> dict[str, str]:
    env = dict(os.environ)
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def _pg_tool(name: str) -> str:
    """The PostgreSQL client tool, from PATH or Debian's versioned folders (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, env=_pg_env(), check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")
