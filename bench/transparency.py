"""Public dashboard benchmark (issue 12 §2): every figure of /transparency/ over N stored cases.

    .venv/bin/python bench/transparency.py [--n 100000] [--repeat 3]
    WARDEN_DATABASE_URL=postgres://... .venv/bin/python bench/transparency.py ...

Stores N cases with bench/impact.py's generator (bulk inserts; about 25% with a licence, destinations weighted
like a real caseload; no goods lines, so the category figure is empty and cheaper than in real data), then
times warden.transparency.figures.all_figures (the dashboard's queries and redaction, no HTML) unfiltered and
with each kind of filter. The first call also loads the reference data (criteria labels): reported apart.
Without WARDEN_DATABASE_URL it uses a fresh SQLite file under a temporary WARDEN_DATA_DIR."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="cases to store (default 100,000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per filter (the best is reported)")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    if "WARDEN_DATABASE_URL" not in os.environ and "WARDEN_DATA_DIR" not in os.environ:
        os.environ["WARDEN_DATA_DIR"] = tempfile.mkdtemp(prefix="warden-transparency-bench-")
    import impact

    impact.setup()
    from django.db import connection

    from warden.cases.models import Case
    from warden.lib.clock import today
    from warden.licences.models import Licence
    from warden.transparency.figures import all_figures
    from warden.transparency.filters import parse

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, python {platform.python_version()}, "
        f"database {connection.vendor}, load average {os.getloadavg()[0]:.1f}"
    )
    have = Case.objects.count()
    if have < args.n:
        impact.generate(args.n - have, args.seed)
    print(f"stored: {Case.objects.count():,} cases, {Licence.objects.count():,} licences")
    t = time.perf_counter()
    all_figures(parse({})[0])
    print(f"first call (loads the reference data): {time.perf_counter() - t:.2f} s")
    for label, params in (
        ("unfiltered", {}),
        ("region", {"region": "eu"}),
        ("year", {"year": str(today().year)}),
        ("year + region + category", {"year": str(today().year), "region": "middle-east", "category": "ML1"}),
    ):
        f, errors = parse(params)
        assert not errors, errors
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            all_figures(f)
            best = min(best, time.perf_counter() - t)
        print(f"  {label:28} {best:.3f} s (best of {args.repeat})")


if __name__ == "__main__":
    main()
