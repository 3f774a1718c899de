from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from warden.audit.checkpoints import create_development_key, signing_key
from warden.audit.guards import set_enabled
from warden.audit.models import AuditEntry
from warden.audit.services import record


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
                entry = record(actor=None, action=action, data={"i": i}, case_id=case_id)
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


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
