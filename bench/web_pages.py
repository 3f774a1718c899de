#!/usr/bin/env python3
"""Server-side cost of the main web pages with a large caseload, without HTTP or concurrency: for each page,
the mean time of a request through Django's test client and the number of SQL queries it made.

It fills a throwaway SQLite database (or WARDEN_DATABASE_URL) with N synthetic cases by bulk insert (not
through the services: only the queue and dashboard queries matter here), then times the officer's queue
(default, filtered, deep page), the officer's dashboard and a case page. Use bench/load.py for throughput
and latency percentiles under concurrent load.

Usage: python bench/web_pages.py [--cases 100000] [--repeat 10] [--data-dir /tmp/warden-bench-web]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--data-dir", default="/tmp/warden-bench-web")
    args = ap.parse_args()
    os.environ.setdefault("WARDEN_DATA_DIR", args.data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")
    os.environ["WARDEN_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from warden.accounts.models import Organisation, Role, Team, User
    from warden.cases.models import Case, Status

    Path(os.environ["WARDEN_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    org, _ = Organisation.objects.get_or_create(name="Bench Exporter Ltd")
    authority, _ = Organisation.objects.get_or_create(
        name="Bench Authority", kind=Organisation.Kind.AUTHORITY
    )
    team, _ = Team.objects.get_or_create(code="licensing", defaults={"name": "Licensing Unit"})
    officer = User.objects.filter(username="bench-officer").first() or User.objects.create_user(
        "bench-officer", password=None, role=Role.LICENSING_OFFICER, organisation=authority, team=team
    )
    have = Case.objects.count()
    if have < args.cases:
        t0 = time.perf_counter()
        rnd = random.Random(have)
        statuses = [
            Status.SUBMITTED, Status.INITIAL_CHECKS, Status.CONSULTATION, Status.UNDER_FINAL_REVIEW,
            Status.FINALISED, Status.LICENCE_ISSUED, Status.CLOSED, Status.WITHDRAWN,
        ]  # fmt: skip
        from warden.lib import clock

        today = clock.today()
        batch: list[Case] = []
        for i in range(have, args.cases):
            batch.append(
                Case(
                    reference=f"BENCH-{i:07d}",
                    organisation=org,
                    created_by=officer,
                    licence_type=rnd.choice(["individual", "global", "brokering"]),
                    destination=rnd.choice(["NO", "SE", "FR", "IN", "SA", "AE", "JP"]),
                    end_use="Bench",
                    status=rnd.choice(statuses),
                    document={"format": "warden.application/1", "padding": "x" * 2000},
                    team=team,
                    case_officer=officer if i % 9 == 0 else None,
                    sla_deadline=today + dt.timedelta(days=rnd.randint(-20, 60)),
                )
            )
            if len(batch) == 5000:
                Case.objects.bulk_create(batch)
                batch = []
        Case.objects.bulk_create(batch)
        print(f"inserted {args.cases - have} cases in {time.perf_counter() - t0:.1f} s")
    case = Case.objects.order_by("-id").first()
    assert case is not None
    client = Client()
    client.force_login(officer)
    pages = [
        ("queue (open cases, by deadline)", "/cases/"),
        ("queue, overdue only", "/cases/?overdue=on"),
        ("queue, destination + latest first", "/cases/?destination=NO&sort=-deadline"),
        ("queue, page 200", "/cases/?status=&page=200"),
        ("officer dashboard", "/"),
        ("case page", f"/cases/{case.pk}/"),
    ]
    print(f"{Case.objects.count()} cases, {connection.vendor}, mean of {args.repeat} requests")
    print(f"{'page':38s} {'status':>6s} {'ms':>8s} {'queries':>8s}")
    for label, url in pages:
        client.get(url)  # warm caches
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
        ms = (time.perf_counter() - t0) / args.repeat * 1000
        print(f"{label:38s} {response.status_code:>6d} {ms:8.1f} {len(queries):>8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
