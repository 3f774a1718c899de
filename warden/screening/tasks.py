"""Background work: re-screen open cases when a list version is imported (run by the django-tasks worker)."""

from __future__ import annotations

from django_tasks import task


@task()
def rescreen_open_cases_task() -> int:
    """Finish the pending re-screen jobs (warden.flows.rescreening.run_pending); the new match count."""
    from warden.flows.rescreening import run_pending

    return run_pending(actor=None).new_matches
