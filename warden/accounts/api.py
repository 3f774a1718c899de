"""Bearer-token authentication for the REST API (exporters' own systems and authority tooling), and the one
accounts endpoint, mounted at /api/account:
    GET /api/account/token    the calling token: its name, prefix, scopes, expiry, and whom it acts as

A token opens the API while it is not revoked, not expired (expires_at None: a token older than expiry,
which never expires), its user is active and, for authority staff while two-step sign-in is required, has a
confirmed device (docs/decisions/0021-tokens-and-second-factor.md). A read-only token (scopes "read") may GET, HEAD and OPTIONS
only; anything else is a 403 "this token is read-only", whatever the user's role would allow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import formats, timezone
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from warden.accounts import second_factor
from warden.accounts.models import ApiToken, User
from warden.lib.errors import NotPermitted


def token_row(token: str) -> ApiToken | None:
    """The unrevoked token of an active user, with its user's organisation and team, in one query. Every call
    reads the database, so a revoked token or a deactivated user is refused at once in every worker (no
    cache). Expiry and scope are the caller's to judge, so that it can say which one refused."""
    return (
        ApiToken.objects.select_related("user__organisation", "user__team")
        .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def token_user(token: str) -> tuple[int, Any, User] | None:
    """(token id, last_used_at, user) for a live, unexpired token of an active user."""
    row = token_row(token)
    if row is None or (row.expires_at is not None and row.expires_at <= timezone.now()):
        return None
    return row.pk, row.last_used_at, row.user


def _day(moment: Any) -> str:
    return str(formats.date_format(timezone.localtime(moment), "j F Y"))


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = token_row(token)
        if row is None:
            return None
        now = timezone.now()
        if row.expires_at is not None and row.expires_at <= now:
            # Raised, not returned None, so the 401 says why: the owner makes a new token rather than
            # suspecting a typo.
            raise AuthenticationError(message=f"token expired on {_day(row.expires_at)}")
        refused = second_factor.token_use_refusal(row.user)
        if refused:  # a token must not be the way round a second factor its owner is required to have
            raise AuthenticationError(message=refused)
        if not row.allows(request.method or "GET"):
            raise NotPermitted("this token is read-only")
        # last_used_at is a convenience for the token owner; updating it at most once a minute keeps reads cheap.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        # The row itself, for GET /api/account/token (the user alone does not say which token called).
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


class TokenOut(Schema):
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None  # None: a token from before expiry existed, which never expires
    username: str
    role: str


router = Router(tags=["account"])


@router.get("/token", response=TokenOut, summary="The calling token: scopes, expiry and whom it acts as")
def this_token(request: HttpRequest) -> TokenOut:
    row: ApiToken = request.api_token  # type: ignore[attr-defined]
    return TokenOut(
        name=row.name,
        prefix=row.prefix,
        scopes=row.scope_list,
        created_at=row.created_at,
        expires_at=row.expires_at,
        username=row.user.username,
        role=row.user.role,
    )
