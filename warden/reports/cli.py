"""`warden reports KIND --year YYYY --format csv|json|xlsx|pdf|html [--out FILE]`: an annual report
(att, unroca, coarm, national) computed from the data, with a progress bar on the terminal. Without --out
the report goes to standard output. Exit 2 with a message for an unknown kind, format or year."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


def _cmd(args: argparse.Namespace) -> int:
    from warden.lib.actors import system
    from warden.lib.errors import InvalidInput
    from warden.reports import services

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        kind, year, fmt = services.parse(args.kind, args.year, args.format)
    except InvalidInput as exc:
        err.print(f"warden reports: {exc}")
        return 2
    if args.out is None and fmt in ("xlsx", "pdf") and sys.stdout.isatty():
        err.print(f"warden reports: {fmt} is binary: give --out FILE")
        return 2
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(f"{kind} {year}", total=services.STEPS[kind] + 1)

        def step(name: str) -> None:
            bar.update(task, advance=1, description=f"{kind} {year}: {name}")

        out = services.generate(actor=system("reports command"), kind=kind, year=year, fmt=fmt, progress=step)
        bar.update(task, completed=services.STEPS[kind] + 1)
    if args.out is None:
        sys.stdout.buffer.write(out.content)
        sys.stdout.flush()
    else:
        Path(args.out).write_bytes(out.content)
        err.print(f"{out.filename}: {len(out.content):,} bytes written to {args.out}")
    prov = out.report.provenance
    err.print(
        f"audit log size {prov['audit_log_size']}, root {prov['audit_root']}, data revision {prov['data_revision']}"
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("reports", help="annual reports: ATT, UNROCA, COARM, national")
    p.add_argument("kind", help="att | unroca | coarm | national")
    p.add_argument("--year", required=True, help="calendar year (YYYY)")
    p.add_argument("--format", default="csv", help="csv | json | xlsx | pdf | html (default csv)")
    p.add_argument("--out", help="write to FILE instead of standard output")
    p.set_defaults(func=_cmd)
