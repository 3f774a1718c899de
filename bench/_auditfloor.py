"""bench/audit.py's measuring tools: CPU time that counts the worker processes, and the verification floor."""

from __future__ import annotations

import hashlib
import resource
import time


def _cpu_with_children() -> float:
    """CPU time of this process plus that of its child processes that have ended and been waited for
    (verify_log's worker pool is joined before it returns, the writer processes before their figure)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


class Clock:
    """Wall time and CPU time of this process and its worker processes. On a shared machine the CPU time is
    the better estimate of the work done (wall time also counts waiting for a core); it excludes the
    PostgreSQL server's own processes (on SQLite the database engine runs in-process and is counted)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), _cpu_with_children()

    def wall_s(self) -> float:
        return time.perf_counter() - self.wall

    def cpu_s(self) -> float:
        return _cpu_with_children() - self.cpu

    def __str__(self) -> str:
        return f"{self.cpu_s():.2f} s CPU (incl. worker processes), {self.wall_s():.2f} s wall"


def verification_floor() -> tuple[bytes, int]:
    """The least any full verification must do: read every entry's bytes from the database (in seq ranges,
    as the verifier does, bytes straight from the driver), hash each leaf, and fold the leaves into the Merkle
    root. Nothing else: no subtree hashes, checkpoints or column checks. Returns (root, entries)."""
    from django.db import connection

    from warden.audit import merkle

    sha256 = hashlib.sha256
    leaves: list[bytes] = []
    step = 1 << 16
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_auditentry")
        (size,) = cur.fetchone()
    connection.ensure_connection()
    for start in range(0, size, step):
        if postgres:
            import psycopg

            with psycopg.Cursor(connection.connection) as pg:
                sql = "SELECT convert_to(entry, 'UTF8') FROM audit_auditentry WHERE seq >= %s AND seq < %s ORDER BY seq"
                rows = pg.execute(sql, [start, start + step], binary=True).fetchall()
        else:
            with connection.cursor() as cur:
                sql = "SELECT CAST(entry AS BLOB) FROM audit_auditentry WHERE seq >= %s AND seq < %s ORDER BY seq"
                cur.execute(sql, [start, start + step])
                rows = cur.fetchall()
        leaves += [sha256(b"\x00" + bytes(text)).digest() for (text,) in rows]
    return merkle.root_from_leaf_hashes(leaves), len(leaves)
