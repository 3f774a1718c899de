#!/usr/bin/env python3
"""Fault injection: kill -9 at random (seeded) points, restart, and check that nothing is lost or half-written.

On a fresh data directory (SQLite, or PostgreSQL with --database-url / WARDEN_DATABASE_URL): `warden init`,
`warden demo --no-serve --cases N`, then API tokens, documents and cases awaiting a senior officer's decision
(bench/_faultprobe.py). Then, --kills times for each kind, a SIGKILL to the whole process group of:
  web       `warden serve` (gunicorn master and workers, task worker) while client threads submit
            applications (POST /api/applications/) and senior officers finalise (POST .../finalise)
  worker    the task worker (`warden worker`, django-tasks' db_worker) while it runs a queued re-screen
  import    `warden lists import` of a real list file (tests/data/lists/), the re-screen it runs inline too
  rescreen  `warden lists rescreen` after an import left its re-screen pending (--no-rescreen)
  law       `warden reference load DIR` of a changed ruleset: the revision and its law-change impact run
Each kill lands at a random moment of the run: uniform over the duration an uninterrupted run of the same
kind took (measured first, the calibration run). After each kill the restart is what an operator does:
`warden resume` and the worker drains its queue (`warden worker --batch`), for web `warden serve` again. Then
the checks (bench/_faultprobe.py CHECK): every write the server acknowledged (2xx) is stored; every case has
its audit entries; every list version holds all its entries and its audit entry, one current version per
list; no re-screen job pending and no open case screened against an older list; every law-change impact run
done; and `warden audit verify` exits 0. A kill that lands after the process had finished counts as "missed".

Usage: python bench/faults.py [--kills 5] [--seed 1] [--cases 20] [--kinds web,worker,import,rescreen,law]
                              [--data-dir DIR] [--database-url URL] [--port 8766]
Exit status 1 when any check failed (each failure is printed with its details), else 0.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _faultprobe import CHECK, PREPARE  # noqa: E402

LISTS = ROOT / "tests" / "data" / "lists"
# (format, file): real excerpts, imported in turn so that each import is a new version of its list.
LIST_FILES = [
    ("un-xml", "un-consolidated-2020-03-20-excerpt.xml"),
    ("eu-fsf-xml", "eu-fsf-2018-12-21-excerpt.xml"),
    ("us-csl-csv", "us-csl-2019-excerpt.csv"),
    ("us-csl-csv", "us-csl-2023-excerpt.csv"),
    ("ftm-json", "opensanctions-eu_fsf-2024-06-excerpt.ftm.json"),
    ("uk-xml", "uk-sanctions-list-constructed.xml"),
]
KINDS = ("web", "worker", "import", "rescreen", "law")


@dataclass
class Tally:
    kills: int = 0
    survived: int = 0
    missed: int = 0  # the process had finished before the kill landed
    failures: list[str] = field(default_factory=list)


class Warden:
    """Runs `warden` commands against one data directory; every child in its own process group, so that one
    SIGKILL reaches the whole tree (gunicorn's workers, serve's task worker) as a crash of the machine would."""

    def __init__(self, data_dir: Path, database_url: str, port: int) -> None:
        self.data_dir, self.port = data_dir, port
        self.env = dict(
            os.environ, WARDEN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="warden.config.settings"
        )
        self.env["PYTHONPATH"] = os.pathsep.join([str(ROOT), self.env.get("PYTHONPATH", "")])
        self.env.pop("WARDEN_TASKS_IMMEDIATE", None)  # the durable database queue is what is under test
        self.env.pop(
            "WARDEN_DATABASE_URL", None
        )  # only the database asked for: never one inherited by chance
        if database_url:
            self.env["WARDEN_DATABASE_URL"] = database_url
        self.figures: dict[str, int] = {}  # the last check's counts
        self.log = open(data_dir / "faults.log", "ab")  # noqa: SIM115 - children write to it for the run

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "warden.cli", *args]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(self.argv(*args), env=self.env, capture_output=True, text=True)
        if check and out.returncode != 0:
            raise SystemExit(f"warden {' '.join(args)} exited {out.returncode}:\n{out.stdout}\n{out.stderr}")
        return out

    def start(self, argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(argv, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True)

    def python(self, code: str) -> dict[str, Any]:
        out = subprocess.run([sys.executable, "-c", code], env=self.env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"probe failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def worker(self) -> list[str]:
        # `warden worker` (db_worker under its lock), as `warden serve` runs it: resume can then reclaim the
        # task row of a killed one.
        return [*self.argv("worker"), "--no-startup-delay", "--interval", "0.2"]

    def drain(self) -> None:
        """The queue's work done: what a restarted worker does, until nothing is ready."""
        subprocess.run(
            [*self.worker(), "--batch"], env=self.env, stdout=self.log, stderr=self.log, check=True
        )


