"""The API tokens page: a person creates a token (shown once, only its digest stored), sees it listed,
revokes it; nobody can revoke another person's token; a revoked token no longer opens the API."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from warden.accounts.models import ApiToken
from warden.audit.models import AuditEntry
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_creating_a_token_shows_it_once_and_stores_only_its_digest(personas: Personas) -> None:
    c = _client(personas.exporter)
    r = c.post("/account/tokens/", {"name": "ERP export module"})
    assert r.status_code == 200
    assert "no-store" in r.get("Cache-Control", "") or "max-age=0" in r.get("Cache-Control", "")
    token = re.search(r'data-testid="token-value">(wdn_[^<]+)<', r.content.decode()).group(1)  # type: ignore[union-attr]
    row = ApiToken.objects.get(user=personas.exporter)
    assert row.name == "ERP export module" and row.digest == ApiToken.digest_of(token)
    assert AuditEntry.objects.filter(action="token.create").exists()
    listing = c.get("/account/tokens/").content.decode()
    assert "ERP export module" in listing and token not in listing and row.prefix in listing
    assert c.get("/api/applications/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_a_token_without_a_name_is_refused_and_nothing_is_created(personas: Personas) -> None:
    r = _client(personas.exporter).post("/account/tokens/", {"name": "  "})
    assert r.status_code == 400
    assert "Name of the token" in r.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token_and_says_so(personas: Personas) -> None:
    c = _client(personas.exporter)
    token = re.search(r"(wdn_[\w-]+)", c.post("/account/tokens/", {"name": "CI"}).content.decode()).group(1)  # type: ignore[union-attr]
    row = ApiToken.objects.get(user=personas.exporter)
    r = c.post(f"/account/tokens/{row.pk}/revoke/", follow=True)
    assert "revoked" in r.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert c.get("/api/applications/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_nobody_revokes_another_persons_token(personas: Personas) -> None:
    _client(personas.exporter).post("/account/tokens/", {"name": "Alice's"})
    row = ApiToken.objects.get(user=personas.exporter)
    for other in (personas.exporter_b, personas.officer, personas.oversight):
        assert _client(other).post(f"/account/tokens/{row.pk}/revoke/").status_code == 404
        assert "Alice&#x27;s" not in _client(other).get("/account/tokens/").content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_tokens_page_needs_a_signed_in_user(personas: Personas) -> None:
    r = Client().get("/account/tokens/")
    assert r.status_code == 302 and "/login/" in r["Location"]
