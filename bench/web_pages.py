#!/usr/bin/env python3
"""Server-side cost of the main web pages, in one process, beside a bare Django page that renders 50 rows.

For each page it reports the CPU time per request of this process (time.process_time: Django, templates and
the database client; on SQLite the database engine too), the wall time and the SQL queries: the median of
`--repeat` requests after one warm-up request, the pages taking turns (the median, and turns, because on a
shared machine some requests are stretched by other work). Every request renders the whole page: the queue and case pages use no page or
fragment cache, so there is no cached figure to report (Django's cache is emptied before each request anyway,
so that a cache added later cannot flatter these figures unnoticed).
The bare page (warden.config.bench_views, mounted by the bench URLconf) is the floor: Django + one query +
a template of 50 rows, measured the same way in the same run; the ratio column is uncached CPU / bare CPU.

The caseload is like the demo's: `--demo-cases` cases through the real services (goods, parties, screening
matches, criteria findings, advice, licences; warden.demo.load_demo), topped up to `--cases` by the
benchmark loader (warden.demo.bulk_cases: goods, parties, referrals and the audit entries of their
transitions, no screening). The case page is timed on the demo case with the most findings.

`--instructions N` also counts the instructions of N requests per page under valgrind's callgrind, in a second
process on the same prepared data (bench/_callgrind.py): a figure that, unlike CPU time, does not move with the
load of a shared machine. Only this process's instructions are counted (the SQLite engine runs in it; the
PostgreSQL server does not), and valgrind must be installed.

Usage: python bench/web_pages.py [--cases 100000] [--demo-cases 200] [--repeat 10] [--data-dir DIR]
       [--instructions 20]
Small check: python bench/web_pages.py --cases 2000 --demo-cases 40 --repeat 3 --data-dir $(mktemp -d)
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _once(client: Any, url: str) -> tuple[float, float, int, int]:
    """(CPU s, wall s, queries, status) of one request, Django's cache emptied first."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    c0, w0 = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return time.process_time() - c0, time.perf_counter() - w0, len(captured), response.status_code


