"""Accounts in the browser: an administrator changes a person's role and reactivates another; a person changes
their password, signs out and in with the new one; an exporter makes a read-only token that the page shows
once (a reload shows it no more and creates nothing) and that the API lets read but not write; a person who
forgot their password sets a new one through the mailed link, which then works no more."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.accounts import services
from warden.accounts.models import ApiToken, Role, User
from warden.testing import PASSWORD, Personas, application_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Violet-Tandem-Orchard-48"


def test_admin_edits_a_role_and_reactivates_a_person(personas: Personas, new_page: Any, shot: Any) -> None:
    services.deactivate_user(actor=personas.admin, user=personas.exporter_b)
    ada = new_page()
    sign_in(ada, "ada", PASSWORD)
    ada.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(ada.get_by_test_id("person-bob")).to_contain_text("Deactivated")
    ada.get_by_role("button", name="Reactivate bob").click()
    expect(ada.locator(".messages")).to_contain_text("bob reactivated")
    expect(ada.get_by_test_id("person-status")).to_contain_text("Active")

    ada.get_by_role("link", name="All people").click()
    ada.get_by_role("link", name="Manage olivia").click()
    ada.get_by_label("Role", exact=True).select_option(label="Senior officer")
    ada.get_by_role("button", name="Save role and placement").click()
    expect(ada.locator(".messages")).to_contain_text("olivia is now senior officer")
    expect(ada.get_by_test_id("person-status")).to_contain_text("Senior officer")
    shot(ada, "accounts-01-role-changed")
    assert User.objects.get(username="olivia").role == Role.SENIOR_OFFICER

    # Her own page offers no way to demote or deactivate herself.
    ada.get_by_role("link", name="All people").click()
    ada.get_by_role("link", name="Manage ada").click()
    expect(ada.get_by_text("You cannot change your own role")).to_be_visible()
    expect(ada.get_by_role("button", name="Deactivate")).to_have_count(0)

    bob = new_page()
    sign_in(bob, "bob", PASSWORD)
    expect(bob.get_by_test_id("user-name")).to_be_visible()


def test_a_person_changes_their_password_and_signs_in_with_it(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.get_by_role("link", name="Change password").click()
    olivia.get_by_label("Current password").fill(PASSWORD)
    olivia.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    olivia.get_by_label("New password again").fill(NEW_PASSWORD + "!")
    olivia.get_by_role("button", name="Change password").click()
    expect(olivia.get_by_test_id("error-summary")).to_contain_text("The two new passwords differ")
    olivia.get_by_label("Current password").fill(PASSWORD)
    olivia.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    olivia.get_by_label("New password again").fill(NEW_PASSWORD)
    olivia.get_by_role("button", name="Change password").click()
    expect(olivia.locator(".messages")).to_contain_text("Your password is changed")
    shot(olivia, "accounts-02-password-changed")

    olivia.get_by_role("button", name="Sign out").click()
    sign_in(olivia, "olivia", PASSWORD)
    expect(olivia.get_by_text("Enter a correct username and password")).to_be_visible()
    sign_in(olivia, "olivia", NEW_PASSWORD)
    expect(olivia.get_by_test_id("user-name")).to_be_visible()


def test_an_exporter_creates_a_read_only_token_shown_once(
    personas: Personas, new_page: Any, browser: Any, live_server: Any, shot: Any
) -> None:
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="API tokens").click()
    alice.get_by_label("Name of the token").fill("Status monitor")
    alice.get_by_label("Valid for (days)").fill("30")
    alice.get_by_label("Read only (follow applications and licences)").check()
    alice.get_by_role("button", name="Create token").click()
    token = alice.get_by_test_id("token-value").inner_text().strip()
    assert token.startswith("wdn_")
    expect(alice.get_by_test_id("tokens")).to_contain_text("Read only")
    shot(alice, "accounts-03-read-only-token")

    alice.reload()
    expect(alice.get_by_test_id("tokens")).to_contain_text("Status monitor")
    expect(alice.get_by_test_id("new-token")).to_have_count(0)
    assert token not in alice.content()
    assert ApiToken.objects.filter(user=personas.exporter).count() == 1

    system = browser.new_context(base_url=live_server.url)
    try:
        auth = {"Authorization": f"Bearer {token}"}
        assert system.request.get("/api/applications/", headers=auth).status == 200
        write = system.request.post(
            "/api/applications/", headers=auth, data=application_for(personas.exporter)
        )
        assert write.status == 403 and write.json()["detail"] == "this token is read-only"
    finally:
        system.close()


def test_a_forgotten_password_is_reset_by_the_mailed_link(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    User.objects.filter(pk=personas.officer.pk).update(email="olivia@authority.example")
    olivia = new_page()
    olivia.goto("/login/")
    olivia.get_by_role("link", name="Forgotten your password?").click()
    olivia.get_by_label("Username or e-mail address").fill("olivia@authority.example")
    olivia.get_by_role("button", name="Send the link").click()
    expect(olivia.get_by_test_id("reset-sent")).to_contain_text("If an active account has that username")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/reset/\S+/", mail.outbox[0].body).group(0)  # type: ignore[union-attr]
    olivia.goto(link)
    olivia.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    olivia.get_by_label("New password again").fill(NEW_PASSWORD)
    olivia.get_by_role("button", name="Set the password").click()
    expect(olivia.locator(".messages")).to_contain_text("Your new password is set")
    shot(olivia, "accounts-04-password-reset")
    sign_in(olivia, "olivia", NEW_PASSWORD)
    expect(olivia.get_by_test_id("user-name")).to_be_visible()
    olivia.goto(link)
    expect(olivia.get_by_test_id("reset-invalid")).to_contain_text("This link no longer works")
