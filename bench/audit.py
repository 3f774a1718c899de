"""Audit log benchmark (issue 5): appends/s through the real service path, full verification of a large log
against a plain SHA-256 floor, and inclusion/consistency proof time at that size.

    .venv/bin/python bench/audit.py                      # SQLite (a fresh file in a temporary directory)
    WARDEN_DATABASE_URL=postgres://... .venv/bin/python bench/audit.py   # PostgreSQL (use an empty database)
    options: --appends N (default 5000)  --entries N (default 1000000)  --writers 2 4 8
    small check: bench/audit.py --appends 300 --entries 20000 --writers 2 --rounds 1

Every CPU figure counts this process and its worker processes (verify_log's pool, the writer processes:
RUSAGE_CHILDREN), CPU first. The verification floor is what any verifier must do: read the rows, hash
the leaves and compute the Merkle root; the in-memory hashing line is labelled as not a floor.
    A PostgreSQL URL may name a Unix socket directory: postgres://user@/db?host=/path/to/socketdir&port=5432

The large log is bulk-loaded (entries in the canonical shape with their leaf and subtree hashes, as record()
would write them) because appending a million entries one by one would only re-measure the append figure.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _auditfloor import Clock, verification_floor  # noqa: E402


def setup() -> None:
    if "WARDEN_DATABASE_URL" not in os.environ:
        os.environ["WARDEN_DATA_DIR"] = tempfile.mkdtemp(prefix="warden-bench-audit-")
    os.environ.setdefault("WARDEN_AUDIT_KEY", str(Path(tempfile.mkdtemp()) / "bench-audit.pem"))
    # Every commit's checkpoint is appended (and fsynced) here; a scratch file, never the repository's var/.
    os.environ.setdefault("WARDEN_AUDIT_WITNESS", str(Path(tempfile.mkdtemp()) / "bench-witness.jsonl"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "warden.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from warden.audit.checkpoints import create_development_key, key_path

    call_command("migrate", verbosity=0, interactive=False)
    if not key_path().exists():
        create_development_key(key_path())


@contextlib.contextmanager
def per_commit_checkpoints(enabled: bool) -> Iterator[None]:
    """With `enabled` False, as before issue 10: commits and sequencer batches sign no checkpoint (forked
    writer processes inherit the setting). The "before" figures come from the same run, interleaved."""
    from warden.audit import sequencer, services

    saved = services.sign_at_commit, sequencer.sign_head
    if not enabled:
        services.sign_at_commit = lambda db: None
        sequencer.sign_head = lambda: False
    try:
        yield
    finally:
        services.sign_at_commit, sequencer.sign_head = saved


def both(measure: Callable[[], tuple[float, ...]], rounds: int, names: tuple[str, ...] = ("wall",)) -> str:
    """`measure` (one or more rates) with per-commit checkpoints and without, interleaved `rounds` times:
    the range of each rate in each mode."""
    runs: dict[bool, list[tuple[float, ...]]] = {True: [], False: []}
    for _ in range(rounds):
        for enabled in (False, True):
            with per_commit_checkpoints(enabled):
                runs[enabled].append(measure())

    def span(enabled: bool, k: int) -> str:
        xs = [r[k] for r in runs[enabled]]
        return f"{min(xs):,.0f}/s" if len(xs) == 1 else f"{min(xs):,.0f}-{max(xs):,.0f}/s"

    return "; ".join(
        f"{name} {span(True, k)} with a checkpoint per commit (before: {span(False, k)})"
        for k, name in enumerate(names)
    )


def bench_checkpoint_parts(n: int = 1000) -> str:
    """What one per-commit checkpoint costs, part by part (this process's wall time, microseconds)."""
    from django.db import transaction

    from warden.audit import checkpoints, tail, witness
    from warden.audit.services import record
    from warden.lib.actors import system

    key = checkpoints.signing_key()
    body = checkpoints.body_text(checkpoints.origin(), 123456, b"\x07" * 32)
    t = time.perf_counter()
    for _ in range(n):
        key.sign(body.encode())
    sign_us = (time.perf_counter() - t) / n * 1e6
    note = checkpoints.sign(body, key, checkpoints.origin())
    t = time.perf_counter()
    for _ in range(n):
        witness.append(note)
    witness_us = (time.perf_counter() - t) / n * 1e6
    with per_commit_checkpoints(False):
        spent = 0.0
        for i in range(n):
            with transaction.atomic():
                record(actor=system("benchmark"), action="bench.checkpoint", data={"i": i})
            t = time.perf_counter()
            tail.sign_head()
            spent += time.perf_counter() - t
    return (
        f"one per-commit checkpoint (tail.sign_head after a one-entry commit, {n} times): "
        f"{spent / n * 1e6:.0f} us wall, of which Ed25519 signing {sign_us:.0f} us and the witness append "
        f"with fsync {witness_us:.0f} us (the rest: its transaction, the head read and the INSERT)"
    )


def bench_appends(n: int, per_transaction: int = 1) -> tuple[float, float]:
    """n appends through record(), `per_transaction` to a transaction: 1 is a service changing one thing; more
    is a bulk action (suspending every licence a new embargo touches) writing one entry per object changed."""
    from django.db import transaction

    from warden.accounts.models import Role, User
    from warden.audit.services import record

    actor, _ = User.objects.get_or_create(username="bench-officer", defaults={"role": Role.LICENSING_OFFICER})
    clock = Clock()
    for start in range(0, n, per_transaction):
        with transaction.atomic():
            for i in range(start, min(n, start + per_transaction)):
                record(
                    actor=actor,
                    action="case.transition",
                    target=actor,
                    data={"from": "submitted", "i": i},
                    case_id=i,
                )
    return n / clock.wall_s(), n / clock.cpu_s()


def bench_floor(n: int) -> float:
    """The same loop with a bare one-row INSERT into a scratch table instead of record(): what one Django
    transaction costs on this machine and database before any audit work (the ceiling for one-per-transaction)."""
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    sql = "INSERT INTO bench_floor (a) VALUES (%s)" if postgres else "INSERT INTO bench_floor (a) VALUES (?)"
    clock = Clock()
    for i in range(n):
        with transaction.atomic():
            connection.ensure_connection()
            raw = connection.connection
            if postgres:
                import psycopg

                # prepared, as record()'s statement is (audit/services.py _pg_execute)
                raw.prepare_threshold = 5
                psycopg.Cursor(raw).execute(sql, (f"floor {i}",), prepare=True)
            else:
                raw.execute(sql, (f"floor {i}",))
    return n / clock.wall_s()


def _writer(n: int, floor: bool, background: bool) -> None:
    from django.conf import settings
    from django.db import connections

    connections.close_all()  # a fresh connection per forked writer
    settings.AUDIT_SEQUENCER = "background" if background else "commit"
    bench_floor(n) if floor else bench_appends(n)
    connections.close_all()


def _sequencer(stop: object) -> None:
    from django.db import connections

    from warden.audit import sequencer

    connections.close_all()
    sequencer.run(interval=0.02, stop=stop)  # type: ignore[arg-type]  # a multiprocessing Event
    connections.close_all()


def bench_concurrent_appends(n: int, writers: int, floor: bool = False, background: bool = False) -> float:
    """`writers` processes (as gunicorn workers would be) appending n entries in total. With `background`, the
    entries are numbered by a sequencer process (AUDIT_SEQUENCER = "background"), and the clock stops when the
    last one is in the log, not when the writers finish."""
    import multiprocessing

    from django.db import connections

    from warden.audit.sequencer import wait_until_drained

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    helper = ctx.Process(target=_sequencer, args=(stop,)) if background else None
    procs = [ctx.Process(target=_writer, args=(n // writers, floor, background)) for _ in range(writers)]
    started = time.perf_counter()
    if helper:
        helper.start()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if background:
        if not wait_until_drained(timeout=120):
            raise SystemExit("the sequencer did not catch up")
        stop.set()
        helper.join()  # type: ignore[union-attr]
    elapsed = time.perf_counter() - started
    connections.close_all()
    if any(p.exitcode for p in procs):
        raise SystemExit("a writer process failed")
    return (n // writers) * writers / elapsed


def bulk_load(total: int) -> list[bytes]:
    """Append entries directly (no per-row transaction) until the log has `total`; returns all entry bytes."""
    from django.db import connection, transaction

    from warden.audit.merkle import CompactRange

    with connection.cursor() as cur:
        cur.execute("SELECT size, frontier FROM audit_loghead WHERE id = 1")
        size, frontier = cur.fetchone()
        cur.execute("SELECT entry FROM audit_auditentry ORDER BY seq")
        existing = [row[0].encode() for row in cur.fetchall()]
    cr = CompactRange.from_bytes(int(size), bytes(frontier))
    out = existing
    batch: list[tuple[object, ...]] = []
    # As record() writes them: the column is the entry's "at" (verify_columns.py checks that they agree).
    at = "2026-11-28T12:00:00.123456+00:00"
    at_db = "2026-11-28 12:00:00.123456"
    cols = "seq, at, actor_label, action, object_type, object_id, case_id, entry, leaf_hash, nodes"

    def flush(rows: list[tuple[object, ...]]) -> None:
        with transaction.atomic(), connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY audit_auditentry ({cols}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                cur.executemany(
                    f"INSERT INTO audit_auditentry ({cols}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows
                )
            cur.execute(
                "UPDATE audit_loghead SET size = %s, frontier = %s WHERE id = 1", [cr.size, cr.to_bytes()]
            )

    sha = hashlib.sha256
    for seq in range(cr.size, total):
        text = (
            f'{{"action":"case.transition","actor":"bench-officer","actor_id":null,"at":"{at}","case":{seq},'
            f'"data":{{"from":"submitted","to":"under_review","note":"bulk-loaded benchmark entry"}},'
            f'"object":{{"id":"{seq}","type":"cases.case"}},"seq":{seq}}}'
        )
        raw = text.encode()
        leaf = sha(b"\x00" + raw).digest()
        nodes = b"".join(cr.append(leaf))
        out.append(raw)
        batch.append(
            (
                seq,
                at_db,
                "bench-officer",
                "case.transition",
                "cases.case",
                str(seq),
                seq,
                text,
                leaf.hex(),
                nodes,
            )
        )
        if len(batch) == 50000:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appends", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument(
        "--rounds", type=int, default=2, help="interleaved runs with and without per-commit checkpoints"
    )
    parser.add_argument(
        "--writers", type=int, nargs="*", default=[2, 4, 8], help="concurrent writer processes to measure"
    )
    args = parser.parse_args()
    setup()
    from django.db import connection

    from warden.audit import checkpoints, merkle, proofs
    from warden.audit.verify import verify_log

    print(
        f"database: {connection.vendor}  python {sys.version.split()[0]}  cpus {os.cpu_count()}  "
        f"load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure alike)"
    )
    bench_appends(200)  # warm-up: connection, statement caches
    print(bench_checkpoint_parts())
    r = args.rounds
    cpu = ("wall", "CPU time (incl. worker processes)")
    print(
        f"appends through record(), one transaction each, {args.appends} appends: "
        f"{both(lambda: bench_appends(args.appends), r, cpu)}"
    )
    print(
        f"appends through record(), 10 to a transaction (a bulk action), {args.appends} appends: "
        f"{both(lambda: bench_appends(args.appends, per_transaction=10), r, cpu)}"
    )
    for writers in args.writers:
        rates = both(lambda w=writers: (bench_concurrent_appends(args.appends * 2, w),), r)  # type: ignore[misc]
        print(
            f"appends from {writers} concurrent writer processes, one transaction each, {args.appends * 2} "
            f"appends: {rates}"
        )
    if connection.vendor == "postgresql":
        for w in [1, *args.writers]:
            rates = both(lambda w=w: (bench_concurrent_appends(args.appends * 2, w, background=True),), r)  # type: ignore[misc]
            print(
                "appends with WARDEN_AUDIT_SEQUENCER=background (numbered by a sequencer process every 20 ms; "
                f"clock stopped when the last entry is in the log), {w} writer(s), one transaction each: {rates}"
            )
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_floor (a text)")
    floors = [f"1 writer {bench_floor(args.appends):,.0f}/s"] + [
        f"{w} writers {bench_concurrent_appends(args.appends * 2, w, floor=True):,.0f}/s"
        for w in args.writers
    ]
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_floor")
    print(f"floor, the same transactions with a bare one-row INSERT instead of record(): {', '.join(floors)}")

    t = time.perf_counter()
    entries = bulk_load(args.entries)
    print(f"bulk-loaded to {len(entries):,} entries in {time.perf_counter() - t:.1f} s")
    cp = checkpoints.make_checkpoint()
    assert cp is not None

    c = Clock()
    merkle.root_from_leaf_hashes([hashlib.sha256(b"\x00" + raw).digest() for raw in entries])
    print(f"(not a floor) leaf hashes + bottom-up tree over the entry bytes already in memory: {c}")
    del entries
    verification_floor()  # warm-up: the rows into the database's and the OS's caches, as for the verifier
    c = Clock()
    floor_root, floor_n = verification_floor()
    print(f"floor of verification: read the {floor_n:,} rows + leaf hashes + Merkle root, 1 process: {c}")

    public = checkpoints.signing_key().public_key()
    from warden.audit import verify_chunks

    check_sql = verify_chunks.column_check_sql
    verify_chunks.column_check_sql = lambda vendor: "1"  # type: ignore[assignment]
    c = Clock()
    report = verify_log(public_key=public, workers=1)
    verify_chunks.column_check_sql = check_sql
    print(
        f"full verification without the column check (as before issue 10), 1 process: {c} (ok: {report.ok})"
    )
    for workers in (1, os.cpu_count() or 1):
        c = Clock()
        report = verify_log(public_key=public, workers=workers)
        status = "OK" if report.ok else f"FAILED {report.problems[:3]}"
        status += (
            ", same root as the floor" if report.root == floor_root else ", ROOT DIFFERS FROM THE FLOOR'S"
        )
        print(
            f"full verification of {report.size:,} entries + {report.checkpoints_checked} checkpoints, "
            f"{workers} process(es): {c} ({status})"
        )

    size = report.size
    rng = random.Random(5)
    seqs = [rng.randrange(size) for _ in range(2000)]
    c = Clock()
    for seq in seqs:
        proofs.inclusion(seq, size)
    print(
        f"inclusion proof at size {size:,} (DB fetch + build, {len(seqs)} random entries): "
        f"{c.wall_s() / len(seqs) * 1000:.3f} ms wall, {c.cpu_s() / len(seqs) * 1000:.3f} ms CPU each"
    )
    p = proofs.inclusion(seqs[0], size)
    t = time.perf_counter()
    for _ in range(2000):
        merkle.verify_inclusion(
            seqs[0],
            size,
            bytes.fromhex(p["leaf_hash"]),
            [bytes.fromhex(h) for h in p["proof"]],
            bytes.fromhex(p["root"]),
        )
    print(f"inclusion proof verification: {(time.perf_counter() - t) / 2000 * 1000:.3f} ms each")
    t = time.perf_counter()
    for first in (1, size // 3, size // 2 + 7, size - 1):
        proofs.consistency(first, size)
    print(f"consistency proof at size {size:,}: {(time.perf_counter() - t) / 4 * 1000:.3f} ms each")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
