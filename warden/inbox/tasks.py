"""Background tasks (django-tasks): the same as `warden inbox deliver` and `warden inbox daily`."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_task() -> int:
    from warden.inbox import services

    return services.catch_up()
