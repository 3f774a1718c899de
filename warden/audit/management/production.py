"""Management commands that empty the database are unavailable in production (settings.PRODUCTION, from
WARDEN_PRODUCTION=1): emptying a database is outside every audit guarantee, so it is a test and development
tool only. The commands override Django's under the same names (this app's management/commands)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(command: str) -> None:
    """Raise CommandError (exit status 1, nothing done) when running in production."""
    if getattr(settings, "PRODUCTION", False):
        raise CommandError(
            f"`{command}` would delete every row of every table, the audit log included, and is unavailable "
            "in production (WARDEN_PRODUCTION=1). Nothing was changed. To start afresh, create a new database "
            "and run `warden init`; to retire data, keep the old database and its audit log as they are."
        )
