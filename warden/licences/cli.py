"""`warden licences expire [--today YYYY-MM-DD]`: expire every live licence past its last day of validity.
Run it daily (cron or a scheduled task); it is idempotent.

`warden licences issue REFERENCE --as USERNAME`: issue the licence of an approved case; exit 1 with the
policy's sentence when refused (an unreviewed screening match, a stale list version, a refusal...).

`warden licences propose-amendment NUMBER --as OFFICER --reason TEXT [--quantity LINE=N ...]
[--valid-until YYYY-MM-DD]`: an officer proposes an amendment on the holder's behalf, from the terms in force
with narrower quantities (LINE numbered from 1, as printed); prints the amendment case's reference.

`warden shipments import FILE --as USERNAME`: record a CSV return of shipments (docs/shipments-csv.md) as
that person, all or nothing; prints "N recorded, M already recorded". A bad row exits non-zero with the row
and column (2 bad input, 3 not permitted, 4 an over-draw or a licence not in force) and records nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from rich.console import Console

from warden.accounts.models import User
from warden.flows import end_use, licence_amendment
from warden.licences.models import Licence


def _cmd_expire(args: argparse.Namespace) -> int:
    from warden.licences.services import expire_licences

    out = Console(highlight=False, soft_wrap=True)
    today = dt.date.fromisoformat(args.today) if args.today else None
    done = expire_licences(today=today)
    for lic in done:
        out.print(f"{lic.number} expired (valid until {lic.valid_until.isoformat()})")
    out.print(f"{len(done)} licence(s) expired.")
    return 0


def _cmd_issue(args: argparse.Namespace) -> int:
    from warden.cases.decision_cli import run
    from warden.flows.case_decision import issue_licence

    return run(args, lambda actor, case: f"Licence {issue_licence(actor=actor, case=case).number} issued")


def _quantity(value: str) -> tuple[int, int]:
    line, sep, quantity = value.partition("=")
    if not sep or not line.strip().isdigit() or not quantity.strip().isdigit() or int(line) < 1:
        raise argparse.ArgumentTypeError(f"expected LINE=QUANTITY with LINE from 1, e.g. 1=2; not {value!r}")
    return int(line) - 1, int(quantity)


def _cmd_propose(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    username = args.as_user or os.environ.get("WARDEN_USER", "")
    actor = User.objects.filter(username=username, is_active=True).first() if username else None
    if actor is None:
        err.print(f"Say which active officer proposes: --as USERNAME (got {username!r})", markup=False)
        return 2
    licence = Licence.objects.filter(number=args.number).select_related("case").first()
    if licence is None:
        err.print(f"No licence {args.number}", markup=False)
        return 5
    # A refusal (not an officer, an amendment already pending, a wider quantity) goes to warden.cli's mapping.
    case = licence_amendment.propose_for_holder(
        actor=actor,
        licence=licence,
        reason=args.reason,
        valid_until=args.valid_until,
        quantities=dict(args.quantity or []),
    )
    Console(highlight=False, soft_wrap=True).print(
        f"{case.reference}: amendment of licence {licence.number} proposed for the holder", markup=False
    )
    return 0


def _cmd_import_returns(args: argparse.Namespace) -> int:
    from warden.licences.returns import import_returns

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    username = args.as_user or os.environ.get("WARDEN_USER", "")
    if not username:
        err.print("Say who is returning the shipments: --as USERNAME (or set WARDEN_USER)", markup=False)
        return 2
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        err.print(f"No active user {username!r}", markup=False)
        return 2
    path = Path(args.file)
    if not path.is_file():
        err.print(f"{path}: no such file", markup=False)
        return 2
    # A refusal (a bad row, an over-draw) propagates to warden.cli, which prints it and sets the exit status.
    result = import_returns(actor=actor, data=path.read_bytes(), filename=path.name)
    for shipment in result.recorded:
        end_use.after_shipment_recorded(shipment=shipment)
    out = Console(highlight=False, soft_wrap=True)
    for s in result.recorded:
        out.print(
            f"recorded: {s.licence.number} {s.reference} {s.quantity} ({s.value_amount} {s.currency})",
            markup=False,
        )
    out.print(f"{path.name}: {result.summary()}", markup=False)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("licences", help="licences: lifecycle tasks")
    lic = p.add_subparsers(dest="licences_command", metavar="SUBCOMMAND")
    e = lic.add_parser("expire", help="expire licences past their validity (daily task)")
    e.add_argument("--today", help="treat this date as today (YYYY-MM-DD)")
    e.set_defaults(func=_cmd_expire)
    from warden.cases.decision_cli import add_actor

    i = lic.add_parser("issue", help="issue the licence of an approved case")
    add_actor(i)
    i.set_defaults(func=_cmd_issue)
    pa = lic.add_parser("propose-amendment", help="propose an amendment on the holder's behalf (officer)")
    pa.add_argument("number", help="the licence number")
    pa.add_argument("--as", dest="as_user", metavar="USERNAME", help="the officer (default $WARDEN_USER)")
    pa.add_argument("--reason", required=True, help="what changes and why")
    pa.add_argument(
        "--quantity", action="append", type=_quantity, metavar="LINE=N", help="a narrower quantity"
    )
    pa.add_argument(
        "--valid-until", type=dt.date.fromisoformat, help="a new last day of validity (YYYY-MM-DD)"
    )
    pa.set_defaults(func=_cmd_propose)
    p.set_defaults(func=lambda args: _help(p))

    s = sub.add_parser("shipments", help="shipments (returns) against licences")
    ship = s.add_subparsers(dest="shipments_command", metavar="SUBCOMMAND")
    imp = ship.add_parser("import", help="record a CSV return of shipments (all or nothing)")
    imp.add_argument("file", help="the CSV file (docs/shipments-csv.md)")
    imp.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="who returns them (default $WARDEN_USER)"
    )
    imp.set_defaults(func=_cmd_import_returns)
    s.set_defaults(func=lambda args: _help(s))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
