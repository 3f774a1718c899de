"""Criteria engine benchmark (issue 3): assessments per second per core on realistic applications.

    .venv/bin/python bench/engine.py [--n 20000] [--procs 2] [--seed 1]

Applications are generated like the caseload: destinations weighted toward common customers with a share
of embargoed and high-risk ones, 1-4 goods lines (military, dual-use, unlisted), 1-4 parties (end user,
consignee, sometimes a broker or intermediary in a third country), with or without an end-user certificate,
assessed as of dates spread over 2015-2026. Each assessment is the full warden.assessment/1 document
serialised to canonical bytes (what `warden assess` prints). Single-process figure = per core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COMMON = [
    "NO",
    "FR",
    "DE",
    "GB",
    "US",
    "AU",
    "CA",
    "JP",
    "KR",
    "SE",
    "PL",
    "NL",
    "IT",
    "ES",
    "CH",
    "BR",
    "IN",
    "SA",
    "AE",
    "QA",
    "EG",
    "SG",
    "TR",
    "IL",
    "UA",
    "MX",
    "ZA",
    "TH",
    "ID",
    "MY",
    "PH",
    "KZ",
    "GE",
]
RISKY = [
    "LY",
    "IR",
    "RU",
    "CN",
    "SY",
    "VE",
    "MM",
    "BY",
    "KP",
    "SS",
    "SD",
    "CF",
    "CD",
    "SO",
    "HT",
    "YE",
    "IQ",
    "LB",
    "AF",
    "ZW",
    "AM",
    "AZ",
    "PK",
    "ET",
    "NG",
]
RATINGS = [
    "ML1.a",
    "ML2.a",
    "ML3.a",
    "ML4.a",
    "ML5.b",
    "ML6.a",
    "ML7.e",
    "ML8.a",
    "ML9.a",
    "ML10.a",
    "ML10.b",
    "ML10.d",
    "ML11.a",
    "ML13.d",
    "ML15.d",
    "ML21.a",
    "ML22.a",
    "3A001",
    "5A002",
    "5A001.j",
    "4A005",
    "6A003",
    "9A012",
    "1C350",
    "0B001",
    "9A120",
    "NLR",
]
SECTORS = ["armed_forces"] * 5 + [
    "police",
    "government",
    "government",
    "commercial",
    "commercial",
    "unknown",
    "non_state_armed_group",
]


def make_application(rng: random.Random, i: int) -> dict[str, Any]:
    dest = rng.choice(COMMON) if rng.random() < 0.8 else rng.choice(RISKY)
    goods = [
        {
            "description": f"Item {j}",
            "rating": rng.choice(RATINGS),
            "quantity": rng.randint(1, 500),
            "value": {"amount": rng.randint(1000, 5_000_000), "currency": "EUR"},
        }
        for j in range(rng.randint(1, 4))
    ]
    parties = [
        {
            "role": "end_user",
            "type": "organisation",
            "sector": rng.choice(SECTORS),
            "name": f"End user {i}",
            "country": dest,
        }
    ]
    if rng.random() < 0.7:
        parties.append(
            {
                "role": "consignee",
                "type": "organisation",
                "sector": "commercial",
                "name": "Consignee",
                "country": dest,
            }
        )
    ltype = rng.choices(["individual", "global", "brokering", "transit", "temporary"], [70, 10, 8, 7, 5])[0]
    if ltype in ("brokering", "transit") or rng.random() < 0.1:
        parties.append(
            {
                "role": "broker" if ltype == "brokering" else "intermediary",
                "type": "organisation",
                "sector": "commercial",
                "name": "Third party",
                "country": rng.choice(COMMON + RISKY),
            }
        )
    doc: dict[str, Any] = {
        "format": "warden.application/1",
        "reference": f"APP-BENCH-{i:07d}",
        "licence_type": ltype,
        "exporter": {"name": "Exporter", "country": "GB"},
        "destination": dest,
        "end_use": "Equipment for the end user's own use",
        "goods": goods,
        "parties": parties,
    }
    if rng.random() < 0.85:
        doc["end_user_certificate"] = {
            "number": f"EUC-{i}",
            # Before every assessment date (2015-2025): a certificate dated after the assessment is a finding
            # (euc.issue_date), which real caseloads rarely have.
            "issued_on": "2014-12-01",
            "re_export": rng.choice(["prohibited", "with_consent", "permitted"]),
            "delivery_verification": rng.random() < 0.6,
            "post_shipment_verification": rng.random() < 0.3,
        }
    return doc


def _work(args: tuple[int, int, int]) -> tuple[int, float, dict[str, int]]:
    from warden.legislation.loader import bundled_reference
    from warden.rules.evaluate import assess
    from warden.rules.model import Application

    n, seed, _ = args
    rng = random.Random(seed)
    ref = bundled_reference()
    apps = [Application.from_document(make_application(rng, i)) for i in range(n)]
    dates = [dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4000)) for _ in range(n)]
    from warden.rules.evaluate import to_bytes

    recs: dict[str, int] = {}
    c0 = time.process_time()
    t0 = time.perf_counter()
    for app, on in zip(apps, dates, strict=True):
        doc = assess(app, ref, on)
        to_bytes(doc)
        recs[doc["recommendation"]] = recs.get(doc["recommendation"], 0) + 1
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return n, wall, {**recs, "_cpu_ms": int(cpu * 1000)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--procs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, python {platform.python_version()}")
    _work((500, args.seed + 99, 0))  # warm-up (imports, data loading, caches)
    n, secs, recs = _work((args.n, args.seed, 0))
    cpu = recs.pop("_cpu_ms") / 1000
    print(
        f"1 process : {n} assessments in {secs:.2f} s wall = {n / secs:,.0f}/s; CPU time {cpu:.2f} s = "
        f"{n / cpu:,.0f} assessments/s per core (CPU time is the fair figure on a shared machine)"
    )
    print(f"            load average {os.getloadavg()[0]:.1f}; recommendations: {dict(sorted(recs.items()))}")
    if args.procs > 1:
        with mp.get_context("fork").Pool(args.procs) as pool:
            t0 = time.perf_counter()
            results = pool.map(_work, [(args.n, args.seed + k, k) for k in range(args.procs)])
            wall = time.perf_counter() - t0
        total = sum(r[0] for r in results)
        per_core = [r[0] / (r[2]["_cpu_ms"] / 1000) for r in results]
        print(
            f"{args.procs} processes: {total} assessments; per-process rates "
            f"{', '.join(f'{r:,.0f}/s' for r in per_core)} (CPU time); together {total / wall:,.0f}/s wall "
            "incl. start-up"
        )


if __name__ == "__main__":
    main()
