"""`flush` that first lifts the audit table's append-only guards (and restores them afterwards), and that
refuses to run at all in production (management/production.py).

Django's test runner empties the database with `flush` after every TransactionTestCase (live-server browser
tests among them): a DELETE on SQLite and a TRUNCATE on PostgreSQL, both refused by the guards. Emptying a whole
database is already outside any audit guarantee, so the guards step aside for it and only for it."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from warden.audit.guards import set_enabled
from warden.audit.management.production import refuse_in_production


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        refuse_in_production("flush")
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        # SQLite flushes with DELETE (row triggers), PostgreSQL with TRUNCATE (the statement trigger).
        if "audit_auditentry" not in connection.introspection.table_names():
            super().handle(**options)
            return
        set_enabled(connection, False)
        try:
            super().handle(**options)
        finally:
            set_enabled(connection, True)
