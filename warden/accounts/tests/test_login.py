"""Sign-in: Argon2, throttling per username and address, CSRF, and login required everywhere else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from warden.accounts.models import LoginCounter, LoginFailure
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_right_password_signs_in_and_lands_on_the_dashboard(personas: Personas) -> None:
    client = Client()
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert b"Alice" in page.content


def test_passwords_are_stored_with_argon2(personas: Personas) -> None:
    assert personas.exporter.password.startswith("argon2")


def test_wrong_password_is_refused_and_logged_as_a_failure(personas: Personas) -> None:
    response = _login(Client(), "alice", "wrong-password")
    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content
    assert LoginFailure.objects.filter(username="alice", ip="10.0.0.1").count() == 1


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=600)
def test_too_many_failures_lock_out_even_the_right_password(personas: Personas) -> None:
    client = Client()
    for _ in range(3):
        _login(client, "alice", "wrong-password")
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=600)
def test_an_account_lockout_holds_from_every_address_but_not_for_other_accounts(personas: Personas) -> None:
    # Issue 14 §3 changed this: the lock-out was per username+address, so a guesser with many addresses was
    # never slowed; now the account is locked from any address.
    for n in range(3):
        _login(Client(), "alice", "wrong-password", ip=f"10.0.0.{n + 1}")
    refused = _login(Client(), "alice", PASSWORD, ip="10.0.0.9")
    assert refused.status_code == 429
    assert b"for this account" in refused.content
    assert _login(Client(), "bob", PASSWORD, ip="10.0.0.1").status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=600)
def test_lockout_ends_when_the_window_has_passed(personas: Personas) -> None:
    for _ in range(3):
        _login(Client(), "alice", "wrong-password")
    LoginCounter.objects.update(last_at=timezone.now() - dt.timedelta(seconds=601))
    assert _login(Client(), "alice", PASSWORD).status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=600)
def test_a_successful_sign_in_clears_earlier_failures(personas: Personas) -> None:
    for _ in range(2):
        _login(Client(), "alice", "wrong-password")
    assert _login(Client(), "alice", PASSWORD).status_code == 302
    _login(Client(), "alice", "wrong-password")
    assert _login(Client(), "alice", PASSWORD).status_code == 302


def test_login_form_without_csrf_token_is_rejected(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert b"The form could not be accepted" in response.content
    assert "_auth_user_id" not in client.session


def test_login_form_with_csrf_token_is_accepted(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/login/", {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_actions_without_csrf_token_are_rejected(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.exporter)
    assert client.post("/cases/new/", {"licence_type": "individual"}).status_code == 403
    assert client.post("/logout/").status_code == 403


@pytest.mark.parametrize("url", ["/", "/cases/", "/cases/new/", "/licences/", "/cases/1/"])
def test_pages_require_sign_in(url: str, personas: Personas) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_logout_is_post_only_and_ends_the_session(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.exporter)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_next_parameter_cannot_redirect_off_site(personas: Personas) -> None:
    response = Client().post(
        "/login/?next=https://evil.example/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response["Location"] == "/"
