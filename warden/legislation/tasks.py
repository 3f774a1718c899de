"""Background work (django-tasks): long impact and what-if runs, with progress stored on the run."""

from __future__ import annotations

from django_tasks import task


@task()
def impact_task(run_id: int) -> int:
    from warden.legislation.impact import execute
    from warden.legislation.models import ImpactRun

    run = execute(ImpactRun.objects.select_related("from_revision", "to_revision").get(pk=run_id))
    return run.affected