def _measure(client: Any, urls: list[str], repeat: int) -> list[dict[str, float]]:
    """Medians per URL. The URLs take turns (round-robin), so that a burst of other work on a shared machine
    lands on every page alike instead of on whichever page was being measured at the time."""
    for url in urls:
        client.get(url)  # warm-up: connections, template loading
    samples: list[list[tuple[float, float, int, int]]] = [[] for _ in urls]
    for _ in range(repeat):
        for i, url in enumerate(urls):
            samples[i].append(_once(client, url))
    return [
        {
            "cpu": statistics.median(s[0] for s in runs) * 1000,
            "wall": statistics.median(s[1] for s in runs) * 1000,
            "queries": sum(s[2] for s in runs) / repeat,
            "status": runs[-1][3],
        }
        for runs in samples
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--demo-cases", type=int, default=200, help="cases made through the services (findings)")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--data-dir", default="/tmp/warden-bench-web")
    ap.add_argument(
        "--instructions", type=int, default=0, help="also count instructions of N requests a page"
    )
    ap.add_argument(
        "--callgrind-child", action="store_true", help=argparse.SUPPRESS
    )  # the run under valgrind
    args = ap.parse_args()
    if args.instructions and not args.callgrind_child:
        from _callgrind import missing

        if why := missing():
            ap.error(f"--instructions: {why}")
    os.environ.setdefault("WARDEN_DATA_DIR", args.data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")
    os.environ["WARDEN_ALLOWED_HOSTS"] = "testserver"
    os.environ["WARDEN_BENCH"] = "1"  # the bench URLconf: the production map plus /_bench/bare/
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from rich.console import Console

    from warden.accounts.models import User
    from warden.cases.models import Case
    from warden.core_cli import init
    from warden.demo import bulk_cases, load_demo

    Path(os.environ["WARDEN_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    init(Console(file=io.StringIO()))
    t0 = time.perf_counter()
    load_demo(out=Console(file=io.StringIO()), cases=args.demo_cases)
    have = Case.objects.count()
    if have < args.cases:
        bulk_cases(args.cases - have, seed=have)
    print(f"caseload ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    officer = User.objects.get(username="officer")
    case = (
        Case.objects.exclude(document__has_key="bulk")
        .annotate(findings=Count("assessments", distinct=True) + Count("screening_matches", distinct=True))
        .order_by("-findings", "-pk")
        .first()
    )
    assert case is not None
    client = Client()
    client.force_login(officer)
    pages = [
        ("bare 50-row page (floor)", "/_bench/bare/"),
        ("queue (open cases, by deadline)", "/cases/"),
        ("queue, overdue only", "/cases/?overdue=on"),
        ("queue, destination + latest first", "/cases/?destination=NO&sort=-deadline"),
        ("queue, page 200", "/cases/?status=&page=200"),
        ("officer dashboard", "/"),
        (f"case page ({case.reference}, demo case)", f"/cases/{case.pk}/"),
    ]
    if args.callgrind_child:
        return _count_instructions(client, [url for _, url in pages], args.instructions)
    load = os.getloadavg()
    print(
        f"{Case.objects.count():,} cases ({args.demo_cases} through the services), {connection.vendor}, "
        f"median of {args.repeat} requests, {os.cpu_count()} cores, load average {load[0]:.1f}"
    )
    print(f"{'page':44s} {'status':>6s} {'CPU ms':>8s} {'x bare':>7s} {'wall ms':>8s} {'queries':>8s}")
    measured = _measure(client, [url for _, url in pages], args.repeat)
    bare_cpu = measured[0]["cpu"]
    for (label, _), m in zip(pages, measured, strict=True):
        print(
            f"{label:44s} {m['status']:>6.0f} {m['cpu']:8.2f} {m['cpu'] / bare_cpu:7.1f}"
            f" {m['wall']:8.2f} {m['queries']:8.1f}"
        )
    engine = ", and the SQLite engine itself" if connection.vendor == "sqlite" else ""
    print(
        f"Medians of {args.repeat} requests, every one a full render (no page or fragment cache). CPU: this "
        f"process (Django, templates, database client{engine})."
    )
    if args.instructions:
        _report_instructions(pages, args)
    return 0


def _count_instructions(client: Any, urls: list[str], n: int) -> int:
    """Under callgrind: per page, one uninstrumented warm-up request, then `n` requests counted as one dump."""
    import tempfile

    from _callgrind import Shim
    from django.core.cache import cache

    shim = Shim(Path(tempfile.mkdtemp(prefix="warden-cgshim-")))
    for i, url in enumerate(urls):
        client.get(url)
        shim.start()
        for _ in range(n):
            cache.clear()
            client.get(url)
        shim.dump(f"page-{i}")
        shim.stop()
    return 0


def _report_instructions(pages: list[tuple[str, str]], args: argparse.Namespace) -> None:
    from _callgrind import run_under_callgrind

    argv = [str(Path(__file__).resolve()), "--callgrind-child", "--data-dir", args.data_dir]
    argv += ["--cases", str(args.cases), "--demo-cases", str(args.demo_cases)]
    argv += ["--instructions", str(args.instructions)]
    counts = run_under_callgrind(argv)
    per_request = [counts[f"page-{i}"] / args.instructions for i in range(len(pages))]
    print(f"\nInstructions per request (callgrind, mean of {args.instructions}, this process only):")
    print(f"{'page':44s} {'M instr':>9s} {'x bare':>7s}")
    for (label, _), instr in zip(pages, per_request, strict=True):
        print(f"{label:44s} {instr / 1e6:9.2f} {instr / per_request[0]:7.2f}")


if __name__ == "__main__":
    sys.exit(main())
