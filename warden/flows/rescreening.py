"""Re-screening open cases after a list import, as durable work.

A list import writes a RescreenJob in its own transaction (record_job). From that commit until the job is
done, every open case whose latest screening run did not use a list's current version is "screened against
an older list" (stale_lists): the case page and the API say so, and the screening gate refuses to finalise
it. `run_pending` re-screens and re-assesses each such case in its own transaction and then marks the jobs
done; it is what the task worker runs after the import, what `warden lists rescreen` runs, and what
`warden serve` queues at startup when a job is still pending (a crash after the import committed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from warden.accounts.actors import Actor, system
from warden.audit.services import record
from warden.cases.models import OPEN_STATUSES, Case
from warden.flows import law_change, reassessment
from warden.screening import services as screening_services
from warden.screening.models import ListVersion, RescreenJob, ScreeningRun

RESCREEN = system("re-screen after a list import")  # the task worker's actor (issue 11: no actor=None)


@dataclass(frozen=True)
class StaleList:
    """A list whose current version a case was not screened against."""

    list_name: str
    screened: int | None  # the version the case's latest run used, None if never screened against it
    current: int

    def __str__(self) -> str:
        was = f"version {self.screened}" if self.screened is not None else "no version"
        return f"{self.list_name}: screened against {was}, current is version {self.current}"


@dataclass(frozen=True)
class Result:
    cases: int
    new_matches: int
    jobs: int


def import_list(
    *,
    actor: Actor,
    list_name: str,
    fmt: str,
    path: Path,
    title: str = "",
    wrap: Callable[[IO[bytes]], IO[bytes]] | None = None,
    rescreen: str = "task",
) -> ListVersion:
    """A list import, top to bottom: screening stores the file as the list's new current version; in the same
    transaction the open cases are recorded as owing a re-screen against it (so that a crash before it runs
    leaves a pending job that the next start finishes); after commit the re-screen runs, re-assessing each
    case whose matches changed. `rescreen` is "task" (enqueue it), "inline" (run it after commit, for the
    CLI) or "none" (leave the job pending for `warden lists rescreen` or the next start). Raises
    ListFormatError with nothing written when the file does not parse."""
    with transaction.atomic():
        version = screening_services.store_list_version(
            actor=actor, list_name=list_name, fmt=fmt, path=path, title=title, wrap=wrap
        )
        record_job(version=version)
        if rescreen == "task":
            transaction.on_commit(enqueue)
        elif rescreen == "inline":
            transaction.on_commit(lambda: run_pending(actor=actor))
    return version


def ensure_demo_list(*, actor: Actor) -> ListVersion | None:
    """Import the bundled SAMPLE extract of the UN list (for `warden demo`) unless that same file is already
    the current version of the sample list. It is its own list, so it never replaces a real UN import.
    Returns the new version, or None when nothing was imported."""
    digest = screening_services.list_digest(screening_services.DEMO_LIST)
    name = screening_services.DEMO_LIST_NAME
    if ListVersion.objects.filter(list__name=name, is_current=True, sha256=digest).exists():
        return None
    return import_list(
        actor=actor,
        list_name=name,
        fmt="un-xml",
        path=screening_services.DEMO_LIST,
        title="UN Security Council list: SAMPLE for demonstration, not the authoritative list",
        rescreen="inline",  # cases already loaded (a demo topped up) are screened against it too
    )


def rescreen_open_cases(*, actor: Actor) -> int:
    """Re-screen (and re-assess) every open case against the current lists and finish any pending
    re-screen job; returns how many new matches were raised. Each case is its own transaction."""
    return run_pending(actor=actor, everything=True).new_matches


def record_job(*, version: ListVersion) -> RescreenJob:
    """In the import's transaction: the open cases owe a re-screen against `version`."""
    return RescreenJob.objects.create(list_version=version)


def enqueue() -> None:
    """Queue run_pending on the django-tasks worker (after the import commits)."""
    rescreen_open_cases_task.enqueue()


def _screened_versions(run: ScreeningRun) -> dict[str, int]:
    """{list name: version number} the run screened against (from its label list for runs stored before
    the run kept the versions themselves)."""
    used = {v.list.name: v.number for v in run.versions.select_related("list")}
    if not used:
        for label in run.list_versions or []:
            name, _, number = str(label).rpartition(" v")
            if number.isdigit():
                used[name] = int(number)
    return used


