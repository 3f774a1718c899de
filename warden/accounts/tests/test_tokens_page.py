"""The API tokens page: a person creates a token with an expiry and a scope (shown once, after a redirect;
only its digest stored), sees it listed, revokes it; nobody can revoke another person's token; a revoked
token no longer opens the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from warden.accounts.models import ApiToken
from warden.audit.models import AuditEntry
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _create(c: Client, name: str, days: int = 90, scope: str = "read"):  # type: ignore[no-untyped-def]
    return c.post("/account/tokens/", {"name": name, "days": days, "scope": scope})


def _shown(html: str) -> str:
    return re.search(r'data-testid="token-value">(wdn_[^<]+)<', html).group(1)  # type: ignore[union-attr]


def test_creating_a_token_redirects_and_the_next_page_shows_it_once(personas: Personas) -> None:
    c = _client(personas.exporter)
    r = _create(c, "ERP export module")
    assert r.status_code == 302 and r["Location"] == "/account/tokens/"
    page = c.get("/account/tokens/")
    assert "no-store" in page.get("Cache-Control", "") or "max-age=0" in page.get("Cache-Control", "")
    token = _shown(page.content.decode())
    row = ApiToken.objects.get(user=personas.exporter)
    assert row.name == "ERP export module" and row.digest == ApiToken.digest_of(token)
    assert AuditEntry.objects.filter(action="token.create").exists()
    # The reload: the token is gone from the page and from the session, and nothing new was created.
    listing = c.get("/account/tokens/").content.decode()
    assert "ERP export module" in listing and token not in listing and row.prefix in listing
    assert ApiToken.objects.count() == 1 and AuditEntry.objects.filter(action="token.create").count() == 1
    assert token not in str(dict(c.session))
    assert c.get("/api/applications/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_a_new_token_expires_after_the_days_chosen_with_the_scope_chosen(personas: Personas) -> None:
    c = _client(personas.exporter)
    _create(c, "Nightly report", days=7, scope="read")
    _create(c, "ERP", days=365, scope="write")
    rows = {t.name: t for t in ApiToken.objects.filter(user=personas.exporter)}
    week = rows["Nightly report"].expires_at - rows["Nightly report"].created_at  # type: ignore[operator]
    year = rows["ERP"].expires_at - rows["ERP"].created_at  # type: ignore[operator]
    assert round(week.total_seconds() / 86400) == 7 and round(year.total_seconds() / 86400) == 365
    assert (rows["Nightly report"].scopes, rows["ERP"].scopes) == ("read", "read write")
    listing = c.get("/account/tokens/").content.decode()
    assert "Read only" in listing and "Read and write" in listing


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "  ", "days": 90, "scope": "read"}, "Name of the token"),
        ({"name": "x", "days": 0, "scope": "read"}, "greater than or equal to 1"),
        ({"name": "x", "days": 366, "scope": "read"}, "less than or equal to 365"),
        ({"name": "x", "days": "soon", "scope": "read"}, "Enter a whole number"),
        ({"name": "x", "days": 30, "scope": "admin"}, "Select a valid choice"),
    ],
)
def test_a_bad_token_form_is_refused_and_nothing_is_created(
    personas: Personas, form: dict[str, object], message: str
) -> None:
    r = _client(personas.exporter).post("/account/tokens/", form)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token_and_says_so(personas: Personas) -> None:
    c = _client(personas.exporter)
    _create(c, "CI")
    token = _shown(c.get("/account/tokens/").content.decode())
    row = ApiToken.objects.get(user=personas.exporter)
    r = c.post(f"/account/tokens/{row.pk}/revoke/", follow=True)
    assert "revoked" in r.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert c.get("/api/applications/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_nobody_revokes_another_persons_token(personas: Personas) -> None:
    _create(_client(personas.exporter), "Alice's")
    row = ApiToken.objects.get(user=personas.exporter)
    for other in (personas.exporter_b, personas.officer, personas.oversight):
        assert _client(other).post(f"/account/tokens/{row.pk}/revoke/").status_code == 404
        assert "Alice&#x27;s" not in _client(other).get("/account/tokens/").content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_tokens_page_needs_a_signed_in_user(personas: Personas) -> None:
    r = Client().get("/account/tokens/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_an_expired_token_is_listed_as_expired(personas: Personas) -> None:
    c = _client(personas.exporter)
    _create(c, "Old ERP", days=1)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    row = re.search(
        r'data-testid="token-wdn_[^"]+">(.*?)</tr>', c.get("/account/tokens/").content.decode(), re.S
    )
    assert row is not None and "Expired" in row.group(1) and "Active" not in row.group(1)
