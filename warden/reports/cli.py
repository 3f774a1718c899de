"""`warden reports KIND --year YYYY --format csv|json|xlsx|pdf|html [--out FILE]`: an annual report
(att, unroca, coarm, national) computed from the data, with a progress bar on the terminal. Without --out
the report goes to standard output. Exit 2 with a message for an unknown kind, format or year.

    warden unroca-background import FILE.csv [--as USERNAME]   holdings / national production (all or nothing)
    warden unroca-background show --year YYYY
    warden report-category set APPLICATION LINE_NO CODE --reason TEXT --as USERNAME

The background CSV's header is form,year,category,number_of_items,description,comments (form: holdings or
production; category I-VII). Refusals exit as warden.cli maps them (2 bad input, 3 not permitted)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from warden.accounts.actors import Actor
from warden.accounts.models import User
from warden.cases.models import GoodsLine
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, NotFound
from warden.reports import records, services, unroca


def _cmd(args: argparse.Namespace) -> int:
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


def _actor(username: str | None, *, default_system: bool) -> Actor:
    name = username or os.environ.get("WARDEN_USER", "")
    if not name:
        if default_system:
            return system("unroca-background import")
        raise InvalidInput("say who is acting: --as USERNAME (or set WARDEN_USER)", where="--as")
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise InvalidInput(f"no active user {name!r}", where="--as")
    return user


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput(f"no file {args.file}", where="FILE")
    result = records.import_background(
        actor=_actor(args.as_user, default_system=True), data=path.read_bytes(), filename=path.name
    )
    print(f"{path.name}: {result.summary()}")
    return 0


def _show(args: argparse.Namespace) -> int:
    try:
        year = int(args.year)
    except ValueError:
        raise InvalidInput(f"year {args.year!r} is not a year (YYYY)", where="--year") from None
    tables, _ = unroca.background(year)
    for t in tables:
        print(f"{t.title} {year}: {'nil' if not t.rows else ''}")
        for cat, items, desc, comments in t.rows:
            print(f"  {cat}\t{items:,}\t{desc}\t{comments}")
    return 0


def _set_category(args: argparse.Namespace) -> int:
    actor = _actor(args.as_user, default_system=False)
    line = GoodsLine.objects.filter(case__reference=args.application, line_no=args.line_no).first()
    if line is None:
        raise NotFound(f"no goods line {args.line_no} on application {args.application}")
    records.set_line_category(actor=actor, line=line, code=args.code, reason=args.reason or "")
    print(f"{args.application} line {args.line_no} ({line.rating}): counted as {args.code}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bg = sub.add_parser(
        "unroca-background", help="UNROCA background forms: military holdings, national production"
    )
    bgsub = bg.add_subparsers(dest="action", required=True)
    imp = bgsub.add_parser("import", help="record the rows of a CSV file (all or nothing)")
    imp.add_argument("file", help="CSV: form,year,category,number_of_items,description,comments")
    imp.add_argument("--as", dest="as_user", help="the policy or senior officer (default: the system)")
    imp.set_defaults(func=_import)
    show = bgsub.add_parser("show", help="the forms recorded for a year")
    show.add_argument("--year", required=True)
    show.set_defaults(func=_show)
    rc = sub.add_parser("report-category", help="the ATT/UNROCA row of one goods line")
    rcsub = rc.add_subparsers(dest="action", required=True)
    st = rcsub.add_parser("set", help="count a goods line in one of its rating's rows")
    st.add_argument("application", help="the application reference")
    st.add_argument("line_no", type=int, help="the goods line (0-based, as on the case page)")
    st.add_argument(
        "code", help="a row of the rating's choices in categories.yaml (e.g. I, V(a), SA-4, none)"
    )
    st.add_argument("--reason", required=True, help="what decides the row (type, calibre, model)")
    st.add_argument("--as", dest="as_user", help="the officer (default $WARDEN_USER)")
    st.set_defaults(func=_set_category)
    p = sub.add_parser("reports", help="annual reports: ATT, UNROCA, COARM, national")
    p.add_argument("kind", help="att | unroca | coarm | national")
    p.add_argument("--year", required=True, help="calendar year (YYYY)")
    p.add_argument("--format", default="csv", help="csv | json | xlsx | pdf | html (default csv)")
    p.add_argument("--out", help="write to FILE instead of standard output")
    p.set_defaults(func=_cmd)
