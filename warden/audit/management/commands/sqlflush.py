"""`sqlflush` prints the statements that would empty the database (for piping into `dbshell`): unavailable in
production for the same reason as `flush` (management/production.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.sqlflush import Command as DjangoSqlFlush

from warden.audit.management.production import refuse_in_production


class Command(DjangoSqlFlush):
    def handle(self, **options: Any) -> str:
        refuse_in_production("sqlflush")
        return str(super().handle(**options))
