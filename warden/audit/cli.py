"""`warden audit ...`: verify the log, make and print checkpoints, print proofs, rotate the signing key and
print the keys verifiers need. `warden init` hook: key."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from warden.audit.keyring import Keyring
    from warden.lib.actors import AnyActor


def on_init(out: Console) -> None:
    _say_witness(out)
    _key_on_init(out)


def _say_witness(out: Console) -> None:
    """Where checkpoints are witnessed, and a warning when the witness knows a longer log than the database
    (a database re-created beside an old witness file: verify will say entries were deleted)."""
    from warden.audit import proofs, witness

    path = witness.witness_path()
    out.print(f"Audit witness file (every checkpoint, outside the database): {path}", highlight=False)
    newest = witness.newest()
    if newest is not None and newest.parsed.size > proofs.log_size():
        out.print(
            f"[bold yellow]Warning[/]: the witness file holds a checkpoint of {newest.parsed.size} entries but "
            f"this database's audit log has {proofs.log_size()}: it belongs to another (or an older) database. "
            "If this database is meant to be new, move the file aside (keep it: it is evidence) or set "
            "WARDEN_AUDIT_WITNESS to a new path; otherwise `warden audit verify` reports the missing entries.",
            highlight=False,
        )


def _key_on_init(out: Console) -> None:
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


def _trusted_keys() -> Keyring | None:
    """The keyring with the configured key, or None after saying on stderr why there is none."""
    from warden.audit.keyring import KeyringError, trusted

    try:
        ring = trusted()
    except KeyringError as exc:
        print(f"error: the audit keyring is malformed: {exc}", file=sys.stderr)
        return None
    if not ring.keys:
        print(
            "error: no key to verify checkpoints with: no audit signing key is configured "
            f"(WARDEN_AUDIT_KEY or WARDEN_AUDIT_KEY_PEM) and the keyring {ring.source} lists none "
            "(WARDEN_AUDIT_KEYRING)",
            file=sys.stderr,
        )
        return None
    return ring


def _cmd_verify(args: argparse.Namespace) -> int:
    from warden.audit.verify import verify_log

    out = Console(soft_wrap=True)
    ring = _trusted_keys()
    if ring is None:
        return 2
    note = None
    if args.from_checkpoint:
        try:
            note = Path(args.from_checkpoint).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot read checkpoint file {args.from_checkpoint}: {exc}", file=sys.stderr)
            return 2
    from warden.audit.sequencer import pending

    started = time.perf_counter()
    report = verify_log(ring=ring, third_party_note=note)
    elapsed = time.perf_counter() - started
    waiting = pending()
    if waiting:  # committed but not yet numbered: not in the tree this run checked
        out.print(
            f"[yellow]Note[/]: {waiting} committed entries are waiting for the audit sequencer "
            "(`warden audit sequencer`, started by `warden serve` when WARDEN_AUDIT_SEQUENCER=background)."
        )
    if report.witnessed_size is None:
        out.print(
            f"[yellow]Note[/]: no witnessed checkpoint in {report.witness_path} (WARDEN_AUDIT_WITNESS): nothing "
            "outside the database vouches for the newest entries.",
            highlight=False,
        )
    if report.ok:
        out.print(
            f"[bold green]OK[/]: {report.size} entries, root {report.root.hex()}, "
            f"{report.checkpoints_checked} signed checkpoints verified "
            f"(of {report.checkpoints_stored} stored; {elapsed:.2f} s)"
        )
        if report.witnessed_size is not None:
            out.print(
                f"Extends the newest witnessed checkpoint (size {report.witnessed_size}, {report.witness_path}).",
                highlight=False,
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
    from warden.audit.checkpoints import SigningKeyMissing, latest, make_checkpoint, parse
    from warden.audit.keyring import KeyringError
    from warden.audit.tail import LogDoesNotExtend

    try:
        cp = latest() if args.no_new else make_checkpoint()
    except (SigningKeyMissing, KeyringError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except LogDoesNotExtend as exc:  # the log was cut or rewritten since a checkpoint was signed
        print(f"error: refusing to sign: {exc}", file=sys.stderr)
        return 1
    if cp is None:
        print("error: the audit log is empty; there is nothing to checkpoint yet", file=sys.stderr)
        return 1
    sys.stdout.write(cp.note)
    ring = _trusted_keys()
    if ring is not None:
        for name, kid, _ in parse(cp.note).signatures:
            key = ring.find(name, kid)
            line = f"verifier key: {key.verifier_key}" if key else f"also signed by: {name}+{kid.hex()}"
            print(f"# {line}", file=sys.stderr)
    return 0


def _cmd_public_key(args: argparse.Namespace) -> int:
    from warden.audit.checkpoints import SigningKeyMissing, signing_key, verifier_key
    from warden.audit.keyring import render, retirement

    if args.all:
        ring = _trusted_keys()
        if ring is None:
            return 2
        sys.stdout.write(render(list(ring.keys)))
        return 0
    try:
        public = signing_key().public_key()
    except SigningKeyMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(verifier_key(public))
    retired_at = retirement(public)
    if retired_at is not None:
        print(
            f"warning: this key was retired at log size {retired_at}; point WARDEN_AUDIT_KEY at the new key",
            file=sys.stderr,
        )
    return 0


def _cmd_rotate_key(args: argparse.Namespace) -> int:
    from warden.accounts.models import User
    from warden.audit.checkpoints import SigningKeyMissing
    from warden.audit.policy import can_rotate_key
    from warden.audit.rotation import HOST_OPERATOR, RotationError, load_new_key, rotate

    out = Console(soft_wrap=True)
    actor: AnyActor = HOST_OPERATOR
    if args.as_user:
        user = User.objects.filter(username=args.as_user, is_active=True).first()
        if user is None or not can_rotate_key(user):
            print(f"error: {args.as_user!r} is not an active administrator", file=sys.stderr)
            return 2
        actor = user
    new_path = Path(args.new_key).resolve()
    try:
        done = rotate(new_key=load_new_key(new_path), actor=actor)
    except (RotationError, SigningKeyMissing) as exc:
        print(f"error: {exc}; nothing was changed", file=sys.stderr)
        return 2
    cp = done.checkpoint
    out.print(
        f"[bold green]Rotated[/] the audit signing key: entry {done.entry.seq} ({done.entry.action}) "
        f"records it, and checkpoint {cp.size} is signed by the old key and then the new one."
    )
    out.print(
        f"Retired: {done.retired.label}, added to the keyring {done.keyring_path} "
        f"(trusted up to size {cp.size}).",
        markup=False,
    )
    out.print(f"New:     {done.new.verifier_key}", markup=False)
    out.print("Next:")
    out.print(
        f"  1. Point WARDEN_AUDIT_KEY at {new_path} (or put its PEM in WARDEN_AUDIT_KEY_PEM) and restart "
        "`warden serve` and its workers. Until then no checkpoint is signed: the old key refuses.",
        markup=False,
    )
    out.print(
        "  2. Publish the new verifier key (`warden audit public-key`) and the keyring "
        "(`warden audit public-key --all`) to everyone who keeps checkpoints, with the hand-over "
        f"checkpoint (`warden audit checkpoint --no-new`, size {cp.size}).",
        markup=False,
    )
    out.print(
        "  3. Take the old private key offline or destroy it: verifying needs only its public key, which "
        "is now in the keyring.",
        markup=False,
    )
    return 0


def _print_proof(make: Callable[[], dict[str, Any]]) -> int:
    """Print a proof as JSON, or say why there is none (exit 2)."""
    from warden.audit.proofs import ProofUnavailable

    try:
        print(json.dumps(make(), indent=2))
    except ProofUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_prove(args: argparse.Namespace) -> int:
    from warden.audit.proofs import inclusion

    return _print_proof(lambda: inclusion(args.seq, args.size))


def _cmd_consistency(args: argparse.Namespace) -> int:
    from warden.audit.proofs import consistency

    return _print_proof(lambda: consistency(args.first, args.second))


def _cmd_sequencer(args: argparse.Namespace) -> int:
    from django.db import connection

    from warden.audit import sequencer

    out = Console(soft_wrap=True)
    if connection.vendor != "postgresql":
        out.print("Nothing to do: on SQLite every audit entry is numbered when it is recorded.")
        return 0
    if args.once:
        out.print(f"Numbered {sequencer.drain()} pending audit entries.")
        return 0
    out.print(f"Audit sequencer: numbering pending entries every {args.interval_ms} ms (Ctrl-C stops).")
    with contextlib.suppress(KeyboardInterrupt):
        sequencer.run(interval=args.interval_ms / 1000)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="verify the tamper-evident audit log, make checkpoints, print proofs")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    v = asub.add_parser("verify", help="recompute the log and check every checkpoint; exit 1 on tampering")
    v.add_argument(
        "--from-checkpoint", metavar="FILE", help="a checkpoint you kept: prove the log extends it"
    )
    v.set_defaults(func=_cmd_verify)

    c = asub.add_parser(
        "checkpoint",
        help="sign a checkpoint if the log grew (never over a log that does not extend the last one, in the "
        "database or the witness file: exit 1), and print the latest one",
    )
    c.add_argument("--no-new", action="store_true", help="print the latest checkpoint without making one")
    c.set_defaults(func=_cmd_checkpoint)

    pk = asub.add_parser("public-key", help="print the note verifier key of the current signing key")
    pk.add_argument(
        "--all", action="store_true", help="print every trusted key, retired ones too, as a keyring file"
    )
    pk.set_defaults(func=_cmd_public_key)

    rk = asub.add_parser(
        "rotate-key", help="retire the signing key for a new one, recording and cosigning the hand-over"
    )
    rk.add_argument(
        "--new-key", metavar="PATH", required=True, help="the new Ed25519 private key (PEM, mode 600)"
    )
    rk.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="the administrator rotating (default: system)"
    )
    rk.set_defaults(func=_cmd_rotate_key)

    sq = asub.add_parser(
        "sequencer",
        help="number the entries writers left pending (PostgreSQL, WARDEN_AUDIT_SEQUENCER=background)",
    )
    sq.add_argument("--once", action="store_true", help="number what is pending now and exit")
    sq.add_argument("--interval-ms", type=int, default=20, help="wait between batches (default 20)")
    sq.set_defaults(func=_cmd_sequencer)

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
