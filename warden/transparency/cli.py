"""`warden transparency figure SLUG [--year Y] [--region R] [--category C] [--out FILE]`: one public figure as
the dashboard's CSV (same redaction); an invalid filter exits 2 naming it.

`warden transparency verify CODE`: what /verify/CODE/ says (exit 1 for an unknown code)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warden.lib.clock import today
from warden.transparency import export, figures, verification
from warden.transparency.filters import parse


def _cmd_figure(args: argparse.Namespace) -> int:
    params = {
        k: v for k, v in (("year", args.year), ("region", args.region), ("category", args.category)) if v
    }
    f, errors = parse(params)
    if errors:
        for message in errors.values():
            print(f"warden transparency figure: {message}", file=sys.stderr)
        return 2
    text = export.figure_csv(figures.figure(args.slug, f))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    found = verification.lookup(args.code, today())
    if found is None:
        print("No licence has this verification code.", file=sys.stderr)
        return 1
    print(f"Licence {found.number}: {found.status_label}. {found.meaning}")
    print(f"Valid from {found.valid_from.isoformat()} until {found.valid_until.isoformat()} inclusive.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("transparency", help="the public side: dashboard figures as CSV, licence verification")
    t = p.add_subparsers(dest="transparency_command", metavar="SUBCOMMAND")
    fig = t.add_parser("figure", help="one public dashboard figure as CSV (redacted as on the dashboard)")
    fig.add_argument("slug", choices=figures.SLUGS)
    fig.add_argument("--year")
    fig.add_argument("--region")
    fig.add_argument("--category")
    fig.add_argument("--out", help="write the CSV to this file instead of standard output")
    fig.set_defaults(func=_cmd_figure)
    v = t.add_parser("verify", help="a licence's current status by its verification code")
    v.add_argument("code")
    v.set_defaults(func=_cmd_verify)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
