"""Guards seen from a browser: the login throttle message, another organisation's case URL, and a schema
error shown next to the field it concerns."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_throttle_message_even_with_the_right_password(
    personas: Personas, new_page: Any, shot: Any, settings: Any
) -> None:
    settings.LOGIN_MAX_FAILURES = 2
    page = new_page()
    for _ in range(2):
        sign_in(page, "alice", "not-the-password")
        expect(page.get_by_test_id("error-summary")).to_contain_text("Enter a correct username and password")
    sign_in(page, "alice", PASSWORD)
    expect(page.get_by_test_id("error-summary")).to_contain_text("Too many failed sign-in attempts")
    assert "/login/" in page.url
    shot(page, "guard-login-throttled")


def test_exporter_cannot_open_another_organisations_case(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.submitted(personas)  # alice's organisation
    page = new_page()
    sign_in(page, "bob", PASSWORD)
    response = page.goto(f"/cases/{case.pk}/")
    assert response is not None and response.status == 404
    assert case.reference not in page.content()
    shot(page, "guard-other-organisation-404")


def test_schema_error_is_shown_next_to_its_field(personas: Personas, new_page: Any, shot: Any) -> None:
    page = new_page()
    sign_in(page, "alice", PASSWORD)
    page.goto("/cases/new/")
    page.get_by_label("Destination country").select_option("NO")
    page.get_by_label("End use").fill("Spares")
    page.locator("#id_goods-0-description").fill("Rotor blade")
    page.locator("#id_goods-0-rating").fill("BANANA")
    page.locator("#id_goods-0-quantity").fill("1")
    page.locator("#id_goods-0-value_amount").fill("10")
    page.locator("#id_parties-0-name").fill("Norwegian Defence Materiel Agency")
    page.get_by_role("button", name="Save draft").click()
    rating = page.locator("#id_goods-0-rating")
    expect(rating).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_goods-0-rating_error")
    expect(error).to_be_visible()
    assert "id_goods-0-rating_error" in (rating.get_attribute("aria-describedby") or "")
    expect(page.get_by_test_id("error-summary")).to_contain_text("Goods line 1, Control list rating")
    # The summary links to the field.
    page.get_by_test_id("error-summary").get_by_role("link").first.click()
    expect(rating).to_be_focused()
    shot(page, "guard-validation-error")
