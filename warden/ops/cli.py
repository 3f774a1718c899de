"""`warden backup FILE` and `warden restore FILE [--accept-older]` (see warden/ops/backup.py); `warden worker`
(see warden/ops/worker.py).

Exit codes: 0 done (restore: and the audit log verifies), 1 the restored log does not verify or an older
copy was refused against the witness, 2 bad input (no such file, not a backup, damaged, other database)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from warden.ops import worker
from warden.ops.backup import BackupError, backup, restore


def _cmd_backup(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    try:
        m = backup(Path(args.file))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.print(
        f"Backup written to {args.file}: {m.vendor}, {m.payload_bytes:,} bytes (SHA-256 {m.payload_sha256}), "
        f"audit log of {m.audit_size} entries, root {m.audit_root or '(empty)'}."
    )
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    try:
        result = restore(Path(args.file), accept_older=args.accept_older)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1 if "older than the audit log's witness" in str(exc) else 2
    m, report = result.manifest, result.report
    out.print(f"Restored {args.file} (taken {m.created_at}, audit log of {m.audit_size} entries).")
    if report.ok:
        out.print(f"Audit log verified: {report.size} entries, root {report.root.hex()}.")
        return 0
    out.print(f"[bold red]The restored audit log does not verify[/] ({len(report.problems)} problems):")
    for problem in report.problems[:20]:
        out.print(f"  - {problem}")
    return 1


def _cmd_worker(args: argparse.Namespace) -> int:
    options = ["--interval", str(args.interval)]
    options += ["--batch"] if args.batch else []
    options += [] if args.startup_delay else ["--no-startup-delay"]
    worker.run_worker(options)
    return 0


def register(sub: Any) -> None:
    w = sub.add_parser(
        "worker",
        help="run the background task worker (django-tasks' db_worker under a lock per worker, so that "
        "`warden resume` can tell a dead worker's tasks from a live one's)",
    )
    w.add_argument("--batch", action="store_true", help="exit once no task is ready")
    w.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
    w.add_argument("--no-startup-delay", dest="startup_delay", action="store_false")
    w.set_defaults(func=_cmd_worker)
    b = sub.add_parser("backup", help="write a consistent copy of the whole database to FILE")
    b.add_argument("file", metavar="FILE")
    b.set_defaults(func=_cmd_backup)
    r = sub.add_parser(
        "restore",
        help="replace the database with a backup FILE, then verify the audit log (stop the server first)",
    )
    r.add_argument("file", metavar="FILE")
    r.add_argument(
        "--accept-older",
        action="store_true",
        help="restore even if the backup holds fewer audit entries than the witness file has seen (a recorded loss)",
    )
    r.set_defaults(func=_cmd_restore)
