"""Control-list look-up benchmark (issue 13): building the index once per reference snapshot, then the time
of one search over codes, titles and entry texts.

    .venv/bin/python bench/lookup.py [--repeat 200]

Pure Python, no database: the bundled reference (warden/legislation/data) read once; the queries are what an
exporter types into a goods line's "Find a rating" box (numbers, partial numbers, one or more words).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")

QUERIES = [
    "ML10",
    "5A0",
    "5A002.a.1",
    "unmanned",
    "night vision",
    "suppressors calibre",
    "aircraft components",
    "equipment",
    "machine tools",
    "cryptography",
    "thermal imaging cameras",
    "x",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    import django

    django.setup()
    from warden.legislation import lookup
    from warden.legislation.loader import read_bundle
    from warden.rules.reference import Reference

    on = dt.date(2026, 12, 6)
    ref = Reference(read_bundle())
    t0 = time.perf_counter()
    lookup.search(ref, "ML10", on)  # builds the index and the word table
    build_ms = (time.perf_counter() - t0) * 1000
    entries = len(ref.memo[("legislation.lookup.index",)])
    words = len(ref.memo[("legislation.lookup.words",)].vocabulary)
    print(f"{platform.python_version()} {platform.machine()}; {entries} entries, {words} distinct words")
    print(f"index built once per snapshot: {build_ms:.1f} ms")
    print(f"{'query':<24} {'mean ms':>8} {'p95 ms':>8} {'hits':>5}")
    for q in QUERIES:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            found = lookup.search(ref, q, on)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{q:<24} {statistics.mean(times):>8.3f} {p95:>8.3f} {found.total:>5}")


if __name__ == "__main__":
    main()
