"""An administrator adds a person in the browser, the placement rule is explained at its field, and the new
person can sign in."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.accounts import throttle
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_adds_an_adviser_who_then_signs_in(personas: Personas, new_page: Any, shot: Any) -> None:
    ada = new_page()
    sign_in(ada, "ada", PASSWORD)
    ada.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(ada.get_by_test_id("people")).to_contain_text("alice")
    ada.get_by_label("Username").fill("dora")
    ada.get_by_label("First name").fill("Dora")
    ada.get_by_label("Role").select_option(label="Adviser (consulted department)")
    ada.get_by_label("Initial password").fill("Correct-Horse-Battery-93")
    ada.get_by_role("button", name="Add the person").click()
    expect(ada.get_by_test_id("error-summary")).to_contain_text(
        "An adviser must belong to a consulted department"
    )
    ada.get_by_label("Team").select_option(label="Defence")
    ada.get_by_label("Initial password").fill("Correct-Horse-Battery-93")
    ada.get_by_role("button", name="Add the person").click()
    expect(ada.get_by_test_id("person-dora")).to_contain_text("Defence")
    shot(ada, "admin-01-person-added")

    dora = new_page()
    sign_in(dora, "dora", "Correct-Horse-Battery-93")
    expect(dora.get_by_test_id("user-role")).to_contain_text("Defence")


def test_admin_unlocks_a_client_address_locked_by_a_spray(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    """Another office's gateway sprayed wrong passwords at many accounts (the counters as the sign-in leaves
    them): the people page lists the address, and one click lifts its lock-out alone."""
    for i in range(settings.LOGIN_ADDRESS_MAX_FAILURES):
        assert throttle.reserve_attempt(f"guess-{i}", "192.0.2.10") is None
    ada = new_page()
    sign_in(ada, "ada", PASSWORD)
    ada.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(ada.get_by_test_id("locked-addresses")).to_contain_text("192.0.2.10")
    shot(ada, "admin-02-locked-address")
    ada.get_by_role("button", name="Unlock 192.0.2.10").click()
    expect(ada.get_by_text("recent failed sign-in(s) forgotten")).to_be_visible()
    expect(ada.get_by_test_id("no-locked-addresses")).to_be_visible()
    assert throttle.locked_addresses() == []
