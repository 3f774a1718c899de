"""Law change: a reference revision -> its impact run -> the open cases re-assessed -> licences suspended.

Read top to bottom, this is what happens when the law changes. Loading reference data (an upload, the
bundled data after an upgrade, a policy officer's country assessment) stores a new revision and, in the
same transaction, a pending law-change impact run (legislation.services): the run is durable, so a crash
between the commit and the queueing loses nothing (`warden resume` and `warden serve` queue pending runs).
After commit the run is queued on the task worker (`impact_task`, here beside its flow). The run:
1. is claimed (a run queued twice is computed once);
2. scans the cases in scope and writes the review queue: each open case or live licence whose assessment
   as of today differs between the two revisions (legislation.impact_runs.scan_change);
3. re-assesses each open case in scope under the new law, as of its own date, storing a new assessment
   version where it changes (flows.reassessment.after_revision);
4. is finished with its summary; on any failure it is marked failed with the error.
Then an officer works the review queue: `suspend_affected` suspends the chosen live licences (through the
licences service, audited), `mark_reviewed` closes the rest (legislation.impact).

Before issue 11 the impact run called the re-assessment flow from inside legislation (a layer below the
flows) and legislation.services queued the task itself; both steps are here now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django_tasks import task

from warden.accounts.actors import Actor
from warden.flows import reassessment
from warden.legislation import impact as impact_runs
from warden.legislation import services as legislation_services
from warden.legislation.impact import Progress, mark_reviewed, suspend_affected
from warden.legislation.loader import read_bundle
from warden.legislation.models import ImpactRun, ReferenceRevision, RevisionSource, RunKind, RunStatus
from warden.lib import clock, runlock
from warden.lib.actors import system

__all__ = [
    "edit_country_profile",
    "enqueue",
    "execute",
    "impact_task",
    "load_bundled",
    "load_reference",
    "mark_reviewed",
    "queue_pending_runs",
    "suspend_affected",
]


# ---------------------------------------------------------------------------------------------- revisions


def load_reference(
    *, actor: Actor, bundle: dict[str, Any], source: str, note: str = "", impact: str = "task"
) -> tuple[ReferenceRevision, bool]:
    """Make `bundle` the live law (legislation.services.load_reference) and queue its impact run after
    commit (`impact="task"`), or leave it pending for the caller to run (`"none"`: the CLI runs it with a
    progress bar). Raises ReferenceDataError naming each problem, with nothing stored."""
    with transaction.atomic():
        rev, created = legislation_services.load_reference(
            actor=actor, bundle=bundle, source=source, note=note
        )
        if created and impact == "task":
            _enqueue_after_commit(rev)
    return rev, created


def load_bundled(*, actor: Actor, impact: str = "task") -> tuple[ReferenceRevision, bool]:
    """The bundled reference data (`warden init`, and after an upgrade that changed it)."""
    return load_reference(
        actor=actor, bundle=read_bundle(), source=RevisionSource.BUNDLED, note="bundled data", impact=impact
    )


def edit_country_profile(*, start_impact: bool = True, **kwargs: Any) -> ReferenceRevision:
    """A policy officer's new dated country assessment (legislation.services.edit_country_profile, same
    arguments and refusals), its impact run queued after commit unless `start_impact` is False (then it stays
    pending for `warden serve` or the run page's "run now")."""
    with transaction.atomic():
        rev = legislation_services.edit_country_profile(**kwargs)
        if start_impact:
            _enqueue_after_commit(rev)
    return rev


def _enqueue_after_commit(rev: ReferenceRevision) -> None:
    run = impact_runs.change_run_for(rev)
    if run is not None:
        transaction.on_commit(lambda: enqueue(run))


# ---------------------------------------------------------------------------------------------- the run


def enqueue(run: ImpactRun) -> None:
    """Run in the background (django-tasks); the run page polls its progress."""
    impact_task.enqueue(run.pk)


def execute(
    run: ImpactRun, *, on_progress: Progress | None = None, today: dt.date | None = None
) -> ImpactRun:
    """Compute a pending run (the task worker, the CLI's bar, the run page's "run now"); a run another
    execution already claimed is returned as it is. The executor holds the run's lock throughout, so that
    `warden resume` can tell a run whose process was killed (status still "running", lock free) from one
    in progress (warden.lib.runlock, impact.reclaim_abandoned)."""
    with runlock.held(impact_runs.run_lock(run.pk)) as mine:
        if not mine:
            run.refresh_from_db()
            return run
        return _execute(run, on_progress=on_progress, today=today)


def _execute(run: ImpactRun, *, on_progress: Progress | None, today: dt.date | None) -> ImpactRun:
    if not impact_runs.claim(run):
        run.refresh_from_db()
        return run
    on = today or clock.today()
    try:
        if run.kind == RunKind.WHAT_IF:
            impact_runs.what_if(run, on_progress, on)  # a replay of past decisions: nothing live changes
        else:
            scan = impact_runs.scan_change(run, on_progress, on)
            # The review queue compares the law as of today; each open case's stored assessment is brought
            # up to the live law as of its own date, as a new version where it changes.
            reassessed = reassessment.after_revision(run=run, case_ids=scan.case_ids)
            impact_runs.finish_change(run, scan, reassessed=reassessed)
    except Exception as exc:
        impact_runs.mark_failed(run, exc)
        raise
    run.refresh_from_db()
    return run


def queue_pending_runs() -> list[str]:
    """At `warden serve` startup and `warden resume`: queue the impact runs (law change and what-if) a crash
    left pending, and first make pending again the runs a killed executor left "running" (found by bench/faults.py: they stayed
    running forever and the open cases were never re-assessed under the new law)."""
    lines = []
    for run in impact_runs.reclaim_abandoned(actor=system("warden resume: impact run killed mid-run")):
        lines.append(f"{_kind_label(run)} #{run.pk} was abandoned mid-run (its process died): restarted")
    # What-if runs too (a killed one stayed "running" and its page spun for ever): the proposal is kept in
    # the run, so finishing it is what the person who asked for it is waiting for.
    for run in ImpactRun.objects.filter(status=RunStatus.PENDING).order_by("pk"):
        enqueue(run)
        lines.append(f"{_kind_label(run)} #{run.pk} queued")
    return lines


def _kind_label(run: ImpactRun) -> str:
    return "what-if impact run" if run.kind == RunKind.WHAT_IF else "law-change impact run"


# The worker's entry point, beside the flow it runs. Runs are durable (ImpactRun rows): a task queued under
# its old path (warden.legislation.tasks) before an upgrade fails to import, its run stays pending, and
# `warden resume` queues it again.
@task()
def impact_task(run_id: int) -> int:
    """Compute the impact run `run_id`; how many cases and licences it found affected."""
    run = execute(ImpactRun.objects.select_related("from_revision", "to_revision").get(pk=run_id))
    return run.affected
