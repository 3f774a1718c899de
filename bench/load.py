#!/usr/bin/env python3
"""Load test of the production server (issue 2).

With N cases in the database (default 100,000), `warden serve` (gunicorn sync workers) is started on
loopback and wrk drives 20 concurrent connections at each endpoint in turn:
  queue   /cases/                      the officer's queue page (50 rows, filters, deadlines)
  case    /cases/<id>/                 a case page
  status  /api/applications/<ref>      the status API with an exporter's bearer token
  bare    /_bench/bare/                a bare Django page rendering the same 50 rows (the floor)
and prints requests/s and p50/p95/p99 latency per endpoint. Targets (2-core machine): case page and status
API p95 under 50 ms; queue page throughput at least 60 % of the bare page's.

Usage: python bench/load.py [--cases 100000] [--duration 15] [--database-url URL] [--workers 4]
                            [--no-page-cache]
Needs Debian's wrk (apt-get install wrk). Only loopback traffic; every run is bounded by --duration.

The machine may be shared: besides latency it prints the CPU time the gunicorn processes spent per request
(from /proc, independent of how busy the machine is) and the load average before and after. --no-page-cache
measures the pages without warden.web.pagecache (every request renders, as after a change).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = r"""
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
    .. '"p50": %.3f, "p95": %.3f, "p99": %.3f}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def prepare(env: dict[str, str], cases: int) -> dict[str, str]:
    """Migrate, fill the database to `cases` cases and make an officer session and an exporter token."""
    code = f"""
import json, django
django.setup()
from warden.core_cli import init
from rich.console import Console
init(Console(stderr=True, quiet=True))
from warden.cases.models import Case
from warden.demo import bulk_cases
have = Case.objects.count()
if have < {cases}:
    bulk_cases({cases} - have, seed=have)
from importlib import import_module
from django.conf import settings as _s
SessionStore = import_module(_s.SESSION_ENGINE).SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from warden.accounts.models import User, Role, ApiToken
officer = User.objects.filter(role=Role.LICENSING_OFFICER).order_by("id").first()
s = SessionStore()
s[SESSION_KEY] = str(officer.pk)
from django.conf import settings
s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
s[HASH_SESSION_KEY] = officer.get_session_auth_hash()
s.create()
case = Case.objects.exclude(status="draft").order_by("-id").first()
exporter = User.objects.filter(role=Role.EXPORTER, organisation=case.organisation).first()
token = ApiToken.generate()
ApiToken.objects.create(user=exporter, name="bench", prefix=token[:12], digest=ApiToken.digest_of(token))
print(json.dumps({{"session": s.session_key, "case_id": case.pk, "reference": case.reference,
                  "token": token, "cases": Case.objects.count()}}))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_up(url: str, timeout: float = 300) -> None:  # collectstatic first: slow on a busy machine
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def run_wrk(url: str, headers: list[str], duration: int, connections: int, lua: str) -> dict[str, float]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", lua]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    result = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def server_cpu_seconds(root: int) -> float:
    """utime + stime of every gunicorn process under `root` (master and workers; not the task worker)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        if b"gunicorn" in cmdline:
            times[pid] = (int(fields[11]) + int(fields[12])) / ticks
    total = 0.0
    for pid, cpu in times.items():
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 1)
        if p == root:
            total += cpu
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--data-dir", default=str(ROOT / "var" / "bench-load"))
    ap.add_argument("--no-page-cache", action="store_true", help="serve with WARDEN_PAGE_CACHE=0")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")

    env = dict(
        os.environ,
        WARDEN_DATA_DIR=args.data_dir,
        WARDEN_BENCH="1",
        DJANGO_SETTINGS_MODULE="warden.config.settings",
    )
    if args.database_url:
        env["WARDEN_DATABASE_URL"] = args.database_url
    if args.no_page_cache:
        env["WARDEN_PAGE_CACHE"] = "0"
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    info = prepare(env, args.cases)
    print(f"database ready: {info['cases']:,} cases ({time.monotonic() - t0:.0f} s)", file=sys.stderr)

    warden = str(Path(sys.executable).parent / "warden")
    server = subprocess.Popen(
        [warden, "serve", "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_up(base + "/_bench/bare/")
        cookie = f"Cookie: sessionid={info['session']}"
        endpoints = [
            ("queue page", f"{base}/cases/", [cookie]),
            ("case page", f"{base}/cases/{info['case_id']}/", [cookie]),
            (
                "status API",
                f"{base}/api/applications/{info['reference']}",
                [f"Authorization: Bearer {info['token']}"],
            ),
            ("bare 50-row page", f"{base}/_bench/bare/", []),
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(LUA)
        results = {}
        load_before = os.getloadavg()
        for name, url, headers in endpoints:
            run_wrk(url, headers, 3, args.connections, fh.name)  # warm-up: workers' connections and caches
            cpu0 = server_cpu_seconds(server.pid)
            results[name] = run_wrk(url, headers, args.duration, args.connections, fh.name)
            results[name]["cpu_ms"] = (
                (server_cpu_seconds(server.pid) - cpu0) * 1000 / max(1, results[name]["requests"])
            )
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\n{info['cases']:,} cases, {args.connections} concurrent connections, {args.duration} s each, "
        f"{args.workers} gunicorn sync workers, {os.cpu_count()} cores, "
        f"{'PostgreSQL' if args.database_url.startswith('postgres') else 'SQLite'}"
        f"{', page cache off' if args.no_page_cache else ''}"
    )
    print(
        f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} "
        f"(1-minute; above {os.cpu_count()} the server shares the cores with other work)"
    )
    print(
        f"{'endpoint':<18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'server CPU ms/req':>18}"
    )
    for name, r in results.items():
        print(
            f"{name:<18} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
            f"{int(r['errors'] + r['non2xx']):>7} {r['cpu_ms']:>18.2f}"
        )
    ratio = results["queue page"]["rps"] / results["bare 50-row page"]["rps"]
    print(f"\nqueue page throughput = {ratio:.0%} of the bare page's (target >= 60 %)")
    for name in ("case page", "status API"):
        ok = "meets" if results[name]["p95"] < 50 else "MISSES"
        print(f"{name} p95 {results[name]['p95']:.1f} ms {ok} the 50 ms target")


if __name__ == "__main__":
    main()
