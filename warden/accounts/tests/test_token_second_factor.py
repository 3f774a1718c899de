"""API tokens do not go round the second factor (docs/decisions/0021-tokens-and-second-factor.md): a person
whose sign-in takes a code creates tokens only from a session that passed it, and authority staff's tokens
are refused while two-step sign-in is required and they have no confirmed device."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from warden.accounts import second_factor, services
from warden.accounts.models import ApiToken, User
from warden.accounts.tests.test_second_factor import code_for
from warden.lib.errors import NotPermitted
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def _confirm_device(user: User) -> None:
    device = second_factor.pending_device(user)
    second_factor.confirm_set_up(actor=user, user=user, code=code_for(device))


def _call(token: str) -> tuple[int, str]:
    r = Client().get("/api/account/token", HTTP_AUTHORIZATION=f"Bearer {token}")
    return r.status_code, r.content.decode()


def _create_on_page(client: Client) -> int:
    return client.post("/account/tokens/", {"name": "ci", "days": 30, "scope": "write"}).status_code


def test_an_officers_token_is_refused_while_two_step_is_required_and_not_set_up(personas: Personas) -> None:
    _, token = services.create_api_token(actor=personas.officer, user=personas.officer, name="tooling")
    with override_settings(REQUIRE_2FA=True):
        status, body = _call(token)
        assert status == 401 and "two-step sign-in is required" in body
        _confirm_device(personas.officer)
        assert _call(token)[0] == 200


def test_an_exporters_token_works_while_two_step_is_required_of_staff(personas: Personas) -> None:
    _, token = services.create_api_token(actor=personas.exporter, user=personas.exporter, name="erp")
    with override_settings(REQUIRE_2FA=True):
        assert _call(token)[0] == 200


def test_a_session_that_did_not_pass_the_code_cannot_create_a_token(personas: Personas) -> None:
    _confirm_device(personas.exporter)  # opted in: every sign-in takes a code
    client = Client()
    client.force_login(personas.exporter)  # signed in without the code (a session from before the device)
    assert _create_on_page(client) == 400
    assert not ApiToken.objects.filter(user=personas.exporter).exists()
    with pytest.raises(NotPermitted):
        services.create_api_token(actor=personas.exporter, user=personas.exporter, name="direct")


def test_signing_in_with_password_and_code_lets_an_officer_create_a_token(personas: Personas) -> None:
    with override_settings(REQUIRE_2FA=True):
        _confirm_device(personas.officer)
        device = second_factor.confirmed_device(personas.officer)
        assert device is not None
        client = Client()
        client.post("/login/", {"username": personas.officer.username, "password": PASSWORD})
        assert client.post("/login/code/", {"code": code_for(device, later_steps=1)}).status_code == 302
        assert _create_on_page(client) == 302
        row = ApiToken.objects.get(user=personas.officer)
        new = client.get("/account/tokens/").content.decode()
        assert row.prefix in new


def test_nobody_creates_a_token_for_staff_who_must_set_up_two_step_first(personas: Personas) -> None:
    with override_settings(REQUIRE_2FA=True), pytest.raises(NotPermitted, match="not set up"):
        services.create_api_token(
            actor=personas.admin, user=personas.officer, name="for olivia", second_factor_passed=True
        )
    assert not ApiToken.objects.exists()


def test_the_refusal_of_a_token_is_the_api_error_body(personas: Personas) -> None:
    _, token = services.create_api_token(actor=personas.senior, user=personas.senior, name="t")
    with override_settings(REQUIRE_2FA=True):
        status, body = _call(token)
    assert status == 401
    assert "set it up" in json.loads(body)["detail"]
