from __future__ import annotations

from django.db import transaction

from warden.audit import checkpoints
from warden.audit.services import record
from warden.audit.tasks import checkpoint_task


def test_every_nth_entry_queues_a_checkpoint_after_commit(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_CHECKPOINT_EVERY = 3
    queued: list[int] = []
    monkeypatch.setattr(checkpoints, "schedule_checkpoint", lambda: queued.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(7):
            with transaction.atomic():
                record(actor=None, action="test.tick", data={"i": i})
    assert len(queued) == 2  # after entries 3 and 6


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
