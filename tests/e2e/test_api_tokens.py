"""An exporter creates an API token in the UI (shown once), their system uses it on the REST API, and after
revoking it in the UI the API refuses it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exporter_creates_uses_and_revokes_an_api_token(
    personas: Personas, new_page: Any, browser: Any, live_server: Any, shot: Any
) -> None:
    case = factories.submitted(personas)
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="API tokens").click()
    expect(alice.get_by_text("You have no API tokens.")).to_be_visible()
    alice.get_by_role("button", name="Create token").click()
    expect(alice.get_by_test_id("error-summary")).to_contain_text("Name of the token")
    alice.get_by_label("Name of the token").fill("ERP export module")
    alice.get_by_role("button", name="Create token").click()
    token = alice.get_by_test_id("token-value").inner_text().strip()
    assert token.startswith("wdn_")
    expect(alice.get_by_test_id("new-token")).to_contain_text("shown only this once")
    expect(alice.get_by_test_id("tokens")).to_contain_text("ERP export module")
    shot(alice, "token-01-created-shown-once")
    # Reloading the list does not show the token again.
    alice.goto("/account/tokens/")
    assert token not in alice.content()

    # The exporter's own system: a client with no session, only the bearer token.
    system = browser.new_context(base_url=live_server.url)
    try:
        auth = {"Authorization": f"Bearer {token}"}
        response = system.request.get(f"/api/applications/{case.reference}", headers=auth)
        assert response.status == 200, response.text()
        assert response.json()["status"] == "submitted"

        alice.get_by_role("button", name="Revoke the token ERP export module").click()
        expect(alice.locator(".messages")).to_contain_text("revoked")
        expect(alice.get_by_test_id("tokens")).to_contain_text("Revoked")
        shot(alice, "token-02-revoked")
        assert system.request.get(f"/api/applications/{case.reference}", headers=auth).status == 401
    finally:
        system.close()


def test_api_docs_render_the_operations(personas: Personas, new_page: Any, shot: Any) -> None:
    page = new_page()
    sign_in(page, "alice", PASSWORD)
    page.goto("/api/docs")
    expect(page.get_by_text("List your applications").first).to_be_visible(timeout=5_000)
    shot(page, "token-03-api-docs")
