from __future__ import annotations

from django.db import transaction

from warden.audit import checkpoints
from warden.audit.services import record
from warden.audit.tasks import checkpoint_task
from warden.lib.actors import system


def test_a_transaction_that_appends_signs_one_checkpoint_after_its_commit(
    append, audit_key, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # Replaces "every Nth entry queues a checkpoint": since issue 10 every commit that appends signs one.
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for i in range(3):
            record(actor=system("test"), action="test.tick", data={"i": i})
        with transaction.atomic():  # a savepoint that commits with its transaction
            record(actor=system("test"), action="test.tick", data={"i": 3})
    assert [cb.__name__ for cb in callbacks] == ["sign_head"]
    callbacks[0]()
    assert checkpoints.latest().size == 4  # type: ignore[union-attr]


def test_a_rolled_back_savepoint_does_not_take_the_checkpoint_with_it(
    db, audit_key, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                record(actor=system("test"), action="test.dropped")
                raise RuntimeError("the inner step failed")
        except RuntimeError:
            pass
        record(actor=system("test"), action="test.kept")
    assert [cb.__name__ for cb in callbacks] == ["sign_head"]


def test_the_checkpoint_task_signs_the_grown_log(append, audit_key) -> None:  # type: ignore[no-untyped-def]
    append(4)
    assert checkpoint_task.call() == 4
    assert checkpoints.latest().size == 4  # type: ignore[union-attr]


def test_the_checkpoint_task_skips_quietly_without_a_key(append, settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("WARDEN_AUDIT_KEY_PEM", raising=False)
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "none.pem")
    append(2)
    assert checkpoint_task.call() is None
    assert checkpoints.latest() is None


def test_queueing_a_checkpoint_never_breaks_the_caller(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class Broken:
        def enqueue(self) -> None:
            raise RuntimeError("queue unavailable")

    monkeypatch.setattr("warden.audit.tasks.checkpoint_task", Broken())
    checkpoints.schedule_checkpoint()  # logs, does not raise


def test_a_queued_checkpoint_lands_in_the_task_queue(db) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    checkpoints.schedule_checkpoint()
    assert DBTaskResult.objects.filter(task_path="warden.audit.tasks.checkpoint_task").count() == 1
