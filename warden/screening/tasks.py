"""Background work: re-screen open cases when a list version is imported (run by the django-tasks worker)."""

from __future__ import annotations

from django_tasks import task


@task()
def rescreen_open_cases_task() -> int:
    from warden.screening.services import rescreen_open_cases

    return rescreen_open_cases(actor=None)
