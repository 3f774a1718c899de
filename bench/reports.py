"""Annual-report benchmark (issue 12): every report kind for one year over N licences.

    .venv/bin/python bench/reports.py [--n 1000000] [--year 2025] [--format json] [--keep DIR]
    WARDEN_DATABASE_URL=postgres://... .venv/bin/python bench/reports.py ...

Generates N finalised cases straight into the tables (typed executemany / COPY through
warden.demo.rawinsert, not through the services: a fixture, not a workflow): 95% licensed, 5% refused
with one to three Common Position criteria, one goods line each across 17 ratings (ML and dual-use),
60 destinations, three currencies; 20% of the licences have a shipment, 1% a suspension and 0.5% a
revocation. Then times `warden reports KIND --year YEAR` for each kind (the same services.generate call),
which must stay under 10 s each: the figures are GROUP BYs in the database, never rows in Python.
Without WARDEN_DATABASE_URL it uses a fresh SQLite file under a temporary WARDEN_DATA_DIR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RATINGS = ["ML1.a", "ML1.b", "ML2.a", "ML3.a", "ML4.a", "ML4.b", "ML5.a", "ML6.a", "ML6.b", "ML9.a",
           "ML10.a", "ML10.b", "ML10.d", "ML11.a", "ML13.d", "5A002", "9A012"]  # fmt: skip
DESTINATIONS = ["US", "FR", "DE", "NO", "GB", "IT", "ES", "NL", "PL", "SE", "CA", "AU", "JP", "KR", "IN", "SA",
                "AE", "QA", "EG", "MA", "DZ", "BR", "CL", "MX", "ZA", "NG", "KE", "SG", "MY", "TH", "ID", "PH",
                "VN", "TR", "IL", "UA", "CH", "AT", "BE", "DK", "FI", "IE", "PT", "GR", "CZ", "SK", "HU",
                "RO", "BG", "HR", "SI", "LT", "LV", "EE", "NZ", "AR", "CO", "KZ", "GE", "PK"]  # fmt: skip
CURRENCIES = [("EUR", 6), ("USD", 3), ("GBP", 1)]
KINDS = ["att", "unroca", "coarm", "national"]


def clock_today() -> dt.date:
    from warden.lib import clock

    return clock.today()


def setup() -> None:
    if "WARDEN_DATABASE_URL" not in os.environ and "WARDEN_DATA_DIR" not in os.environ:
        os.environ["WARDEN_DATA_DIR"] = tempfile.mkdtemp(prefix="warden-reports-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def generate(n: int, year: int, seed: int, batch: int = 20_000) -> None:
    from django.db import transaction

    from warden.accounts.models import Organisation, Role, User
    from warden.cases.models import Case, GoodsLine
    from warden.demo.rawinsert import RawInserter
    from warden.licences.models import Licence, LicenceLine, LicenceTransition, Shipment

    org, _ = Organisation.objects.get_or_create(name="Bench Exporter Ltd", defaults={"country": "GB"})
    user, _ = User.objects.get_or_create(username="bench-officer", defaults={"role": Role.LICENSING_OFFICER})
    from warden.lib import clock

    tz = dt.UTC
    now = clock.now()  # the wall clock for auto_now columns, through the one clock like every other reader
    ins = {
        m: RawInserter(m, now) for m in (Case, GoodsLine, Licence, LicenceLine, Shipment, LicenceTransition)
    }
    rng = random.Random(seed)
    curs = [c for c, w in CURRENCIES for _ in range(w)]
    start = dt.date(year, 1, 1)
    t0 = time.perf_counter()
    for lo in range(0, n, batch):
        rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in ins}
        for i in range(lo + 1, min(n, lo + batch) + 1):
            day = start + dt.timedelta(days=rng.randrange(365))
            submitted = dt.datetime.combine(day, dt.time(9), tz)
            decided = submitted + dt.timedelta(days=rng.randrange(1, 60))
            refused = rng.random() < 0.05
            rating = rng.choice(RATINGS)
            qty = rng.randint(1, 500)
            value = Decimal(rng.randint(1_000, 5_000_000))
            cur = rng.choice(curs)
            dest = rng.choice(DESTINATIONS)
            rows[Case].append({
                "id": i, "reference": f"APP-{year}-B{i:07d}", "organisation_id": org.pk, "created_by_id": user.pk,
                "licence_type": "global" if i % 20 == 0 else ("brokering" if i % 97 == 0 else "individual"),
                "destination": dest, "end_use": "Bench", "status": "finalised" if refused else "licence_issued",
                "document": {"bulk": True}, "submitted_at": submitted, "finalised_at": decided,
                "sla_deadline": day + dt.timedelta(days=28),
                "decision": "refused" if refused else "approved",
                "decision_criteria": sorted(rng.sample([f"EU-CP:{k}" for k in range(1, 9)], rng.randint(1, 3)))
                if refused else [],
            })  # fmt: skip
            rows[GoodsLine].append({"id": i, "case_id": i, "line_no": 0, "description": "Bench goods",
                                    "rating": rating, "quantity": qty, "value_amount": value, "currency": cur})  # fmt: skip
            if refused:
                continue
            valid_from = decided.date()
            rows[Licence].append({"id": i, "case_id": i, "number": f"LIC-B{i:07d}", "status": "issued",
                                  "valid_from": valid_from, "valid_until": valid_from + dt.timedelta(days=730),
                                  "issued_by_id": user.pk})  # fmt: skip
            rows[LicenceLine].append({"id": i, "licence_id": i, "goods_line_id": i, "quantity": qty,
                                      "value_amount": value, "currency": cur})  # fmt: skip
            r = rng.random()
            if r < 0.2:
                rows[Shipment].append({"id": i, "licence_id": i, "line_id": i, "quantity": max(1, qty // 2),
                                       "value_amount": value / 2, "recorded_by_id": user.pk,
                                       "shipped_on": min(valid_from + dt.timedelta(days=30), dt.date(year, 12, 31))})  # fmt: skip
            if r > 0.985:
                to = "revoked" if r > 0.995 else "suspended"
                rows[LicenceTransition].append({"id": i, "licence_id": i, "action": to[:-1].replace("revok", "revoke"),
                                                "from_status": "issued", "to_status": to, "actor_id": user.pk,
                                                "at": decided + dt.timedelta(days=90)})  # fmt: skip
        with transaction.atomic():
            for model in (Case, GoodsLine, Licence, LicenceLine, Shipment, LicenceTransition):
                ins[model](rows[model])
        done = min(n, lo + batch)
        print(
            f"\r  generated {done:,}/{n:,} cases ({done / (time.perf_counter() - t0):,.0f}/s)",
            end="",
            flush=True,
        )
    print()


def cluster_cpu(postmaster_pid: int | None) -> float:
    """CPU seconds used so far by a local PostgreSQL cluster: the postmaster and its live children (the
    backend, parallel workers, autovacuum) plus what its finished children left in its cutime/cstime. The
    server's CPU is what a query costs independent of the other jobs on the machine; wall time under a
    load of 8-15 on two cores is mostly waiting."""
    if postmaster_pid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def times(pid: int, *, children: bool) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        own = int(fields[11]) + int(fields[12])  # utime, stime
        return (own + (int(fields[13]) + int(fields[14]) if children else 0)) / tick

    total = times(postmaster_pid, children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == postmaster_pid:
                total += times(int(entry.name), children=True)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="cases to generate (default 1,000,000)")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--format", default="json", help="csv | json | xlsx | pdf | html (default json)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated report kinds")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--reuse", action="store_true", help="the database already holds the bench caseload")
    parser.add_argument("--repeat", type=int, default=1, help="run each report this many times")
    parser.add_argument(
        "--pg-data", help="the local cluster's data folder (scripts/pg-cluster.sh DIR/data): adds server CPU"
    )
    args = parser.parse_args()
    pm = int(Path(args.pg_data, "postmaster.pid").read_text().split()[0]) if args.pg_data else None
    setup()
    from django.db import connection

    from warden.lib.actors import system
    from warden.licences.models import Licence
    from warden.reports import services

    if not args.reuse:
        from warden.legislation.services import load_bundled

        load_bundled(actor=system("reports bench"))  # the live reference data a real database has
        t = time.perf_counter()
        generate(args.n, args.year, args.seed)
        print(f"  fixture: {time.perf_counter() - t:.1f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # fresh statistics, as after any bulk load
    print(f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs, {connection.vendor}, "
          f"{Licence.objects.count():,} licences, year {args.year}, format {args.format}, "
          f"{clock_today().isoformat()}")  # fmt: skip
    print(
        "| report | wall s | CPU s (client) | CPU s (server) | bytes | load |\n|---|---:|---:|---:|---:|---:|"
    )
    for _ in range(args.repeat):
        for kind in args.kinds.split(","):
            w, c, sc = time.perf_counter(), time.process_time(), cluster_cpu(pm)
            out = services.generate(actor=system("reports bench"), kind=kind, year=args.year, fmt=args.format)
            wall, cpu, scpu = time.perf_counter() - w, time.process_time() - c, cluster_cpu(pm) - sc
            flag = "" if wall < 10 else "  OVER 10 s"
            load = os.getloadavg()[0]
            print(
                f"| {kind} | {wall:.2f} | {cpu:.2f} | {scpu:.2f} | {len(out.content):,} | {load:.1f} |{flag}",
                flush=True,
            )


if __name__ == "__main__":
    main()
