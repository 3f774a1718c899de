"""`warden lists import|rescreen`, `warden screen`, `warden screen-batch`, `warden screening score-pairs|rescreen`.

Exit status: 0 done (for `screen`: no match), 1 `screen` found at least one match, 2 bad input.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from warden.lib.actors import system

DEFAULT_LIST = {
    "un-xml": "un-sc",
    "eu-fsf-xml": "eu-fsf",
    "uk-xml": "uk",
    "us-csl-json": "us-csl",
    "us-csl-csv": "us-csl",
}
SCHEMA_KIND = {
    "person": "person",
    "company": "organisation",
    "organization": "organisation",
    "organisation": "organisation",
    "legalentity": "organisation",
    "vessel": "organisation",
}


def _err(msg: str) -> int:
    Console(stderr=True).print(f"[bold red]error:[/] {msg}", highlight=False)
    return 2


def _import(args: argparse.Namespace) -> int:
    from warden.flows.rescreening import import_list
    from warden.screening.importers import ListFormatError

    path = Path(args.file)
    if not path.is_file():
        return _err(f"{path}: no such file")
    name = args.list or DEFAULT_LIST.get(args.format) or path.stem
    size = path.stat().st_size
    console = Console(stderr=True)
    try:
        with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
            task = progress.add_task(f"Reading {path.name}", total=size)

            def wrap(fh: Any) -> Any:
                return _Counting(fh, progress, task)

            version = import_list(
                actor=system("warden screening import"),
                list_name=name,
                fmt=args.format,
                path=path,
                title=args.title or "",
                wrap=wrap,
                rescreen="none" if args.no_rescreen else "inline",
            )
    except ListFormatError as exc:
        return _err(f"{path.name}: {exc} (nothing imported; the previous version stays in force)")
    print(
        f"{name} v{version.number}: {version.entries_count} entries "
        f"({version.added} added, {version.changed} changed, {version.removed} removed)"
    )
    _print_report(version, name)
    return 0


def _print_report(version: Any, list_name: str) -> None:
    """What the import kept and could not read, per field, from the entries as stored."""
    from warden.screening.import_report import summarise

    rows = version.entries.values_list("entry_id", "kind", "data").iterator(chunk_size=2000)
    report = summarise(rows)
    print(report.kept_line())
    for line in report.unreadable_lines(list_prefix=f"{list_name}:"):
        print(line)


class _Counting:
    """A file wrapper that advances a progress bar as bytes are read (lxml, csv and json all read())."""

    def __init__(self, fh: Any, progress: Progress, task: Any) -> None:
        self._fh, self._progress, self._task = fh, progress, task

    def read(self, n: int = -1) -> bytes:
        data: bytes = self._fh.read(n)
        self._progress.advance(self._task, len(data))
        return data

    def readable(self) -> bool:
        return True

    def __iter__(self) -> Any:
        for line in self._fh:
            self._progress.advance(self._task, len(line))
            yield line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


def _screen(args: argparse.Namespace) -> int:
    from warden.screening.engine import screen_query
    from warden.screening.matcher.records import Query

    if not args.name.strip():
        return _err("--name: must not be empty")
    q = Query(
        name=args.name,
        kind=args.type or "any",
        country=(args.country or "").upper() or None,
        dob=args.dob or None,
        identifiers=tuple(args.id or ()),
    )
    doc = screen_query(q, threshold=args.threshold)
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        console = Console()
        console.print(f"{len(doc['matches'])} match(es) at or above {doc['threshold']:.2f} for '{args.name}'")
        for m in doc["matches"]:
            console.print(
                f"  {m['score']:.2f}  {m['list']} {m['entry']}  {m['name']}\n        {m['explanation']}",
                highlight=False,
            )
    return 1 if doc["matches"] else 0


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _screen_batch(args: argparse.Namespace) -> int:
    from warden.screening.engine import current_index
    from warden.screening.matcher.batch import default_workers, screen_many
    from warden.screening.matcher.records import Query

    try:
        rows = _rows(Path(args.input))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return _err(f"{args.input}: {exc}")
    if rows and "name" not in rows[0]:
        return _err(f"{args.input}: line 1: header must include a 'name' column")
    index, refs, _ = current_index()
    from django.conf import settings

    threshold = settings.SCREENING_THRESHOLD if args.threshold is None else args.threshold
    fields = list(rows[0].keys()) if rows else ["name"]
    out_fields = fields + ["matches", "score", "list", "entry", "entry_name", "matched_name", "explanation"]
    queries = [
        Query(
            name=row.get("name") or "",
            kind=SCHEMA_KIND.get((row.get("type") or "").lower(), "any"),
            country=(row.get("country") or "").upper() or None,
            dob=row.get("date_of_birth") or row.get("dob") or None,
            identifiers=tuple(x for x in [row.get("identifier") or ""] if x),
        )
        for row in rows
    ]
    named = [i for i, q in enumerate(queries) if q.name.strip()]
    # No auto-refresh thread: the batch forks its workers, and a fork should not copy a running thread.
    with Progress(
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not Console(stderr=True).is_terminal,
        auto_refresh=False,
    ) as progress:
        task = progress.add_task("Screening", total=len(named))

        def advance(n: int) -> None:
            progress.advance(task, n)
            progress.refresh()

        found = screen_many(
            index,
            [queries[i] for i in named],
            threshold=threshold,
            limit=10,
            workers=args.workers or default_workers(),
            progress=advance,
        )
    hits_of = dict(zip(named, found, strict=True))
    alerts = 0
    with open(args.output, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=out_fields)
        writer.writeheader()
        for i, row in enumerate(rows):
            hits = hits_of.get(i, [])
            out = dict(row, matches=len(hits))
            if hits:
                alerts += 1
                top, ref = hits[0], refs[int(hits[0].entry.key)]
                out.update(
                    score=f"{top.score:.4f}",
                    list=ref.list_name,
                    entry=ref.entry_key,
                    entry_name=ref.name,
                    matched_name=top.matched_name,
                    explanation=top.explanation,
                )
            writer.writerow(out)
    print(f"{len(rows)} parties screened, {alerts} with a match at or above {threshold:.2f}")
    return 0


def _score_pairs(args: argparse.Namespace) -> int:
    from warden.screening.matcher.score import score_pair

    try:
        rows = _rows(Path(args.input))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return _err(f"{args.input}: {exc}")
    if rows and not {"name1", "name2"} <= set(rows[0]):
        return _err(f"{args.input}: line 1: header must include 'name1' and 'name2' columns")
    with open(args.output, "w", encoding="utf-8", newline="") as fh:
        fields = list(rows[0].keys()) + ["score"] if rows else ["name1", "name2", "score"]
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            kind = SCHEMA_KIND.get((row.get("schema") or "").lower(), "any")
            writer.writerow(
                dict(row, score=f"{score_pair(row['name1'] or '', row['name2'] or '', kind):.4f}")
            )
    print(f"{len(rows)} pairs scored")
    return 0


def _rescreen(args: argparse.Namespace) -> int:
    """Finish the re-screen owed after list imports (a crash or --no-rescreen may have left it pending):
    each open case screened against an older list version is re-screened and re-assessed; --all does
    every open case."""
    from warden.flows.rescreening import run_pending

    result = run_pending(actor=system("warden screening rescreen"), everything=getattr(args, "all", False))
    print(
        f"{result.cases} open case(s) re-screened and re-assessed, {result.new_matches} new match(es) raised"
        + (f"; {result.jobs} pending re-screen job(s) finished" if result.jobs else "")
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from warden.screening.importers import FORMATS

    lists = sub.add_parser("lists", help="sanctions and denied-party lists")
    lists_sub = lists.add_subparsers(dest="lists_command", metavar="ACTION", required=True)
    imp = lists_sub.add_parser("import", help="import a list file as the list's new current version")
    imp.add_argument("--format", required=True, choices=FORMATS)
    imp.add_argument("--list", help="list name (default from the format, e.g. un-sc)")
    imp.add_argument("--title", help="human title of the list")
    imp.add_argument(
        "--no-rescreen",
        action="store_true",
        help="leave the re-screen of open cases pending (`warden lists rescreen` or the next start finishes it)",
    )
    imp.add_argument("file")
    imp.set_defaults(func=_import)
    res = lists_sub.add_parser(
        "rescreen", help="finish pending re-screens: open cases screened against an older list version"
    )
    res.add_argument("--all", action="store_true", help="re-screen every open case")
    res.set_defaults(func=_rescreen)

    scr = sub.add_parser("screen", help="screen one name against the current lists (warden.screening/1)")
    scr.add_argument("--name", required=True)
    scr.add_argument("--type", choices=["person", "organisation"])
    scr.add_argument("--country", help="ISO 3166-1 alpha-2")
    scr.add_argument("--dob", help="date of birth: YYYY, YYYY-MM or YYYY-MM-DD")
    scr.add_argument("--id", action="append", help="an identifier (passport, registration, IMO...)")
    scr.add_argument("--threshold", type=float)
    scr.add_argument("--format", choices=["text", "json"], default="text")
    scr.set_defaults(func=_screen)

    batch = sub.add_parser("screen-batch", help="screen a CSV of parties (name[,type,country,date_of_birth])")
    batch.add_argument("input")
    batch.add_argument("output")
    batch.add_argument("--threshold", type=float)
    batch.add_argument(
        "--workers",
        type=int,
        help="worker processes sharing the index (default: the number of cores, up to 8)",
    )
    batch.set_defaults(func=_screen_batch)

    grp = sub.add_parser("screening", help="screening tools")
    grp_sub = grp.add_subparsers(dest="screening_command", metavar="ACTION", required=True)
    pairs = grp_sub.add_parser("score-pairs", help="score name pairs (name1,name2[,schema]) into OUT.csv")
    pairs.add_argument("input")
    pairs.add_argument("output")
    pairs.set_defaults(func=_score_pairs)
    res = grp_sub.add_parser("rescreen", help="re-screen every open case against the current lists")
    res.set_defaults(func=_rescreen, all=True)