def kill9(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the process group; True if the process was still running (the kill interrupted it)."""
    alive = proc.poll() is None
    with contextlib.suppress(ProcessLookupError):  # it and its group had already gone
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return alive


def kill_during(w: Warden, argv: list[str], at: float) -> bool:
    proc = w.start(argv)
    deadline = time.monotonic() + at
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    return kill9(proc)


def timed(w: Warden, argv: list[str]) -> float:
    t0 = time.monotonic()
    proc = w.start(argv)
    if proc.wait() != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode} (see {w.data_dir / 'faults.log'})")
    return time.monotonic() - t0


class Lists:
    """The next list file to import, cycling through the real excerpts."""

    def __init__(self) -> None:
        self.i = 0

    def next(self) -> list[str]:
        fmt, name = LIST_FILES[self.i % len(LIST_FILES)]
        self.i += 1
        return ["lists", "import", "--format", fmt, str(LISTS / name)]


class Law:
    """Copies of the bundled reference data with the ruleset's version changed: each one a new revision
    whose law-change run re-assesses every open case (a changed ruleset puts all of them in scope)."""

    def __init__(self, work: Path) -> None:
        from_dir = ROOT / "warden" / "legislation" / "data"
        self.work, self.src, self.n = work, from_dir, 0
        self.text = (from_dir / "ruleset.yaml").read_text()

    def next(self) -> list[str]:
        self.n += 1
        d = self.work / f"law-{self.n}"
        shutil.copytree(self.src, d, dirs_exist_ok=True)
        # Whatever the bundled version is: append a suffix to it, so each copy is a new ruleset version.
        found = re.search(r'^version: "([^"]+)"$', self.text, re.M)
        assert found, "ruleset.yaml no longer carries the version line this bench changes"
        line = found.group(0)
        (d / "ruleset.yaml").write_text(
            self.text.replace(line, f'version: "{found.group(1)}-fault-{self.n}"', 1)
        )
        return ["reference", "load", str(d)]


def wait_up(port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server did not answer on port {port}")


class Clients:
    """Threads writing through the API until the server dies; only 2xx answers count as acknowledged."""

    def __init__(self, port: int, info: dict[str, Any], acked: dict[str, Any], rng: random.Random) -> None:
        self.port, self.info, self.acked, self.rng = port, info, acked, rng
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(i,)) for i in range(4)]

    def post(self, path: str, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Host": "127.0.0.1",
        }
        conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, (json.loads(data) if data.startswith(b"{") else {})

    def client(self, i: int) -> None:
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            with self.lock:
                ref = self.info["final_review"].pop() if i == 0 and self.info["final_review"] else None
            try:
                if ref is not None:
                    body = {"decision": "approved", "reason": "Fault bench", "justification": "Fault bench"}
                    status, out = self.post(
                        f"/api/applications/{ref}/finalise", rng.choice(self.info["senior_tokens"]), body
                    )
                    if 200 <= status < 300:
                        with self.lock:
                            self.acked["decided"][ref] = (out["status"], out.get("decision"))
                    continue
                sub = rng.choice(self.info["submissions"])
                status, out = self.post("/api/applications/", sub["token"], sub["document"])
                if 200 <= status < 300:
                    with self.lock:
                        self.acked["submitted"].append(out["reference"])
            except (OSError, http.client.HTTPException, ValueError):
                time.sleep(0.05)  # the server is down (killed): not acknowledged, so nothing is owed

    def __enter__(self) -> Clients:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def check(w: Warden, acked: dict[str, Any]) -> list[str]:
    path = w.data_dir / "acked.json"
    path.write_text(json.dumps(acked))
    out = w.python(CHECK.replace("ACKED", repr(str(path))))
    w.figures = out["figures"]
    problems: list[str] = out["problems"]
    verify = w.run("audit", "verify", check=False)
    if verify.returncode != 0:
        problems.append(
            f"warden audit verify exited {verify.returncode}: {(verify.stdout + verify.stderr)[-800:]}"
        )
    return problems


def restart(w: Warden) -> None:
    w.run("resume")
    w.drain()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=5, help="kills per kind (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=20, help="demo cases (default 20)")
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
    ap.add_argument("--data-dir", default="", help="a fresh directory (default: a new temporary one)")
    ap.add_argument("--database-url", default=os.environ.get("WARDEN_DATABASE_URL", ""))
    ap.add_argument("--port", type=int, default=8766)
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    if unknown := set(kinds) - set(KINDS):
        ap.error(f"--kinds: unknown {', '.join(sorted(unknown))} (choose from {', '.join(KINDS)})")

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="warden-faults-")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    w = Warden(data_dir, args.database_url, args.port)
    rng = random.Random(args.seed)
    t0 = time.monotonic()
    w.run("init")
    w.run("demo", "--no-serve", "--cases", str(args.cases))
    info = w.python(PREPARE.replace("DECISIONS", str(3 * args.kills)))
    db = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"{db}, {args.cases} demo cases, data in {data_dir}, ready in {time.monotonic() - t0:.0f} s; "
          f"seed {args.seed}, {args.kills} kills per kind", flush=True)  # fmt: skip
    acked: dict[str, Any] = {"submitted": [], "decided": {}}
    lists, law = Lists(), Law(data_dir)
    tallies = {k: Tally() for k in kinds}

    def setup(kind: str) -> list[str]:
        """What the kind runs (after the state it needs: an import whose re-screen is left pending)."""
        if kind == "worker" or kind == "rescreen":
            imp = lists.next()
            w.run(*imp[:2], "--no-rescreen", *imp[2:])
            if kind == "rescreen":
                return w.argv("lists", "rescreen")
            w.run("resume")  # queues the pending re-screen for the worker
            return w.worker()
        if kind == "import":
            return w.argv(*lists.next())
        return w.argv(*law.next())

    def web_kill() -> bool:
        serve = w.start(w.argv("serve", "--port", str(args.port), "--workers", "2"))
        wait_up(args.port)
        with Clients(args.port, info, acked, rng):
            time.sleep(rng.uniform(0.5, 4.0))
            hit = kill9(serve)
        serve = w.start(w.argv("serve", "--port", str(args.port), "--workers", "2"))  # the restart
        wait_up(args.port)
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
        w.drain()  # what its task worker had not finished yet (the re-screens submissions queued)
        return hit

    def one(kind: str, calibration: dict[str, float]) -> bool:
        """One kill of `kind`; True if it interrupted the process."""
        if kind == "web":
            return web_kill()
        if kind not in calibration:  # an uninterrupted run first: how long this kind of run takes here
            argv = setup(kind)
            calibration[kind] = timed(w, [*argv, "--batch"] if kind == "worker" else argv)
            restart(w)
        hit = kill_during(w, setup(kind), rng.uniform(0.05, 1.0) * calibration[kind])
        restart(w)
        return hit

    calibration: dict[str, float] = {}
    for n in range(args.kills):
        for kind in kinds:
            tally = tallies[kind]
            hit = one(kind, calibration)
            problems = check(w, acked)
            tally.kills += 1
            tally.missed += 0 if hit else 1
            if problems:
                tally.failures.append(f"kill {n + 1}: " + "; ".join(problems))
                print(f"  {kind} kill {n + 1}: FAILED: {problems[:3]}", flush=True)
            else:
                tally.survived += 1
                print(
                    f"  {kind} kill {n + 1}: {'interrupted' if hit else 'missed (had finished)'}, ok",
                    flush=True,
                )
    print(f"\nacknowledged writes: {len(acked['submitted'])} submissions, {len(acked['decided'])} decisions; "
          f"calibration (uninterrupted run, s): "
          + ", ".join(f"{k} {v:.1f}" for k, v in calibration.items()))  # fmt: skip
    print("database after the run: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in w.figures.items()))
    print(f"{'kind':<10} {'kills':>6} {'survived':>9} {'missed':>7} {'failed':>7}")
    for kind, t in tallies.items():
        print(f"{kind:<10} {t.kills:>6} {t.survived:>9} {t.missed:>7} {len(t.failures):>7}")
    failed = False
    for kind, t in tallies.items():
        for f in t.failures:
            failed = True
            print(f"FAILURE {kind} {f}")
    print(
        f"total {time.monotonic() - t0:.0f} s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
