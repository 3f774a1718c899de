"""Bearer-token authentication for the REST API (exporters' own systems and authority tooling)."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from warden.accounts.models import ApiToken, User


@functools.cache
def _sql() -> str:
    from warden.web import fastdb
    from warden.web.auth import user_columns, user_joins

    last_used = fastdb.quote(ApiToken._meta.get_field("last_used_at").column)
    return (
        f"SELECT k.id, k.{last_used}, {user_columns()} FROM {fastdb.table(ApiToken)} k "
        f"JOIN {fastdb.table(User)} u ON u.id = k.user_id {user_joins()} "
        "WHERE k.digest = %s AND k.revoked_at IS NULL AND u.is_active = %s"
    )


def token_user(token: str) -> tuple[int, Any, User] | None:
    """(token id, last_used_at, user with organisation and team) for a live token of an active user, in one
    prepared query. Every call reads the database, so a revoked token or a deactivated user is refused at once
    in every worker (no cache); only the ORM's query compilation is skipped (see warden.web.fastdb)."""
    from warden.web import fastdb
    from warden.web.auth import user_from_row

    rows = fastdb.fetch_rows(_sql(), [ApiToken.digest_of(token), True])
    if not rows:
        return None
    row = rows[0]
    last_used_at = fastdb.build(ApiToken, ("last_used_at",), (row[1],)).last_used_at
    return row[0], last_used_at, user_from_row(row, 2)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_user(token)
        if found is None:
            return None
        token_id, last_used_at, user = found
        # last_used_at is a convenience for the token owner; updating it at most once a minute keeps reads cheap.
        now = timezone.now()
        if last_used_at is None or (now - last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        request.user = user
        return user