def latest_run(case: Case) -> ScreeningRun | None:
    return ScreeningRun.objects.filter(case=case).order_by("-at", "-pk").first()


def stale_lists(case: Case) -> list[StaleList]:
    """The lists whose current version this submitted case was not screened against (every party is
    screened in each run, so this holds for each of its parties). Empty for a draft."""
    if case.submitted_at is None:
        return []
    current = list(ListVersion.objects.filter(is_current=True).select_related("list").order_by("list__name"))
    if not current:
        return []
    run = latest_run(case)
    used = _screened_versions(run) if run is not None else {}
    return [
        StaleList(v.list.name, used.get(v.list.name), v.number)
        for v in current
        if used.get(v.list.name) != v.number
    ]


def stale_open_cases() -> list[int]:
    """Ids of the open cases screened against an older list version than the current one."""
    current = {
        v.list.name: v.number for v in ListVersion.objects.filter(is_current=True).select_related("list")
    }
    if not current:
        return []
    out = []
    for case in Case.objects.filter(status__in=OPEN_STATUSES, submitted_at__isnull=False).order_by("pk"):
        run = latest_run(case)
        used = _screened_versions(run) if run is not None else {}
        if any(used.get(name) != number for name, number in current.items()):
            out.append(case.pk)
    return out


def rescreen_case(*, actor: Actor, case: Case, caused_by: str, cause: str | None = None) -> int:
    """Re-screen one open case against the current lists and re-assess it, in one transaction under the
    case's lock. Returns the number of new matches."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        new = screening_services.screen_case(
            actor=actor, case=locked, trigger=ScreeningRun.Trigger.LIST_UPDATE
        )
        reassessment.reassess(
            actor=actor, case=locked, cause=cause or reassessment.Cause.LIST_IMPORT, caused_by=caused_by
        )
    return len(new)


def run_pending(*, actor: Actor, everything: bool = False) -> Result:
    """Finish every pending re-screen job: re-screen and re-assess each open case screened against an older
    list (`everything`: every open case), then mark the jobs done. Safe to repeat or to run after a crash
    halfway: a case already screened against the current versions is not stale any more."""
    jobs = list(
        RescreenJob.objects.filter(state=RescreenJob.State.PENDING).select_related("list_version__list")
    )
    if everything:
        ids = list(
            Case.objects.filter(status__in=OPEN_STATUSES, submitted_at__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        ids = stale_open_cases()
    if jobs:
        labels = sorted({f"{j.list_version.list.name} v{j.list_version.number}" for j in jobs})
        caused_by, cause = "list import " + ", ".join(labels), reassessment.Cause.LIST_IMPORT
    else:
        caused_by, cause = "re-screen of open cases", reassessment.Cause.RESCREEN
    new_matches = 0
    for case in Case.objects.filter(pk__in=ids).order_by("pk"):
        new_matches += rescreen_case(actor=actor, case=case, caused_by=caused_by, cause=cause)
    if jobs or ids:
        with transaction.atomic():
            RescreenJob.objects.filter(pk__in=[j.pk for j in jobs], state=RescreenJob.State.PENDING).update(
                state=RescreenJob.State.DONE,
                finished_at=timezone.now(),
                cases=len(ids),
                new_matches=new_matches,
            )
            record(
                actor=actor,
                action="screening.rescreen_finished",
                target=jobs[-1] if jobs else None,
                data={"jobs": [j.pk for j in jobs], "cases": len(ids), "new_matches": new_matches},
            )
    return Result(cases=len(ids), new_matches=new_matches, jobs=len(jobs))


def resume_pending_work() -> list[str]:
    """At `warden serve` startup: queue the work a crash may have left recorded but not queued (pending
    re-screen jobs, pending law-change impact runs). Returns one line per thing queued."""
    lines = []
    pending = RescreenJob.objects.filter(state=RescreenJob.State.PENDING).count()
    if pending:
        enqueue()
        lines.append(f"{pending} pending re-screen job(s) queued")
    return lines + law_change.queue_pending_runs()


# The worker's entry point, beside the flow it runs. The job is durable (RescreenJob rows): a task queued
# under its old path (warden.screening.tasks) before an upgrade fails to import, its job stays pending, and
# `warden resume` (resume_pending_work) queues it again.
@task()
def rescreen_open_cases_task() -> int:
    """Finish the pending re-screen jobs (run_pending); the new match count."""
    return run_pending(actor=system("the re-screen a list import owes the open cases")).new_matches
