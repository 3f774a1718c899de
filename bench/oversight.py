#!/usr/bin/env python3
"""Cost of the oversight side on a large caseload: each integrity indicator, the search, the portal's lists
and the audit page's filters, one process, wall time and SQL queries per request (mean of --repeat).

The caseload is the demo's (`--demo-cases` through the real services: decisions, licences, screening) topped
up to `--cases` by the benchmark loader (warden.demo.bulk_cases: submitted to under-final-review cases with
goods, parties and their audit entries).

Usage: python bench/oversight.py [--cases 100000] [--demo-cases 100] [--repeat 5] [--data-dir DIR]
Small check: python bench/oversight.py --cases 2000 --demo-cases 20 --repeat 2 --data-dir $(mktemp -d)
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--demo-cases", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data-dir", default="/tmp/warden-bench-oversight")
    args = ap.parse_args()
    os.environ.setdefault("WARDEN_DATA_DIR", args.data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")
    os.environ["WARDEN_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from rich.console import Console

    from warden.accounts.models import Role, User
    from warden.cases.models import Case
    from warden.core_cli import init
    from warden.demo import bulk_cases, load_demo
    from warden.oversight import indicators
    from warden.web import pagecache

    Path(os.environ["WARDEN_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    init(Console(file=io.StringIO()))
    t0 = time.perf_counter()
    if not Case.objects.exists():
        load_demo(out=Console(file=io.StringIO()), cases=args.demo_cases)
    have = Case.objects.count()
    if have < args.cases:
        bulk_cases(args.cases - have, seed=have)
    print(f"caseload ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    load = os.getloadavg()
    print(
        f"{Case.objects.count():,} cases, {connection.vendor}, mean of {args.repeat}, "
        f"{os.cpu_count()} cores, load average {load[0]:.1f}"
    )
    print(f"{'what':52s} {'wall ms':>9s} {'queries':>8s} {'hits/status':>11s}")
    for ident in indicators.COMPUTE:
        wall, hits = 0.0, 0
        for _ in range(args.repeat):
            w0 = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                hits = len(indicators.compute(ident).hits)
            wall += time.perf_counter() - w0
        print(f"{'indicator ' + ident:52s} {wall / args.repeat * 1000:9.1f} {len(captured):8d} {hits:11d}")
    reader = User.objects.filter(role=Role.OVERSIGHT, is_active=True).first()
    assert reader is not None, "the demo has an oversight user"
    client = Client()
    client.force_login(reader)
    pages = [
        ("marker: latest non-read audit entry", None),
        ("portal index", "/oversight/"),
        ("search: party name", "/search/?q=agency"),
        ("search: rating + destination", "/search/?rating=ML10.d&destination=NO"),
        ("search: parties, page 50", "/search/?kind=parties&page=50"),
        ("search: licences", "/search/?kind=licences"),
        ("decisions against the engine", "/oversight/decisions/?against=yes"),
        ("indicators page (all six)", "/oversight/indicators/"),
        ("screening queue, open cases", "/screening/"),
        ("audit log, by a person's name", "/audit/?actor=officer"),
        ("audit log, action in words", "/audit/?action=Decision+issued"),
    ]
    with override_settings(PAGE_CACHE=False):
        for label, url in pages:
            wall, status = 0.0, 0
            for _ in range(args.repeat):
                w0 = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    if url is None:
                        pagecache.global_marker()
                    else:
                        status = client.get(url).status_code
                wall += time.perf_counter() - w0
            print(f"{label:52s} {wall / args.repeat * 1000:9.1f} {len(captured):8d} {status:11d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
