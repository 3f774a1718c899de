from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, connections, transaction

from warden.audit.checkpoints import create_development_key, signing_key
from warden.audit.guards import set_enabled
from warden.audit.models import AuditEntry
from warden.audit.services import record
from warden.lib.actors import system


@pytest.fixture(autouse=True)
def own_witness(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Each test its own witness file (none yet), and a signer that remembers no earlier head."""
    from warden.audit import tail

    path = tmp_path / "witness" / "audit-checkpoints.jsonl"
    settings.AUDIT_WITNESS_PATH = str(path)
    tail.forget()
    yield path
    tail.forget()


@pytest.fixture
def audit_key(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Ed25519PrivateKey:
    """A throwaway signing key, configured the way production configures one (a file path), and an empty
    keyring beside it."""
    monkeypatch.delenv("WARDEN_AUDIT_KEY_PEM", raising=False)
    path = tmp_path / "keys" / "audit.pem"
    create_development_key(path)
    settings.AUDIT_SIGNING_KEY_PATH = str(path)
    settings.AUDIT_KEYRING_PATH = str(tmp_path / "keys" / "audit-keyring.txt")
    return signing_key()


@pytest.fixture
def append(db: None) -> Callable[..., list[AuditEntry]]:
    """Append n entries through the real service path, each in its own transaction."""

    def go(n: int, *, action: str = "test.event", case_id: int | None = None) -> list[AuditEntry]:
        out = []
        for i in range(n):
            with transaction.atomic():
                entry = record(actor=system("test"), action=action, data={"i": i}, case_id=case_id)
            # PostgreSQL numbers an entry when its transaction commits (record() returns None): read it back.
            out.append(entry or AuditEntry.objects.order_by("-seq").first())  # type: ignore[arg-type]
        return out

    return go


@pytest.fixture
def guards_off(db: None) -> Iterator[Callable[[str, list[Any] | None], None]]:
    """Lift the append-only triggers for this test (a DBA tampering), and run raw SQL."""
    set_enabled(connection, False)

    def sql(statement: str, params: list[Any] | None = None) -> None:
        with connection.cursor() as cur:
            cur.execute(statement, params or [])

    yield sql
    set_enabled(connection, True)


def run_writers(writers: int, each: int, write: Callable[[int, int], None]) -> None:
    """Call write(w, i) for i in range(each) from `writers` threads started together, each with its own
    database connection (as gunicorn workers would have), and re-raise the first error a thread hit."""
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def work(w: int) -> None:
        try:
            start.wait()
            for i in range(each):
                write(w, i)
        except BaseException as exc:  # a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
