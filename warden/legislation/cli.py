"""`warden assess` and `warden impact`:

    warden assess FILE.json [--as-of YYYY-MM-DD] [--format json|text]
    warden impact --since REVISION [--limit N]
    warden impact --what-if FILE.yaml [FILE.yaml ...] [--years N]
    warden reference check [DIR]          validate reference-data files without loading them
    warden reference load [DIR]           load them as a new revision (idempotent) and list the impact
    warden ratings WORDS... [--as-of YYYY-MM-DD] [--format json|text]   search the control list in force

`warden assess` prints a warden.assessment/1 document (canonical JSON: the same input, date and data give
the same bytes); an invalid application exits 2 with one "pointer: message" line per problem.
`warden init` loads the bundled reference data (on_init; idempotent: same digest, no new revision).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from warden.lib.actors import system

# Whoever runs the command on the host acts as the system (the CLI has no --as for legislation).
CLI = system("legislation command line")

BADGE = {
    "deny": "[bold red]DENY[/]",
    "risk": "[bold yellow]RISK[/]",
    "condition": "[cyan]COND[/]",
    "pass": "[green]pass[/]",
}


def _cmd_assess(args: argparse.Namespace) -> int:
    from warden.flows.submission import load_document
    from warden.legislation.services import assess_application
    from warden.lib import clock
    from warden.rules.evaluate import to_bytes

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        err.print(f"[red]Cannot read {args.file}: {exc.strerror}[/]")
        return 2
    try:
        on = dt.date.fromisoformat(args.as_of) if args.as_of else clock.today()
    except ValueError:
        err.print(f"[red]--as-of: expected YYYY-MM-DD, got {args.as_of!r}[/]")
        return 2
    # Ratings must exist on the control list in force on the assessment date.
    doc, errors = load_document(text, as_of=on if args.as_of else None)
    if errors or doc is None:
        err.print(f"[red]{args.file} is not a valid warden.application/1 document:[/]")
        for e in errors:
            err.print(f"  {e.pointer or '(document)'}: {e.message}", markup=False)
        return 2
    result = assess_application(doc, on)  # the parties screened against the current lists, as the API does
    if args.format == "json":
        sys.stdout.buffer.write(to_bytes(result) + b"\n")
        sys.stdout.flush()
    else:
        print_text(Console(highlight=False, soft_wrap=True), result)
    return 0


def print_text(out: Console, a: dict[str, Any]) -> None:
    colour = {"refuse": "red", "refer": "yellow", "approve_with_conditions": "cyan", "approve": "green"}
    rec = a["recommendation"]
    out.print(f"[bold]{a['application']}[/] as of {a['as_of']}: [bold {colour[rec]}]{rec.upper()}[/]")
    for f in a["findings"]:
        if f["outcome"] == "pass":
            continue
        out.print(f"  {BADGE[f['outcome']]} {f['criterion']:<10} {f['subject']:<12} {f['rule']}")
        out.print(f"       {f['explanation']}", markup=False)
        if f.get("condition"):
            out.print(f"       proposed licence condition: {f['condition']}", markup=False)
        out.print(f"       [dim]basis: {f['basis']}[/]", highlight=False)
    flagged = {f["criterion"] for f in a["findings"] if f["outcome"] != "pass"}
    passed = sorted({f["criterion"] for f in a["findings"]} - flagged)
    if passed:
        out.print(f"  [green]checked, nothing found:[/] {', '.join(passed)}")
    for s in a.get("screening", []):
        for m in s.get("matches", []):
            out.print(
                f"  screening: party {s['party']} ~ {m.get('name')} ({m.get('list')}, score {m.get('score')})"
            )
    out.print(
        f"  [dim]ruleset {a['ruleset']['id']} {a['ruleset']['version']} {a['ruleset']['digest'][:19]}…[/]"
    )


def _progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _run_with_bar(run: Any, label: str) -> Any:
    from warden.flows import law_change

    console = Console(stderr=True, soft_wrap=True)
    with _progress_bar(console) as bar:
        tid = bar.add_task(label, total=None)

        def step(done: int, total: int) -> None:
            bar.update(tid, completed=done, total=total)

        return law_change.execute(run, on_progress=step)


def _print_items(out: Console, run: Any, limit: int) -> None:
    items = run.items.select_related("case", "licence").order_by("destination", "case__reference")
    table = Table(title=f"{run.affected} affected (showing up to {limit})")
    for col in ("case", "licence", "dest", "before", "after", "criteria now"):
        table.add_column(col)
    for item in items[:limit]:
        table.add_row(
            item.case.reference,
            item.licence.number if item.licence else "",
            item.destination,
            item.before_recommendation,
            item.after_recommendation,
            ", ".join(item.after_criteria),
        )
    out.print(table)


def _cmd_impact(args: argparse.Namespace) -> int:
    from warden.legislation import impact, services
    from warden.legislation.loader import ReferenceDataError, merge_proposal
    from warden.legislation.models import ReferenceRevision

    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False, soft_wrap=True)
    current = services.current_revision()
    if current is None:
        err.print("[red]No reference data loaded: run `warden init` first.[/]")
        return 2
    if args.what_if:
        try:
            files = {Path(p).name: Path(p).read_text(encoding="utf-8") for p in args.what_if}
            run = impact.create_what_if(
                actor=CLI, bundle=merge_proposal(current.bundle, files), years=args.years
            )
        except (OSError, ReferenceDataError) as exc:
            err.print(f"[red]{exc}[/]", markup=False)
            return 2
        run = _run_with_bar(run, f"replaying {args.years} years of decisions")
        out.print(
            f"What-if over decisions since {run.summary['since']}: {run.affected} would come out differently."
        )
        table = Table("destination", "decisions", "flipped", "findings changed")
        for dest, c in run.summary["by_destination"].items():
            if c.get("flipped") or c.get("changed_findings"):
                table.add_row(
                    dest,
                    str(c.get("decisions", 0)),
                    str(c.get("flipped", 0)),
                    str(c.get("changed_findings", 0)),
                )
        out.print(table)
        crit = Table("criterion", "cases citing it before", "after")
        for c, v in run.summary["by_criterion"].items():
            crit.add_row(c, str(v.get("before", 0)), str(v.get("after", 0)))
        out.print(crit)
        _print_items(out, run, args.limit)
        return 0
    since = ReferenceRevision.objects.filter(number=args.since).first()
    if since is None:
        err.print(f"[red]--since: no reference revision {args.since} (latest is {current.number})[/]")
        return 2
    if since.pk == current.pk:
        out.print(f"Revision {current.number} is the live one: nothing changed since.")
        return 0
    run = impact.create_change_run(actor=CLI, from_revision=since, to_revision=current)
    run = _run_with_bar(run, f"re-assessing (revision {since.number} -> {current.number})")
    out.print(
        f"Scope: {run.summary['scope']}; {run.total} open cases and live licences re-assessed, "
        f"{run.affected} change. Review queue: /legislation/impact/{run.pk}/"
    )
    _print_items(out, run, args.limit)
    return 0


def _cmd_reference(args: argparse.Namespace) -> int:
    from warden.legislation import services
    from warden.legislation.loader import DATA_DIR, ReferenceDataError, load_bundle, read_bundle
    from warden.legislation.models import RevisionSource

    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False, soft_wrap=True)
    directory = Path(args.dir) if args.dir else DATA_DIR
    try:
        bundle = read_bundle(directory)
        ref = load_bundle(bundle)
    except (OSError, ReferenceDataError) as exc:
        err.print(str(exc), markup=False)
        return 2
    if args.action == "check":
        out.print(f"{directory}: valid")
        for kind, digest in ref.digests.items():
            out.print(f"  {kind:<15} {digest}")
        return 0
    rev, created = services.load_reference(  # the impact run is run below, with a bar
        actor=CLI, bundle=bundle, source=RevisionSource.UPLOAD, note=str(directory)
    )
    if not created:
        out.print(f"Unchanged: revision {rev.number} already holds this data.")
        return 0
    out.print(f"Loaded revision {rev.number} ({rev.digest}).")
    from warden.legislation import impact

    run = impact.change_run_for(rev)  # written with the revision; run here rather than queued
    if run is not None:
        run = _run_with_bar(run, "re-assessing open cases and live licences")
        out.print(
            f"{run.affected} open cases and live licences change: /legislation/impact/{run.pk}/; "
            f"{run.summary.get('reassessed', 0)} open cases have a new assessment version."
        )
    return 0


def _cmd_ratings(args: argparse.Namespace) -> int:
    """The control-list look-up of the web form and GET /api/legislation/ratings, with the same JSON."""
    import json

    from rich.markup import escape

    from warden.legislation import lookup
    from warden.legislation.ratings import live_reference
    from warden.lib import clock
    from warden.lib.errors import InvalidInput

    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        on = dt.date.fromisoformat(args.as_of) if args.as_of else clock.today()
    except ValueError:
        err.print(f"--as-of: expected YYYY-MM-DD, got {args.as_of!r}", markup=False)
        return 2
    try:
        found = lookup.search(live_reference(), lookup.clean_query(" ".join(args.query)), on)
    except InvalidInput as exc:
        err.print(str(exc), markup=False)
        return 2
    if args.format == "json":
        sys.stdout.write(json.dumps(found.as_dict(on), ensure_ascii=False, indent=2) + "\n")
        return 0
    if not found.entries:
        out.print(f"No entry in force on {on.isoformat()} matches {found.query!r}.", markup=False)
        return 0
    for e in found.entries:
        line = f"[bold]{e.code:<8}[/] {escape(e.title)}" + (f"  (in {escape(e.parent)})" if e.parent else "")
        out.print(line)
        out.print(f"         on: {'; '.join(e.lists)}", markup=False)
        for f in e.flags:
            out.print(f"         emerging technology: {f.title} ({', '.join(f.ratings)})", markup=False)
    if found.more:
        out.print(f"The first {len(found.entries)} of {found.total}; add words to narrow the search.")
    return 0


def on_init(out: Console) -> None:
    from warden.flows import law_change
    from warden.legislation import impact, services

    before = services.current_revision()
    rev, created = law_change.load_bundled(actor=system("warden init"))
    state = "loaded" if created else "unchanged"
    out.print(f"Reference data {state}: revision {rev.number} ({rev.digest[:19]}…).")
    run = impact.change_run_for(rev) if created else None
    if run is not None and before is not None:
        # The bundled law changed (an upgrade): law_change.load_bundled queued the re-assessment of open cases and
        # live licences.
        out.print(f"Law-change impact run #{run.pk} queued (or run `warden impact --since {before.number}`).")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("assess", help="assess a warden.application/1 document against the criteria")
    p.add_argument("file", help="application JSON file, or - for stdin")
    p.add_argument("--as-of", help="assess under the law in force on this date (default: today)")
    p.add_argument("--format", choices=["json", "text"], default="json")
    p.set_defaults(func=_cmd_assess)

    p = sub.add_parser("impact", help="what a change of law does to open cases and live licences")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument(
        "--since", type=int, metavar="REVISION", help="compare revision REVISION with the live one"
    )
    g.add_argument("--what-if", nargs="+", metavar="FILE", help="proposed reference files (same YAML format)")
    p.add_argument("--years", type=int, default=3, help="what-if: replay decisions of the last N years")
    p.add_argument("--limit", type=int, default=100, help="rows to print")
    p.set_defaults(func=_cmd_impact)

    p = sub.add_parser("ratings", help="search the control list in force by rating number or words")
    p.add_argument("query", nargs="+", help="a rating number (ML10, 5A002) or words (unmanned aerial)")
    p.add_argument("--as-of", help="the list in force on this date (default: today)")
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.set_defaults(func=_cmd_ratings)

    p = sub.add_parser("reference", help="check or load reference-data files")
    p.add_argument("action", choices=["check", "load"])
    p.add_argument("dir", nargs="?", help="directory with the YAML files (default: the bundled data)")
    p.set_defaults(func=_cmd_reference)
