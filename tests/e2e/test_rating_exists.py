"""A rating that is not on the control list (ML22.z: ML22 has sub-items a and b only) is shown next to the
rating field in the browser, naming the rating, and no draft is saved."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.models import Case
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rating_not_on_the_list_is_shown_next_to_its_field(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    page = new_page()
    sign_in(page, "alice", PASSWORD)
    page.goto("/cases/new/")
    page.get_by_label("Destination country").select_option("NO")
    page.get_by_label("End use").fill("Spares")
    page.locator("#id_goods-0-description").fill("Technology package")
    page.locator("#id_goods-0-rating").fill("ML22.z")
    page.locator("#id_goods-0-quantity").fill("1")
    page.locator("#id_goods-0-value_amount").fill("10")
    page.locator("#id_parties-0-name").fill("Norwegian Defence Materiel Agency")
    page.get_by_role("button", name="Save draft").click()
    error = page.locator("#id_goods-0-rating_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("ML22.z")
    expect(error).to_contain_text("ML22 has sub-items a, b only")
    assert Case.objects.count() == 0
    shot(page, "rating-not-on-the-list")
