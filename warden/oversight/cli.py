"""`warden oversight indicators [--only ID] [--format text|json]`: the integrity indicators, each hit with
the sentence explaining it (the same computation as the portal and the API). Exit 2 on an unknown id."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console


def _cmd_indicators(args: argparse.Namespace) -> int:
    from warden.oversight import indicators
    from warden.oversight.thresholds import definitions

    known = list(definitions())
    if args.only and args.only not in known:
        print(f"--only: no indicator {args.only!r}; choose one of: {', '.join(known)}", file=sys.stderr)
        return 2
    results = [indicators.compute(i) for i in ([args.only] if args.only else known)]
    if args.format == "json":
        doc = [
            {
                "id": r.definition.id,
                "title": r.definition.title,
                "thresholds": {k: t.value for k, t in r.definition.thresholds.items()},
                "hits": [
                    {"subject": h.subject, "why": h.sentence, "case_ids": list(h.case_ids)} for h in r.hits
                ],
            }
            for r in results
        ]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    out = Console(highlight=False, soft_wrap=True)
    for r in results:
        out.print(f"[bold]{r.definition.title}[/bold]: {len(r.hits)} hit(s)")
        for h in r.hits:
            out.print(f"  - {h.sentence}", markup=False)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("oversight", help="oversight: integrity indicators")
    o = p.add_subparsers(dest="oversight_command", metavar="SUBCOMMAND")
    i = o.add_parser("indicators", help="compute the integrity indicators and explain each hit")
    i.add_argument("--only", help="one indicator id (e.g. split_applications)")
    i.add_argument("--format", choices=("text", "json"), default="text")
    i.set_defaults(func=_cmd_indicators)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
