"""The task worker Warden runs (`warden worker`, started by `warden serve`), and what becomes of the tasks of
one that died.

django-tasks' database worker marks a result row RUNNING when it claims a task; nothing changes the row when
that process is killed (kill -9, OOM, the machine lost), so the task table kept such rows RUNNING for ever
(bench/faults.py counted 4 after 5 worker kills). The row cannot tell a task in progress from one whose worker
is gone; the kernel can: every worker started here holds a flock named after its worker id for its whole life
(warden.lib.runlock), released however the process ends. A RUNNING row whose worker's lock nobody holds
belongs to a dead worker: `warden resume`, and every worker as it starts, mark it FAILED (WorkerDied), audit
that, and queue its work again: the durable job behind it (a RescreenJob, an ImpactRun) is queued by
resume_pending_work as after any crash; any other task is enqueued again with its arguments (the inbox
delivery and the audit checkpoint are idempotent catch-ups).

Rows claimed by a worker this cannot judge (a plain `django db_worker`, whose id carries no prefix, or a
worker on another host, whose lock is not on this machine) are left as they are and counted."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from warden.audit.services import record
from warden.flows import rescreening
from warden.lib import clock, runlock
from warden.lib.actors import SystemActor, system

PREFIX = "warden-"
# The tasks whose durable rows resume_pending_work re-queues after any crash: queuing them here as well would
# only queue them twice.
QUEUED_BY_RESUME = frozenset(
    {
        "warden.flows.law_change.impact_task",
        "warden.flows.rescreening.rescreen_open_cases_task",
    }
)


class WorkerDied(Exception):
    """Recorded as the failure of a task whose worker process died while running it."""


@dataclass(frozen=True)
class Abandoned:
    task_id: str
    task_path: str
    worker_id: str
    requeued: bool  # enqueued again here (False: its durable job is queued by resume_pending_work)


def _host() -> str:
    return socket.gethostname().split(".")[0][:24]


def new_worker_id() -> str:
    """Unique across the machine and time (django-tasks' limit is 64 characters); names this host, so that a
    worker on another host is never judged by this host's locks."""
    return f"{PREFIX}{_host()}-{os.getpid()}-{secrets.token_hex(4)}"


def lock_name(worker_id: str) -> str:
    return f"task-worker-{worker_id}"


def judged_here(worker_id: str) -> bool:
    return worker_id.startswith(f"{PREFIX}{_host()}-")


def reclaim_stale_tasks(*, actor: SystemActor) -> tuple[list[Abandoned], int]:
    """Mark FAILED the RUNNING task rows of dead workers and queue their work again; the rows reclaimed and
    how many RUNNING rows belong to workers this machine cannot check."""
    reclaimed: list[Abandoned] = []
    unjudged = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at"):
        worker_id = row.worker_ids[-1] if row.worker_ids else ""
        if not judged_here(worker_id):
            unjudged += 1
            continue
        with runlock.held(lock_name(worker_id)) as free:  # held across the update: that worker is gone
            if not free:
                continue  # alive, still running it
            with transaction.atomic():
                if not DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=clock.now(),
                    exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
                    traceback=f"worker {worker_id} died while running this task (its lock was free)",
                ):
                    continue  # finished between the query and the lock
                requeue = row.task_path not in QUEUED_BY_RESUME
                if requeue:
                    result = row.task_result
                    row.task.enqueue(*result.args, **result.kwargs)
                record(
                    actor=actor,
                    action="ops.task_abandoned",
                    target=row,
                    data={"task_path": row.task_path, "worker_id": worker_id, "requeued": requeue},
                )
            runlock.forget(lock_name(worker_id))  # ids are never reused: the file has no further use
        reclaimed.append(Abandoned(str(row.pk), row.task_path, worker_id, requeue))
    return reclaimed, unjudged


def resume() -> list[str]:
    """`warden resume`: the dead workers' task rows, then the durable work a crash left (re-screens, impact
    runs); one line per thing done."""
    done, unjudged = reclaim_stale_tasks(actor=system("warden resume: task worker died mid-task"))
    lines = [
        f"task {a.task_path} ({a.task_id}) was abandoned by dead worker {a.worker_id}: marked failed"
        + (", queued again" if a.requeued else "")
        for a in done
    ]
    if unjudged:
        lines.append(
            f"{unjudged} running task(s) of workers not started by `warden worker` on this host: left as they are"
        )
    return lines + rescreening.resume_pending_work()


def run_worker(options: list[str]) -> None:
    """`warden worker [db_worker options]`: django-tasks' database worker under a lock named after its id,
    held until the process ends; first it takes over the tasks dead workers left RUNNING."""
    worker_id = new_worker_id()
    with runlock.held(lock_name(worker_id)) as mine:
        assert mine, "a fresh worker id is never locked"
        done, _ = reclaim_stale_tasks(actor=system("task worker start: a worker died mid-task"))
        if done:
            rescreening.resume_pending_work()
        call_command("db_worker", *options, "--worker-id", worker_id)
        # Back from the loop: no task of ours is RUNNING any more, so nobody needs the file.
        runlock.forget(lock_name(worker_id))
