"""What a token opens on the REST API: until it expires (then a 401 naming the day), GET only when it is
read-only (anything else a 403 saying so), everything the role allows when it may write; tokens made before
expiry and scopes existed keep working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from warden.accounts import services
from warden.accounts.models import ApiToken, TokenScope
from warden.lib.errors import InvalidInput
from warden.testing import Personas, application_for

pytestmark = pytest.mark.django_db


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _submit(token: str, personas: Personas):  # type: ignore[no-untyped-def]
    return Client().post(
        "/api/applications/",
        application_for(personas.exporter),
        content_type="application/json",
        **_auth(token),
    )


def test_an_expired_token_is_a_401_that_names_the_day(personas: Personas) -> None:
    row, token = services.create_api_token(actor=personas.exporter, user=personas.exporter, name="t", days=1)
    assert Client().get("/api/applications/", **_auth(token)).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    r = Client().get("/api/applications/", **_auth(token))
    assert r.status_code == 401
    assert r.json() == {"detail": "token expired on 1 March 2026"}


def test_a_read_only_token_reads_but_cannot_write(personas: Personas) -> None:
    _, token = services.create_api_token(
        actor=personas.exporter, user=personas.exporter, name="r", scope=TokenScope.READ
    )
    before = Client().get("/api/applications/", **_auth(token))
    assert before.status_code == 200
    r = _submit(token, personas)
    assert r.status_code == 403 and r.json()["detail"] == "this token is read-only"
    assert Client().get("/api/applications/", **_auth(token)).json() == before.json()  # nothing submitted


def test_a_write_token_does_what_the_role_allows(personas: Personas) -> None:
    _, token = services.create_api_token(
        actor=personas.exporter, user=personas.exporter, name="w", scope=TokenScope.WRITE
    )
    assert _submit(token, personas).status_code in (200, 201)


def test_a_token_from_before_expiry_existed_never_expires_and_may_write(personas: Personas) -> None:
    row, token = services.create_api_token(actor=personas.exporter, user=personas.exporter, name="old")
    ApiToken.objects.filter(pk=row.pk).update(expires_at=None, scopes="read write")  # as migration 0003
    assert Client().get("/api/applications/", **_auth(token)).status_code == 200
    assert _submit(token, personas).status_code in (200, 201)


@pytest.mark.parametrize("days", [0, 366, -5])
def test_a_token_lasts_1_to_365_days(personas: Personas, days: int) -> None:
    with pytest.raises(InvalidInput, match="from 1 to 365 days"):
        services.create_api_token(actor=personas.exporter, user=personas.exporter, name="t", days=days)
    assert not ApiToken.objects.exists()


def test_new_tokens_last_90_days_by_default(personas: Personas) -> None:
    row, _ = services.create_api_token(actor=personas.exporter, user=personas.exporter, name="t")
    assert row.expires_at is not None
    assert abs((row.expires_at - timezone.now()) - dt.timedelta(days=90)) < dt.timedelta(minutes=1)


def test_a_client_reads_its_own_tokens_scope_and_expiry(personas: Personas) -> None:
    row, token = services.create_api_token(
        actor=personas.exporter, user=personas.exporter, name="monitor", days=30, scope=TokenScope.READ
    )
    body = Client().get("/api/account/token", **_auth(token)).json()
    assert body["name"] == "monitor" and body["prefix"] == row.prefix and body["scopes"] == ["read"]
    assert body["username"] == "alice" and body["role"] == "exporter"
    assert body["expires_at"].startswith(row.expires_at.date().isoformat())  # type: ignore[union-attr]
    assert Client().get("/api/account/token").status_code == 401
