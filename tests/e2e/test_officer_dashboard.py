"""An officer goes from the dashboard's "Not yet routed" count to the queue of cases no team has taken,
and the queue's Team filter says so."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_opens_the_cases_not_yet_routed_from_the_dashboard(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    waiting = factories.submitted(personas)
    taken = factories.in_initial_checks(personas)
    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.get_by_test_id("not-routed").click()
    queue = olivia.get_by_test_id("queue")
    expect(queue).to_contain_text(waiting.reference)
    expect(queue).not_to_contain_text(taken.reference)
    expect(olivia.get_by_label("Team")).to_have_value("none")
    expect(olivia.get_by_label("Team").locator("option:checked")).to_have_text("Not yet routed")
    shot(olivia, "dashboard-01-not-yet-routed-queue")
    # The filter is an ordinary choice: another team replaces it.
    olivia.get_by_label("Team").select_option(label="Licensing Unit")
    olivia.get_by_role("button", name="Apply filters").click()
    expect(olivia.get_by_test_id("queue")).to_contain_text(taken.reference)
    expect(olivia.get_by_test_id("queue")).not_to_contain_text(waiting.reference)
