"""Background tasks of the audit log (django-tasks). Run a worker with `warden worker` (or `warden serve`), or
schedule `warden audit checkpoint` from cron/systemd for periodic checkpoints without a worker."""

from __future__ import annotations

from django_tasks import task


@task()
def checkpoint_task() -> int | None:
    """Make a signed checkpoint if the log grew; returns its size."""
    from warden.audit.checkpoints import SigningKeyMissing, log, make_checkpoint

    try:
        cp = make_checkpoint()
    except SigningKeyMissing as exc:
        log.warning("audit checkpoint skipped: %s", exc)
        return None
    return cp.size if cp is not None else None
