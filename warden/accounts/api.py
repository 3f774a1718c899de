"""Bearer-token authentication for the REST API (exporters' own systems and authority tooling)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from warden.accounts.models import ApiToken, User


def token_user(token: str) -> tuple[int, Any, User] | None:
    """(token id, last_used_at, user with organisation and team) for a live token of an active user, in one
    query. Every call reads the database, so a revoked token or a deactivated user is refused at once in every
    worker (no cache)."""
    row = (
        ApiToken.objects.select_related("user__organisation", "user__team")
        .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    return row.pk, row.last_used_at, row.user


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
