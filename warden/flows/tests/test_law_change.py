"""The law-change flow queues the impact run its revision wrote, after commit, and the run re-assesses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from warden.accounts.actors import system
from warden.flows import law_change
from warden.legislation import impact
from warden.legislation.loader import normalise, read_bundle
from warden.legislation.models import RevisionSource, RunStatus
from warden.legislation.tests.support import bundle_with_embargo, load_initial

pytestmark = pytest.mark.django_db


def _embargo_on_norway() -> dict[str, Any]:
    return bundle_with_embargo(normalise(read_bundle()), "NO", dt.date(2000, 1, 1))


def test_a_new_revision_queues_its_impact_run_after_commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    load_initial()
    queued: list[int] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(law_change, "enqueue", lambda run: queued.append(run.pk))
        with django_capture_on_commit_callbacks(execute=True):
            rev, created = law_change.load_reference(
                actor=system("test upload"),
                bundle=_embargo_on_norway(),
                source=RevisionSource.UPLOAD,
                note="embargo",
            )
    run = impact.change_run_for(rev)
    assert created and run is not None and queued == [run.pk]


def test_without_the_task_the_run_stays_pending_for_the_caller_or_a_restart() -> None:
    load_initial()
    rev, _ = law_change.load_reference(
        actor=system("test upload"),
        bundle=_embargo_on_norway(),
        source=RevisionSource.UPLOAD,
        note="embargo",
        impact="none",
    )
    run = impact.change_run_for(rev)
    assert run is not None and run.status == RunStatus.PENDING
    queued: list[int] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(law_change, "enqueue", lambda r: queued.append(r.pk))
        assert law_change.queue_pending_runs() == [f"law-change impact run #{run.pk} queued"]
    assert queued == [run.pk]
    done = law_change.execute(run)
    assert done.status == RunStatus.DONE and "reassessed" in done.summary
