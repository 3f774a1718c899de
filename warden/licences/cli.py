"""`warden licences expire [--today YYYY-MM-DD]`: expire every live licence past its last day of validity.
Run it daily (cron or a scheduled task); it is idempotent.

`warden licences issue REFERENCE --as USERNAME`: issue the licence of an approved case; exit 1 with the
policy's sentence when refused (an unreviewed screening match, a stale list version, a refusal...)."""

from __future__ import annotations

import argparse
import datetime as dt

from rich.console import Console


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
    p.set_defaults(func=lambda args: _help(p))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
