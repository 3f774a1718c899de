"""`warden audit ...`: verify the log, make and print checkpoints, print proofs. `warden init` hook: key."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.console import Console


def on_init(out: Console) -> None:
    import os

    from django.conf import settings

    from warden.audit.checkpoints import create_development_key, key_path

    if os.environ.get("WARDEN_AUDIT_KEY_PEM", "").strip():
        out.print("Audit signing key: from WARDEN_AUDIT_KEY_PEM.")
        return
    path = key_path()
    if path.exists():
        out.print(f"Audit signing key: {path}")
        return
    if settings.PRODUCTION:
        out.print(
            f"[bold red]No audit signing key[/] at {path}. Checkpoints cannot be signed until you provide one "
            "(WARDEN_AUDIT_KEY=path or WARDEN_AUDIT_KEY_PEM); a development key is not created in production."
        )
        return
    create_development_key(path)
    out.print(
        f"[bold yellow]Created a DEVELOPMENT audit signing key[/] at {path} (Ed25519, mode 0600). "
        "For real use, generate a key outside the repository and set WARDEN_AUDIT_KEY to its path."
    )


def _cmd_verify(args: argparse.Namespace) -> int:
    from warden.audit.checkpoints import SigningKeyMissing, signing_key
    from warden.audit.verify import verify_log

    out = Console(soft_wrap=True)
    try:
        public = signing_key().public_key()
    except SigningKeyMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    note = None
    if args.from_checkpoint:
        try:
            note = Path(args.from_checkpoint).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot read checkpoint file {args.from_checkpoint}: {exc}", file=sys.stderr)
            return 2
    started = time.perf_counter()
    report = verify_log(public_key=public, third_party_note=note)
    elapsed = time.perf_counter() - started
    if report.ok:
        out.print(
            f"[bold green]OK[/]: {report.size} entries, root {report.root.hex()}, "
            f"{report.checkpoints_checked} signed checkpoints verified ({elapsed:.2f} s)"
        )
        if report.consistent_with:
            out.print(f"Consistent with the supplied checkpoint ({report.consistent_with}).")
        return 0
    first = report.first_bad_seq
    where = f"first bad entry: seq {first}" if first is not None else "the entries themselves look intact"
    out.print(f"[bold red]FAILED[/]: {len(report.problems) + report.more_problems} problem(s); {where}")
    for problem in report.problems:
        out.print(f"  - {problem}", markup=False)
    if report.more_problems:
        out.print(f"  ... and {report.more_problems} more")
    return 1


def _cmd_checkpoint(args: argparse.Namespace) -> int:
    from warden.audit.checkpoints import SigningKeyMissing, latest, make_checkpoint, signing_key, verifier_key

    try:
        cp = latest() if args.no_new else make_checkpoint()
        public = signing_key().public_key()
    except SigningKeyMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if cp is None:
        print("error: the audit log is empty; there is nothing to checkpoint yet", file=sys.stderr)
        return 1
    sys.stdout.write(cp.note)
    print(f"# verifier key: {verifier_key(public, cp.origin)}", file=sys.stderr)
    return 0


def _cmd_prove(args: argparse.Namespace) -> int:
    from warden.audit.proofs import ProofUnavailable, inclusion

    try:
        print(json.dumps(inclusion(args.seq, args.size), indent=2))
    except ProofUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_consistency(args: argparse.Namespace) -> int:
    from warden.audit.proofs import ProofUnavailable, consistency

    try:
        print(json.dumps(consistency(args.first, args.second), indent=2))
    except ProofUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="verify the tamper-evident audit log, make checkpoints, print proofs")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    v = asub.add_parser("verify", help="recompute the log and check every checkpoint; exit 1 on tampering")
    v.add_argument(
        "--from-checkpoint", metavar="FILE", help="a checkpoint you kept: prove the log extends it"
    )
    v.set_defaults(func=_cmd_verify)

    c = asub.add_parser("checkpoint", help="sign a checkpoint if the log grew, and print the latest one")
    c.add_argument("--no-new", action="store_true", help="print the latest checkpoint without making one")
    c.set_defaults(func=_cmd_checkpoint)

    pr = asub.add_parser("prove", help="print an inclusion proof (JSON) for entry --seq")
    pr.add_argument("--seq", type=int, required=True)
    pr.add_argument(
        "--size", type=int, help="tree size (default: latest checkpoint covering it, else current)"
    )
    pr.set_defaults(func=_cmd_prove)

    cs = asub.add_parser("consistency", help="print a consistency proof (JSON) between two sizes")
    cs.add_argument("--from", dest="first", type=int, required=True)
    cs.add_argument("--to", dest="second", type=int, help="default: the current size")
    cs.set_defaults(func=_cmd_consistency)
