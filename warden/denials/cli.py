"""`warden denials import|export|list`: partners' denial notifications in, ours out (warden.denial/1).

Exit status: 0 done, 2 bad input (an error naming the record and field; nothing imported).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from warden.accounts.services import our_state
from warden.denials import exchange, queries, services
from warden.lib import clock
from warden.lib.actors import system
from warden.lib.errors import WorkflowError
from warden.lib.isodate import arg_date


def _err(msg: str) -> int:
    Console(stderr=True).print(f"[bold red]error:[/] {msg}", highlight=False)
    return 2


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return _err(f"{path}: no such file")
    fmt = args.format or exchange.guess_format(path.name)
    if fmt is None:
        return _err(f"{path.name}: say --format json or csv (the file name does not end in .json or .csv)")
    try:
        result = services.import_denials(
            actor=system(f"cli: denials import {path.name}"),
            issuing_state=args.from_state,
            data=path.read_bytes(),
            fmt=fmt,
            filename=path.name,
        )
    except exchange.DenialFormatError as exc:
        return _err(f"{path.name}: {exc} (nothing imported)")
    except WorkflowError as exc:
        return _err(f"{exc} (nothing imported)")
    print(result.summary())
    for ref in result.flagged:
        print(f"  flagged: {ref}")
    for ref in result.cleared:
        print(f"  cleared: {ref}")
    return 0


def _export(args: argparse.Namespace) -> int:
    denials = queries.ours(since=args.since)
    if args.format == "csv":
        text = exchange.to_csv(denials)
    else:
        doc = exchange.document(denials, issuing_state=our_state(), today=clock.today())
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{len(denials)} notification(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = queries.held()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    console = Console()
    console.print(f"{len(rows)} denial notification(s) held")
    for row in rows:
        n = row["notification"]
        goods = ", ".join(g["rating"] for g in n["goods"])
        console.print(
            f"  {row['source']:<7} {n['issuing_state']} {n['reference']:<22} {n['date']}  {n['destination']}  "
            f"{goods:<14} {n['end_user']['name']}  ({row['state']})",
            highlight=False,
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("denials", help="Denial notifications exchanged with partner states (warden.denial/1)")
    dsub = p.add_subparsers(dest="denials_command", metavar="ACTION", required=True)

    imp = dsub.add_parser("import", help="Import a partner state's notifications (all or nothing)")
    imp.add_argument(
        "--from", dest="from_state", required=True, metavar="CC", help="the issuing state (ISO code)"
    )
    imp.add_argument("--format", choices=exchange.FILE_FORMATS, help="default: from the file name")
    imp.add_argument("file")
    imp.set_defaults(func=_import)

    exp = dsub.add_parser("export", help="Our refusals as denial notifications")
    exp.add_argument("--since", type=arg_date, metavar="DATE", help="refusals on or after this date")
    exp.add_argument("--format", choices=exchange.FILE_FORMATS, default="json")
    exp.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    exp.set_defaults(func=_export)

    lst = dsub.add_parser("list", help="Every denial held, ours and partners'")
    lst.add_argument("--format", choices=("table", "json"), default="table")
    lst.set_defaults(func=_list)
