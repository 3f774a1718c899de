"""An officer whose authority requires two-step sign-in: at her first sign-in she is shown a QR code and the
secret, types the code her authenticator app shows (computed here with django-otp's TOTP) and is in; she
signs out, signs in again with her password and a fresh code, and lands on her dashboard."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str, later_steps: int = 0) -> str:
    # The authenticator app: the secret as the page shows it (base32), 30-second steps, six digits.
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time() + 30 * later_steps
    return f"{totp.token():06d}"


def test_an_officer_sets_up_two_step_sign_in_then_signs_in_with_a_code(
    personas: Personas, new_page: Any, shot: Any, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    expect(olivia.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    expect(olivia.get_by_test_id("totp-qr")).to_be_visible()
    secret = olivia.get_by_test_id("totp-secret").inner_text().strip()
    shot(olivia, "two-step-01-set-up")
    olivia.get_by_label("Code").fill("000000")
    olivia.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(olivia.get_by_test_id("error-summary")).to_contain_text("not the one your authenticator app shows")
    olivia.get_by_label("Code").fill(_code(secret))
    olivia.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(olivia.get_by_test_id("user-name")).to_be_visible()

    olivia.get_by_role("button", name="Sign out").click()
    sign_in(olivia, "olivia", PASSWORD)
    expect(olivia.get_by_test_id("totp-qr")).to_have_count(0)
    olivia.get_by_label("Code").fill(_code(secret, later_steps=1))  # the last code is spent: the next one
    shot(olivia, "two-step-02-code")
    olivia.get_by_role("button", name="Sign in").click()
    expect(olivia.get_by_test_id("user-name")).to_be_visible()
    assert olivia.url.endswith("/")
