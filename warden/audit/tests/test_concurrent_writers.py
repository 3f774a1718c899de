from __future__ import annotations

import pytest
from django.db import connection, transaction

from warden.audit.models import AuditEntry
from warden.audit.services import record
from warden.audit.tests.conftest import postgres_only, run_writers
from warden.audit.verify import verify_log
from warden.lib.actors import system


@postgres_only
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_seq_dense_and_the_tree_valid(audit_key) -> None:  # type: ignore[no-untyped-def]
    writers, each = 6, 40

    def write(w: int, i: int) -> None:
        with transaction.atomic():
            record(actor=system("test"), action="test.concurrent", data={"writer": w, "i": i})

    run_writers(writers, each, write)
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(writers * each))
    report = verify_log(public_key=audit_key.public_key())
    assert report.ok, report.problems


@pytest.mark.django_db(transaction=True)
def test_flushing_a_test_database_steps_around_the_guards_and_restores_them(append) -> None:  # type: ignore[no-untyped-def]
    # A TransactionTestCase (live-server browser tests) empties the database with `flush` after each test.
    from django.core.management import call_command
    from django.db import DatabaseError

    append(3)
    call_command("flush", verbosity=0, interactive=False)
    assert AuditEntry.objects.count() == 0
    assert append(1)[0].seq == 0  # the head is recreated from the (now empty) log
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry")


@postgres_only
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_verification_split_across_worker_processes_finds_the_same_things(
    append, audit_key, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from warden.audit import verify as verify_module
    from warden.audit.checkpoints import make_checkpoint
    from warden.audit.guards import set_enabled

    monkeypatch.setattr(verify_module, "CHUNK_BITS", 2)  # 4-entry chunks, so a small log spans many
    monkeypatch.setattr(verify_module, "PARALLEL_MIN_CHUNKS", 2)
    forks: list[int] = []
    close_all = verify_module.connections.close_all
    monkeypatch.setattr(verify_module.connections, "close_all", lambda: (forks.append(1), close_all())[1])
    append(13)
    make_checkpoint()
    append(10)
    report = verify_log(public_key=audit_key.public_key(), workers=2)
    assert report.ok, report.problems
    # Every commit signed one (issue 10); verify checks the newest and the first of each 1,000 entries.
    assert report.size == 23 and report.checkpoints_stored == 23 and report.checkpoints_checked == 2
    assert forks  # the chunks really went to worker processes
    set_enabled(connection, False)
    try:
        with connection.cursor() as cur:
            cur.execute("UPDATE audit_auditentry SET entry = entry || ' ' WHERE seq = 9")
    finally:
        set_enabled(connection, True)
    report = verify_log(public_key=audit_key.public_key(), workers=2)
    assert report.first_bad_seq == 9
    assert any("root mismatch with checkpoint" in p.message for p in report.problems)
