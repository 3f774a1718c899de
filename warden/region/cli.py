"""`warden region import FILE` and `warden region show REGION [--from Y --to Y] [--format table|json|csv]`.

Exit status: 0 done, 2 bad input (what and where; nothing imported)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from warden.lib.actors import system
from warden.lib.errors import WorkflowError
from warden.region import export, filters, queries, services, sipri


def _err(msg: str) -> int:
    Console(stderr=True).print(f"[bold red]error:[/] {msg}", highlight=False)
    return 2


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return _err(f"{path}: no such file")
    try:
        result = services.import_register(
            actor=system(f"cli: region import {path.name}"), data=path.read_bytes(), filename=path.name
        )
    except (sipri.SipriFormatError, WorkflowError) as exc:
        return _err(f"{path.name}: {exc} (nothing imported)")
    print(result.summary())
    return 0


def _show(args: argparse.Namespace) -> int:
    params = {"region": args.region, "from": args.from_year or "", "to": args.to_year or ""}
    try:
        region, window = filters.parse(params)
    except WorkflowError as exc:
        return _err(str(exc))
    view = queries.region_view(region, window)
    if args.format == "json":
        print(json.dumps(export.jsonable(view), ensure_ascii=False, indent=2))
        return 0
    if args.format == "csv":
        sys.stdout.write(export.to_csv(view))
        return 0
    console = Console()
    console.print(f"{region.name}, {window.first}-{window.last}: {view['licences_total']} licence(s) of ours")
    for r in view["recipients"]:
        s = r["sipri"]
        console.print(
            f"  {r['code']}  licences {r['licensed']['licences']:>4}  TIV {s['tiv_total']:>9}  "
            f"top supplier {s['largest_supplier'] or '-'}  new: {', '.join(s['new_categories']) or '-'}",
            highlight=False,
        )
    for t in view["tensions"]:
        for i in t["items"]:
            console.print(f"  tension {t['code']}: {i['what']} (since {i['since']})", highlight=False)
    console.print(view["citation"], highlight=False)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("region", help="Regional stability: SIPRI arms-transfer data beside our licences")
    rsub = p.add_subparsers(dest="region_command", metavar="ACTION", required=True)
    imp = rsub.add_parser("import", help="Import a SIPRI trade-register CSV (all or nothing)")
    imp.add_argument("file")
    imp.set_defaults(func=_import)
    show = rsub.add_parser("show", help="The regional view of a region and years")
    show.add_argument("region", help="a region slug, e.g. middle-east, sub-saharan-africa, other-europe")
    show.add_argument("--from", dest="from_year", metavar="YEAR")
    show.add_argument("--to", dest="to_year", metavar="YEAR")
    show.add_argument("--format", choices=("table", "json", "csv"), default="table")
    show.set_defaults(func=_show)
