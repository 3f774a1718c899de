from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from warden.audit.models import AuditEntry, LogHead


def test_the_database_refuses_to_update_an_entry(append) -> None:  # type: ignore[no-untyped-def]
    append(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=0).update(action="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET entry = 'x' WHERE seq = 1")
    assert AuditEntry.objects.get(seq=0).action == "test.event"


def test_the_database_refuses_to_delete_an_entry(append) -> None:  # type: ignore[no-untyped-def]
    append(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 2


def test_the_log_head_cannot_be_deleted(append) -> None:  # type: ignore[no-untyped-def]
    append(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogHead.objects.all().delete()


def test_checkpoints_cannot_be_edited(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    from warden.audit.checkpoints import make_checkpoint
    from warden.audit.models import Checkpoint

    append(3)
    make_checkpoint()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Checkpoint.objects.update(root="00" * 32)


def test_postgresql_refuses_to_truncate_the_log(append) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has only DELETE, refused above")
    append(2)
    with connection.cursor() as cur:
        cur.execute(
            "SET CONSTRAINTS ALL IMMEDIATE"
        )  # TRUNCATE refuses while this test's FK checks are pending
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 2
