#!/usr/bin/env python3
"""Load test of the production server: readers and writers mixed, several users, per-page percentiles.

With N cases (default 100,000: `--demo-cases` through the services, so with screening matches, findings and
advice, the rest from the benchmark loader), `warden serve` (gunicorn sync workers, bench URLconf) is started
on loopback and `--connections` client threads (default 20) send, for `--duration` seconds:
  90 % reads   queue page /cases/ (officers), case pages /cases/<id>/ (officers, random cases), the status
               API /api/applications/<ref> (exporters' bearer tokens)
  10 % writes  submissions (POST /api/applications/, demo-like documents: they are screened and assessed),
               decisions (POST /api/applications/<ref>/finalise by senior officers on cases under final
               review), match reviews (POST /screening/matches/<id>/decide/ by officers, htmx)
each request as one of several users (every officer, senior officer and exporter of the demo). Then, with no
writes, each of the bare 50-row page (warden.config.bench_views: the floor), the queue page and a case page
alone, for a like-for-like CPU cost per request.

It reports, per page: requests, errors, p50/p95/p99 latency; per phase: the server's CPU time per request
(utime+stime from /proc of every process under `warden serve`: gunicorn master and workers and the task
worker), which, unlike latency, does not depend on how busy a shared machine is. Targets (issue 11): queue
and case page p95 < 100 ms with 20 clients on PostgreSQL at 100,000 cases with 10 % writes; the uncached
queue page at most 2x the bare page's CPU per request.

--soak (issue 14 section 4): instead of the phases above, one mixed phase of --duration seconds in which
oversight also reads (--oversight-share of the reads: portal, indicators, decisions, a case, the search), a
UN list import is committed at a third of the run (its re-screen queued for the server's task worker, as the
UI does) and a law change (the ruleset's version, `warden reference load`) at two thirds; 4xx answers (a decision the screening gate
holds back until the re-screen) are counted apart from errors (5xx, no answer); per-minute throughput; and
`warden audit verify` once the server has stopped.
  python bench/load.py --soak --connections 50 --duration 600 --think-ms 1000 --database-url URL

Usage: python bench/load.py [--cases 100000] [--demo-cases 200] [--duration 15] [--connections 20]
                            [--workers 4] [--database-url URL] [--think-ms 1000]
Small check: python bench/load.py --cases 2000 --demo-cases 40 --duration 3 --data-dir $(mktemp -d)
The client is Python threads on the same machine (loopback only), so it takes some of the CPU too.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _loadprep import PREPARE  # noqa: E402


def prepare(env: dict[str, str], cases: int, demo_cases: int) -> dict[str, Any]:
    """Migrate, load the caseload and return the users' credentials and the pools the clients draw from."""
    pool = max(10, cases // 1000)  # applications naming listed parties: open matches to review
    code = PREPARE.replace("CASES", str(cases)).replace("DEMO", str(demo_cases)).replace("POOL", str(pool))
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def server_cpu_seconds(root: int) -> float:
    """utime + stime of `root` and every process under it (gunicorn master and workers, task worker)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks
    total = 0.0
    for pid, cpu in times.items():
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 1)
        if p == root:
            total += cpu
    return total


# What the oversight committee reads (warden.oversight): its portal, the indicators, the decisions list, a
# case as the committee sees it, and the search over every domain.
OVERSIGHT_PAGES = [
    ("oversight: portal", "/oversight/"),
    ("oversight: indicators", "/oversight/indicators/"),
    ("oversight: decisions", "/oversight/decisions/"),
    ("oversight: case", "/oversight/cases/{}/"),
    ("oversight: search", "/search/?q=bearing"),
]


class Mix:
    """Chooses each request: what, as whom, and its body; thread-safe pools for the writes."""

    def __init__(
        self, info: dict[str, Any], write_share: float, only: str | None = None, oversight_share: float = 0.0
    ) -> None:
        self.info, self.write_share, self.only = info, write_share, only
        self.oversight_share = oversight_share  # of the reads: the committee's pages, read-only
        self.lock = threading.Lock()
        self.final_review = list(info["final_review"])
        self.matches = list(info["open_matches"])
        self.writes = 0

    def _session(self, rng: random.Random) -> dict[str, str]:
        return {"Cookie": f"sessionid={rng.choice(self.info['officer_sessions'])}"}

    def next(self, rng: random.Random) -> tuple[str, str, str, dict[str, str], bytes | None]:
        """(page label, method, path, headers, body)."""
        info = self.info
        if self.only == "bare":
            return "bare 50-row page", "GET", "/_bench/bare/", {}, None
        if self.only == "queue":
            return "queue page", "GET", "/cases/", self._session(rng), None
        if self.only == "case":
            return "case page", "GET", f"/cases/{rng.choice(info['case_ids'])}/", self._session(rng), None
        if rng.random() < self.write_share:
            with self.lock:
                kind = ("submission", "decision", "match review")[self.writes % 3]
                self.writes += 1
                ref = self.final_review.pop() if kind == "decision" and self.final_review else None
                match = self.matches.pop() if kind == "match review" and self.matches else None
            if ref is not None:
                body = {"decision": "approved", "reason": "Bench decision", "justification": "Bench"}
                headers = {"Authorization": f"Bearer {rng.choice(info['senior_tokens'])}"}
                return (
                    "write: decision",
                    "POST",
                    f"/api/applications/{ref}/finalise",
                    headers,
                    json.dumps(body).encode(),
                )
            if match is not None:
                headers = {**self._session(rng), "HX-Request": "true", "X-CSRFToken": info["csrf"]}
                headers["Cookie"] += f"; csrftoken={info['csrf']}"
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body_s = "decision=false_positive&reason=A+different+body+%28bench%29"
                return (
                    "write: match review",
                    "POST",
                    f"/screening/matches/{match}/decide/",
                    headers,
                    body_s.encode(),
                )
            sub = rng.choice(info["submissions"])  # also when the other pools ran dry
            headers = {"Authorization": f"Bearer {sub['token']}", "Content-Type": "application/json"}
            return (
                "write: submission",
                "POST",
                "/api/applications/",
                headers,
                json.dumps(sub["document"]).encode(),
            )
        if self.oversight_share and rng.random() < self.oversight_share:
            label, path = rng.choice(OVERSIGHT_PAGES)
            cookie = {"Cookie": f"sessionid={rng.choice(info['oversight_sessions'])}"}
            if label == "oversight: case":
                path = path.format(rng.choice(info["case_ids"]))
            return label, "GET", path, cookie, None
        r = rng.random()
        if r < 0.4:
            return "queue page", "GET", "/cases/", self._session(rng), None
        if r < 0.8:
            return "case page", "GET", f"/cases/{rng.choice(info['case_ids'])}/", self._session(rng), None
        ref, token = rng.choice(info["status"])
        return "status API", "GET", f"/api/applications/{ref}", {"Authorization": f"Bearer {token}"}, None


def drive(
    port: int, mix: Mix, connections: int, duration: float, think_ms: float = 0
) -> dict[str, dict[str, Any]]:
    """`connections` threads sending requests for `duration` seconds: back to back (a closed loop, so the
    latency is whatever the server's throughput makes it: clients / requests per second), or with a pause of
    0.5-1.5 x `think_ms` between a client's requests, as people reading a page do."""
    results: dict[str, dict[str, Any]] = defaultdict(lambda: {"lat": [], "errors": 0, "refused": 0})
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + duration
    per_minute: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # minute -> [requests, errors]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine: dict[str, dict[str, Any]] = defaultdict(lambda: {"lat": [], "errors": 0, "refused": 0})
        while time.monotonic() < stop:
            label, method, path, headers, body = mix.next(rng)
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # sync workers close anyway
                conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
                resp = conn.getresponse()
                text = resp.read()
                conn.close()
                status = resp.status
            except OSError as exc:
                status, text = 0, str(exc).encode()
            # An error is a 5xx or no answer; a 4xx is a refusal the server explained (a decision the
            # screening gate holds back until the re-screen after a list import, say), counted apart.
            ok = 0 < status < 500
            if 400 <= status < 500:
                mine[label]["refused"] += 1
                mine[label].setdefault("first_refusal", f"{status} " + text[:300].decode("utf-8", "replace"))
            mine[label]["lat"].append((time.perf_counter() - t0) * 1000)
            minute = per_minute[int((time.monotonic() - start) // 60)]
            minute[0] += 1  # a lost increment under the GIL would only blur a figure printed for reading
            minute[1] += 0 if ok else 1
            if not ok:
                mine[label]["errors"] += 1
                mine[label].setdefault("first_error", text[:300].decode("utf-8", "replace"))
            if think_ms:
                time.sleep(think_ms * rng.uniform(0.5, 1.5) / 1000)
        with lock:
            for label, r in mine.items():
                results[label]["lat"] += r["lat"]
                results[label]["errors"] += r["errors"]
                results[label]["refused"] += r["refused"]
                for first in ("first_error", "first_refusal"):
                    if first in r:
                        results[label].setdefault(first, r[first])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out = dict(results)
    out["_per_minute"] = {"minutes": dict(per_minute)}
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")
    )


# The list import of a soak, recorded and its re-screen queued for the server's task worker as the upload page
# does it; PATH is replaced. JOBS reports where the background work stands at the end.
IMPORT = r"""
import django
django.setup()
from pathlib import Path
from warden.flows.rescreening import import_list
from warden.lib.actors import system
v = import_list(actor=system("bench/load.py soak: list import"), list_name="un-sc", fmt="un-xml",
                path=Path(PATH), rescreen="task")
print(f"un-sc v{v.number}: {v.entries_count} entries ({v.added} added, {v.removed} removed), re-screen queued")
"""
JOBS = r"""
import django
django.setup()
from warden.legislation.models import ImpactRun, RunKind
from warden.screening.models import RescreenJob
jobs = RescreenJob.objects.order_by("-pk")[:1]
runs = ImpactRun.objects.filter(kind=RunKind.CHANGE).order_by("-pk")[:1]
print("; ".join([f"re-screen job #{j.pk} {j.state} ({j.cases} cases)" for j in jobs]
                + [f"law-change run #{r.pk} {r.status} ({r.done}/{r.total})" for r in runs]))
"""


class Events(threading.Thread):
    """During a soak: a sanctions list import at a third of the run, whose re-screen of the open cases the
    server's task worker then runs (as after an upload in the UI), and a law change at two thirds: the
    bundled law with the ruleset's version changed (every open case in scope), loaded by `warden reference
    load`, which computes its law-change run in its own process, as an operator does."""

    def __init__(self, env: dict[str, str], duration: float, work: Path) -> None:
        super().__init__(daemon=True)
        self.env, self.duration, self.work = env, duration, work
        self.log: list[str] = []

    def _law_dir(self) -> Path:
        src = ROOT / "warden" / "legislation" / "data"
        d = self.work / f"law-soak-{int(time.time())}"
        shutil.copytree(src, d, dirs_exist_ok=True)
        text = (src / "ruleset.yaml").read_text()
        found = re.search(r'^version: "([^"]+)"$', text, re.M)
        assert found, "ruleset.yaml no longer carries the version line this bench changes"
        (d / "ruleset.yaml").write_text(text.replace(found.group(0), f'version: "{found.group(1)}-soak"', 1))
        return d

    def _run(self, at: float, t0: float, what: str, argv: list[str]) -> None:
        time.sleep(max(0.0, t0 + at - time.monotonic()))
        started = time.monotonic()
        out = subprocess.run(argv, env=self.env, capture_output=True, text=True)
        took = time.monotonic() - started
        tail = (out.stdout + out.stderr).strip().splitlines()[-1:] or [""]
        self.log.append(
            f"{what} at {started - t0:.0f} s: exit {out.returncode}, committed in {took:.1f} s: {tail[0][:200]}"
        )

    def run(self) -> None:
        t0 = time.monotonic()
        un = ROOT / "tests" / "data" / "lists" / "un-consolidated-2020-03-20-excerpt.xml"
        code = IMPORT.replace("PATH", repr(str(un)))
        self._run(self.duration / 3, t0, "list import (UN consolidated)", [sys.executable, "-c", code])
        warden = str(Path(sys.executable).parent / "warden")
        law = [
            warden,
            "reference",
            "load",
            str(self._law_dir()),
        ]  # its run computed in that process, with a bar
        self._run(2 * self.duration / 3, t0, "law change (ruleset version, `warden reference load`)", law)


def wait_up(port: int, timeout: float = 300) -> None:  # collectstatic first: slow on a busy machine
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/_bench/bare/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server did not answer on port {port}")


def phase(
    name: str,
    server: subprocess.Popen[bytes],
    port: int,
    mix: Mix,
    args: argparse.Namespace,
    think_ms: float = 0,
) -> float:
    """Run one phase and print its figures; returns the server's CPU ms per request."""
    drive(port, mix, args.connections, min(3.0, args.duration))  # warm-up: workers' connections, templates
    cpu0 = server_cpu_seconds(server.pid)
    results = drive(port, mix, args.connections, args.duration, think_ms)
    cpu = server_cpu_seconds(server.pid) - cpu0
    minutes = results.pop("_per_minute")["minutes"]
    total = sum(len(r["lat"]) for r in results.values())
    print(f"\n{name}: {total} requests in {args.duration} s = {total / args.duration:.1f} req/s, "
          f"server CPU {cpu * 1000 / max(1, total):.2f} ms per request")  # fmt: skip
    print(
        f"  {'page':<22} {'requests':>8} {'errors':>7} {'4xx':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for label in sorted(results):
        r = results[label]
        print(
            f"  {label:<22} {len(r['lat']):>8} {r['errors']:>7} {r['refused']:>5} {pct(r['lat'], 50):>8.1f} "
            f"{pct(r['lat'], 95):>8.1f} {pct(r['lat'], 99):>8.1f}"
        )
        for first in ("first_error", "first_refusal"):
            if first in r:
                print(f"    {first.replace('_', ' ')}: {r[first]}")
    every = [x for r in results.values() for x in r["lat"]]
    errors = sum(r["errors"] for r in results.values())
    refused = sum(r["refused"] for r in results.values())
    print(
        f"  {'all':<22} {len(every):>8} {errors:>7} {refused:>5} {pct(every, 50):>8.1f} "
        f"{pct(every, 95):>8.1f} {pct(every, 99):>8.1f}"
    )
    if len(minutes) > 1:
        print("  per minute (requests/s, errors): " + ", ".join(
            f"{m}: {n / 60:.1f}/{e}" for m, (n, e) in sorted(minutes.items())
        ))  # fmt: skip
    return cpu * 1000 / max(1, total)


def phases(server: subprocess.Popen[bytes], info: dict[str, Any], args: argparse.Namespace) -> None:
    """Each page alone (reads only), then the mix back to back and, with --think-ms, with a think time."""
    # Reads alone first: background work the writes cause (the task worker) must not land in their CPU.
    cpu: dict[str, float] = {}
    for only in ("bare", "queue", "case"):
        cpu[only] = phase(f"{only} alone, reads only", server, args.port, Mix(info, 0.0, only), args)
    print(
        f"\nserver CPU per request, x bare page: queue {cpu['queue'] / cpu['bare']:.2f}, "
        f"case page {cpu['case'] / cpu['bare']:.2f} (target for the queue: at most 2)"
    )
    mixed = f"mixed, {args.write_share:.0%} writes"
    writes = Mix(info, args.write_share)  # one set of pools: a case is decided and a match reviewed once
    phase(f"{mixed}, back to back (closed loop)", server, args.port, writes, args)
    if args.think_ms:
        name = f"{mixed}, think time {args.think_ms:.0f} ms"
        phase(name, server, args.port, writes, args, args.think_ms)


def soak(
    server: subprocess.Popen[bytes], info: dict[str, Any], env: dict[str, str], args: argparse.Namespace
) -> None:
    """One mixed phase of --duration seconds (issue 14 section 4): exporters submitting and reading their
    status, officers deciding and reviewing matches, oversight reading, a list import and a law change
    part-way through; then `warden audit verify` once the server has stopped."""
    events = Events(env, args.duration, Path(args.data_dir))
    events.start()
    mix = Mix(info, args.write_share, oversight_share=args.oversight_share)
    phase(f"soak, {args.write_share:.0%} writes, {args.oversight_share:.0%} of reads oversight", server,
          args.port, mix, args, args.think_ms)  # fmt: skip
    events.join(timeout=900)  # the law change's run may outlast the clients: waited for, then reported
    for line in events.log:
        print(f"  during the run: {line}")
    out = subprocess.run([sys.executable, "-c", JOBS], env=env, capture_output=True, text=True)
    print(f"  background work at the end: {(out.stdout or out.stderr).strip()[-300:]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--demo-cases", type=int, default=200)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--write-share", type=float, default=0.10)
    ap.add_argument(
        "--think-ms", type=float, default=0, help="also run the mixed phase with this pause between requests"
    )
    ap.add_argument(
        "--soak", action="store_true", help="one long mixed phase with an import and a law change"
    )
    ap.add_argument("--oversight-share", type=float, default=0.15, help="soak: share of reads by oversight")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--data-dir", default=str(ROOT / "var" / "bench-load"))
    args = ap.parse_args()

    env = dict(os.environ, WARDEN_DATA_DIR=args.data_dir, WARDEN_BENCH="1")
    env["DJANGO_SETTINGS_MODULE"] = "warden.config.settings"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    if args.database_url:
        env["WARDEN_DATABASE_URL"] = args.database_url
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    info = prepare(env, args.cases, args.demo_cases)
    print(f"database ready: {info['cases']:,} cases ({time.monotonic() - t0:.0f} s)", file=sys.stderr)

    warden = str(Path(sys.executable).parent / "warden")
    serve = [warden, "serve", "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers)]
    server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    load_before = os.getloadavg()
    try:
        wait_up(args.port)
        print(
            f"{info['cases']:,} cases ({args.demo_cases} through the services), {args.connections} clients, "
            f"{args.workers} gunicorn sync workers, {os.cpu_count()} cores, "
            f"{'PostgreSQL' if args.database_url.startswith('postgres') else 'SQLite'} (no page cache)"
        )
        if args.soak:
            soak(server, info, env, args)
        else:
            phases(server, info, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()
    if args.soak:  # after the server (and its task worker) stopped: the log as the run left it
        warden = str(Path(sys.executable).parent / "warden")
        out = subprocess.run([warden, "audit", "verify"], env=env, capture_output=True, text=True)
        print(
            f"\nwarden audit verify: exit {out.returncode}: "
            + " ".join((out.stdout + out.stderr).split())[:400]
        )
    print(
        f"\nload average before {load_before[0]:.1f}, after {load_after[0]:.1f} (1-minute; above "
        f"{os.cpu_count()} the server shares the cores with other work: trust the CPU figures over latency)"
    )


if __name__ == "__main__":
    main()
