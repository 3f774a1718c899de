"""`warden applications ...`:

    warden applications submit FILE.json [--as USERNAME] [--draft] [--check]

Validates the warden.application/1 document; if invalid, prints every error as "pointer: message" and
exits 2 with nothing stored. Otherwise creates the case (and submits it, unless --draft) as USERNAME
(default: $WARDEN_USER) and prints its reference and status. --check validates only.

`warden init` also runs on_init here: the authority organisation and its teams.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rich.console import Console

from warden.flows import submission
from warden.legislation.citable import citable_map


def _cmd_submit(args: argparse.Namespace) -> int:
    from warden.accounts.models import User
    from warden.cases import services
    from warden.cases.transitions import WorkflowError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False, soft_wrap=True)
    path = Path(args.file)
    try:
        text = sys.stdin.read() if args.file == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        err.print(f"[red]Cannot read {args.file}: {exc.strerror}[/]")
        return 2
    doc, errors = submission.load_document(text)
    if errors:
        err.print(f"[red]{args.file} is not a valid warden.application/1 document; nothing was stored:[/]")
        for e in errors:
            err.print(f"  {e.pointer or '(document)'}: {e.message}", markup=False)
        return 2
    assert doc is not None
    if args.check:
        out.print(f"{args.file}: valid warden.application/1")
        return 0
    username = args.as_user or os.environ.get("WARDEN_USER", "")
    if not username:
        err.print("[red]Say who is applying: --as USERNAME (or set WARDEN_USER)[/]")
        return 2
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        err.print(f"[red]No active user {username!r}[/]")
        return 2
    try:
        if args.draft:
            case = submission.create_application(actor=actor, document=doc)
        else:
            case = submission.submit_application(actor=actor, document=doc)
    except services.InvalidDocument as exc:
        for e in exc.errors:
            err.print(f"  {e.pointer or '(document)'}: {e.message}", markup=False)
        return 2
    except WorkflowError as exc:
        err.print(f"[red]{exc}[/]", markup=False)
        return 1
    if args.json:
        out.print_json(
            json.dumps(
                {
                    "reference": case.reference,
                    "status": case.status,
                    "sla_deadline": case.sla_deadline.isoformat() if case.sla_deadline else None,
                }
            )
        )
    else:
        deadline = f", decision due by {case.sla_deadline.isoformat()}" if case.sla_deadline else ""
        out.print(f"{case.reference} {case.get_status_display().lower()}{deadline}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("applications", help="licence applications (warden.application/1)")
    apps = p.add_subparsers(dest="applications_command", metavar="SUBCOMMAND")
    s = apps.add_parser("submit", help="validate and submit an application document")
    s.add_argument("file", help="the warden.application/1 JSON file ('-' for standard input)")
    s.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="the exporter applying (default $WARDEN_USER)"
    )
    s.add_argument("--draft", action="store_true", help="store as a draft, do not submit")
    s.add_argument("--check", action="store_true", help="only validate; store nothing")
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    s.set_defaults(func=_cmd_submit)
    p.set_defaults(func=lambda args: _help(p))
    # `warden cases finalise|countersign` (the decision steps, refused exactly as on the case page).
    from warden.cases import decision_cli

    decision_cli.register(sub, citable=citable_map)


def on_init(out: Console) -> None:
    from warden.accounts.services import ensure_reference_setup

    teams = ensure_reference_setup()
    out.print(f"Authority and {len(teams)} teams in place.")


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
