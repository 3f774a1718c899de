"""Two-step sign-in with a TOTP code (issue 14 §3): set-up, the sign-in flow, throttling and the reset."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from warden.accounts import second_factor
from warden.audit.models import AuditEntry
from warden.lib.errors import InvalidInput, NotPermitted
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, later_steps: int = 0) -> str:
    # What the person's authenticator app shows (a later step: a code not yet used, as at a later sign-in).
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later_steps * device.step
    return f"{totp.token():06d}"


def _password(client: Client, username: str) -> object:
    return client.post("/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.3")


def _code(client: Client, code: str) -> object:
    return client.post("/login/code/", {"code": code}, REMOTE_ADDR="10.0.0.3")


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_a_code_from_the_device_confirms_it_and_a_wrong_one_does_not(personas: Personas) -> None:
    device = second_factor.pending_device(personas.exporter)
    with pytest.raises(InvalidInput):
        second_factor.confirm_set_up(actor=personas.exporter, user=personas.exporter, code="000000x")
    assert second_factor.confirmed_device(personas.exporter) is None
    second_factor.confirm_set_up(actor=personas.exporter, user=personas.exporter, code=code_for(device))
    assert second_factor.confirmed_device(personas.exporter) == device
    assert AuditEntry.objects.filter(action="user.second_factor_set_up").count() == 1


def test_only_an_administrator_resets_another_persons_second_factor(personas: Personas) -> None:
    device = second_factor.pending_device(personas.officer)
    second_factor.confirm_set_up(actor=personas.officer, user=personas.officer, code=code_for(device))
    with pytest.raises(NotPermitted):
        second_factor.reset(actor=personas.exporter, user=personas.officer)
    with pytest.raises(NotPermitted):
        second_factor.confirm_set_up(actor=personas.exporter, user=personas.officer, code="123456")
    assert second_factor.reset(actor=personas.admin, user=personas.officer) == 1
    assert second_factor.confirmed_device(personas.officer) is None
    assert AuditEntry.objects.filter(action="user.second_factor_reset").count() == 1


@override_settings(REQUIRE_2FA=True)
def test_authority_staff_set_up_a_code_at_first_sign_in_then_give_one_each_time(personas: Personas) -> None:
    client = Client()
    response = _password(client, "olivia")
    assert response["Location"] == "/login/code/"  # type: ignore[index]
    assert not _signed_in(client)  # the password alone does not sign in
    page = client.get("/login/code/")
    assert b"totp-qr" in page.content and b"data:image/svg+xml" in page.content
    secret = re.search(rb'data-testid="totp-secret">([A-Z2-7]+)<', page.content)
    assert secret is not None
    device = TOTPDevice.objects.get(user=personas.officer, confirmed=False)
    assert b"not the one your authenticator" in _code(client, "123456").content  # type: ignore[attr-defined]
    assert not _signed_in(client)
    assert _code(client, code_for(device)).status_code == 302  # type: ignore[attr-defined]
    assert _signed_in(client)

    again = Client()
    _password(again, "olivia")
    asked = again.get("/login/code/")
    assert b"totp-qr" not in asked.content
    wrong = _code(again, "000000")
    assert b"That code is not right" in wrong.content  # type: ignore[attr-defined]
    assert not _signed_in(again)
    last = _code(again, code_for(device, later_steps=1))
    assert last.status_code == 302, re.findall(rb"alert.{0,200}|<h1>.{0,80}", last.content)  # type: ignore[attr-defined]
    assert _signed_in(again)


@override_settings(REQUIRE_2FA=True)
def test_exporters_sign_in_with_a_password_unless_they_opt_in(personas: Personas) -> None:
    client = Client()
    assert _password(client, "alice")["Location"] == "/"  # type: ignore[index]
    page = client.get("/account/two-step/")
    assert b"totp-secret" in page.content
    device = TOTPDevice.objects.get(user=personas.exporter, confirmed=False)
    client.post("/account/two-step/", {"code": code_for(device)})
    assert b"Two-step sign-in is on" in client.get("/account/two-step/").content

    later = Client()
    assert _password(later, "alice")["Location"] == "/login/code/"  # type: ignore[index]
    assert not _signed_in(later)


@override_settings(REQUIRE_2FA=True, LOGIN_MAX_FAILURES=3)
def test_wrong_codes_are_throttled_like_passwords(personas: Personas) -> None:
    device = second_factor.pending_device(personas.officer)
    second_factor.confirm_set_up(actor=personas.officer, user=personas.officer, code=code_for(device))
    client = Client()
    _password(client, "olivia")
    for _ in range(2):
        assert _code(client, "000000").status_code == 200  # type: ignore[attr-defined]
    _password(client, "olivia")  # the right password again does not forgive the wrong codes
    _code(client, "000000")
    refused = _password(client, "olivia")
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert b"Too many failed sign-in attempts" in refused.content  # type: ignore[attr-defined]
    assert not _signed_in(client)


def test_the_code_page_without_a_password_first_sends_back_to_sign_in(personas: Personas) -> None:
    assert Client().get("/login/code/")["Location"] == "/login/"
    assert Client().post("/login/code/", {"code": "123456"}).status_code == 302


def test_an_administrator_resets_it_from_the_person_page_and_others_cannot(personas: Personas) -> None:
    device = second_factor.pending_device(personas.officer)
    second_factor.confirm_set_up(actor=personas.officer, user=personas.officer, code=code_for(device))
    url = f"/people/{personas.officer.pk}/reset-two-step/"
    exporter = Client()
    exporter.force_login(personas.exporter)
    exporter.post(url)
    assert second_factor.confirmed_device(personas.officer) is not None
    admin = Client()
    admin.force_login(personas.admin)
    assert b"Reset two-step sign-in" in admin.get(f"/people/{personas.officer.pk}/").content
    response = admin.post(url, follow=True)
    assert b"two-step sign-in reset" in response.content
    assert second_factor.confirmed_device(personas.officer) is None


def test_the_command_line_resets_it_for_a_locked_out_administrator(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    from warden.cli import main

    device = second_factor.pending_device(personas.admin)
    second_factor.confirm_set_up(actor=personas.admin, user=personas.admin, code=code_for(device))
    assert main(["users", "reset-two-step", personas.admin.username]) == 0
    assert "two-step sign-in reset" in capsys.readouterr().out
    assert second_factor.confirmed_device(personas.admin) is None
    assert main(["users", "reset-two-step", "nobody"]) == 2
    assert "USERNAME" in capsys.readouterr().err
