"""Database sessions (django.contrib.sessions.backends.db) read with one prepared SELECT.

Same table, same expiry rule, same signed encoding, so logging out or an expired session takes effect at
once in every worker (unlike per-process cached sessions) and existing sessions stay valid. Only the read,
made on every page view, skips the ORM's query compilation (see warden.web.fastdb)."""

from __future__ import annotations

import functools

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.db import connections
from django.utils import timezone

from warden.web import fastdb


@functools.cache
def _sql() -> str:
    cols = fastdb.columns(Session, "s")[0]
    return f"SELECT {cols} FROM {fastdb.table(Session)} s WHERE s.session_key = %s AND s.expire_date > %s"


class SessionStore(DbSessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key:
            now = connections["default"].ops.adapt_datetimefield_value(timezone.now())
            rows = fastdb.fetch_rows(_sql(), [key, now])
            if rows:
                return fastdb.build(Session, fastdb.columns(Session, "s")[1], rows[0])
        self._session_key = None
        return None
