"""Law-change impact benchmark (issue 3): one new embargo over N stored applications and licences.

    .venv/bin/python bench/impact.py [--n 1000000] [--target BR] [--keep]
    WARDEN_DATABASE_URL=postgres://... .venv/bin/python bench/impact.py ...

Generates N cases (bulk inserts straight into the tables, through executemany: about 30% open, 25% with
a live licence, the rest decided or closed; destinations weighted like a real caseload; 10% with a broker or
intermediary in a third country), loads the bundled reference data as revision 1, then a revision 2 that
adds a UN arms embargo on --target, and times `law_change.execute` (the same code as `warden impact --since 1`):
scoping the change, finding the candidate open cases and live licences, re-assessing them under both
revisions and writing the review queue. Without WARDEN_DATABASE_URL it uses a fresh SQLite file under a
temporary WARDEN_DATA_DIR.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STATUSES = [
    ("submitted", 10),
    ("initial_checks", 10),
    ("consultation", 5),
    ("under_final_review", 5),
    ("licence_issued", 25),
    ("finalised", 25),
    ("closed", 10),
    ("withdrawn", 10),
]


def setup() -> None:
    if "WARDEN_DATABASE_URL" not in os.environ and "WARDEN_DATA_DIR" not in os.environ:
        os.environ["WARDEN_DATA_DIR"] = tempfile.mkdtemp(prefix="warden-impact-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _prepared_row(obj: Any, fields: list[Any], connection: Any) -> list[Any]:
    return [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]


def generate(n: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from engine import COMMON, RISKY, make_application

    from warden.accounts.models import Organisation, Role, User
    from warden.cases.models import Case, Party
    from warden.licences.models import Licence, new_verification_code

    org, _ = Organisation.objects.get_or_create(name="Bench Exporter Ltd", defaults={"country": "GB"})
    user, _ = User.objects.get_or_create(
        username="bench-exporter", defaults={"role": Role.EXPORTER, "organisation": org}
    )
    now = timezone.now()
    rng = random.Random(seed)
    names, weights = zip(*STATUSES, strict=True)

    case_fields = [f for f in Case._meta.local_concrete_fields]
    party_fields = [f for f in Party._meta.local_concrete_fields if f.name != "id"]
    lic_fields = [f for f in Licence._meta.local_concrete_fields if f.name != "id"]
    col = connection.ops.quote_name

    def insert_sql(model: Any, fields: list[Any]) -> str:
        cols = ", ".join(col(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        return f"INSERT INTO {col(model._meta.db_table)} ({cols}) VALUES ({marks})"

    case_sql, party_sql, lic_sql = (
        insert_sql(Case, case_fields),
        insert_sql(Party, party_fields),
        insert_sql(Licence, lic_fields),
    )
    template = Case(
        reference="x",
        organisation=org,
        created_by=user,
        licence_type="individual",
        destination="NO",
        end_use="x",
        status="submitted",
        document={},
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    base = _prepared_row(template, case_fields, connection)
    idx = {f.attname: i for i, f in enumerate(case_fields)}
    ptemplate = Party(
        case_id=0,
        index=0,
        role="end_user",
        party_type="organisation",
        sector="armed_forces",
        name="x",
        country="NO",
    )
    pbase = _prepared_row(ptemplate, party_fields, connection)
    pidx = {f.attname: i for i, f in enumerate(party_fields)}
    ltemplate = Licence(
        case_id=0,
        number="x",
        valid_from=now.date(),
        valid_until=now.date() + dt.timedelta(days=700),
        issued_by=user,
        issued_at=now,
    )
    lbase = _prepared_row(ltemplate, lic_fields, connection)
    lidx = {f.attname: i for i, f in enumerate(lic_fields)}
    doc_field = Case._meta.get_field("document")

    start = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    batch, t0, done = 20000, time.perf_counter(), 0
    while done < n:
        size = min(batch, n - done)
        cases, parties, licences = [], [], []
        for k in range(size):
            pk = start + done + k
            doc = make_application(rng, pk)
            doc["reference"] = f"BENCH-{pk:08d}"
            status = rng.choices(names, weights)[0]
            row = list(base)
            row[idx["id"]] = pk
            row[idx["reference"]] = doc["reference"]
            row[idx["destination"]] = doc["destination"]
            row[idx["licence_type"]] = doc["licence_type"]
            row[idx["status"]] = status
            row[idx["document"]] = doc_field.get_db_prep_save(doc, connection)
            cases.append(row)
            for i, p in enumerate(doc["parties"]):
                prow = list(pbase)
                prow[pidx["case_id"]], prow[pidx["index"]], prow[pidx["role"]] = pk, i, p["role"]
                prow[pidx["sector"]], prow[pidx["country"]], prow[pidx["name"]] = (
                    p["sector"],
                    p["country"],
                    p["name"],
                )
                parties.append(prow)
            if status == "licence_issued":
                lrow = list(lbase)
                lrow[lidx["case_id"]], lrow[lidx["number"]] = pk, f"LIC-B-{pk:08d}"
                lrow[lidx["verification_code"]] = new_verification_code()  # unique: not the template's
                licences.append(lrow)
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(case_sql, cases)
            cur.executemany(party_sql, parties)
            if licences:
                cur.executemany(lic_sql, licences)
        done += size
        rate = done / (time.perf_counter() - t0)
        print(f"\r  generated {done:,}/{n:,} cases ({rate:,.0f}/s)", end="", flush=True)
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('cases_case','id'), (SELECT max(id) FROM cases_case))"
            )
            cur.execute("ANALYZE")
    _ = COMMON, RISKY, json


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--target", default="BR", help="country that gets a new UN arms embargo")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument(
        "--full",
        action="store_true",
        help="change a rule instead (cannot be scoped to countries: every open case and live licence)",
    )
    args = ap.parse_args()
    setup()
    from django.db import connection

    from warden.cases.models import Case
    from warden.flows import law_change
    from warden.legislation import impact, services
    from warden.legislation.loader import normalise, read_bundle
    from warden.legislation.models import RevisionSource
    from warden.legislation.tests.support import bundle_with_embargo
    from warden.lib import clock
    from warden.lib.actors import system
    from warden.licences.models import Licence

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, python {platform.python_version()}, "
        f"database {connection.vendor}, load average {os.getloadavg()[0]:.1f}"
    )
    have = Case.objects.count()
    if have < args.n:
        t = time.perf_counter()
        generate(args.n - have, args.seed)
        print(f"  generation took {time.perf_counter() - t:.0f} s")
    print(f"stored: {Case.objects.count():,} cases, {Licence.objects.count():,} licences")
    rev1, _ = services.load_bundled(actor=system("benchmark"))
    base = normalise(read_bundle())
    if args.full:
        changed = copy.deepcopy(base)
        rule = next(r for r in changed["ruleset"]["rules"] if r["id"] == "euc.re_export")
        rule["citation"] += f" (benchmark {time.time_ns()})"
    else:
        changed = bundle_with_embargo(
            base,
            args.target,
            clock.today() - dt.timedelta(days=1),
            eid=f"bench-{args.target.lower()}-{time.time_ns()}",
        )
    rev2, created = services.load_reference(
        actor=system("benchmark"),
        bundle=changed,
        source=RevisionSource.UPLOAD,
        note="benchmark change",
    )
    # The run load_reference wrote with the revision (it also re-assesses the open cases in scope).
    run = impact.change_run_for(rev2) or impact.create_change_run(
        actor=system("benchmark"), from_revision=rev1, to_revision=rev2
    )
    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    c0 = time.process_time()

    def progress(done: int, total: int) -> None:
        if not marks:
            marks.append(("candidates found", time.perf_counter() - t0))

    run = law_change.execute(run, on_progress=progress)
    total = time.perf_counter() - t0
    cpu = time.process_time() - c0
    what = "a changed rule (full pass)" if args.full else f"a new embargo on {args.target}"
    print(f"impact of {what}: {total:.2f} s wall ({cpu:.2f} s CPU in this process)")
    if marks:
        print(
            f"  scoping + candidate queries: {marks[0][1]:.2f} s; re-assessing {run.total:,} candidates "
            f"(twice: before and after) and writing the queue: {total - marks[0][1]:.2f} s"
        )
    print(
        f"  {run.total:,} open cases and live licences re-assessed; {run.affected:,} change "
        f"(review queue rows written)"
    )
    # Back to revision 1 for the next run on the same database.
    services.load_reference(
        actor=system("benchmark"),
        bundle=base,
        source=RevisionSource.UPLOAD,
        note="benchmark reset",
    )


if __name__ == "__main__":
    main()
