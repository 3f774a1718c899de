"""The committee member's journey in a real browser: search, open a case in the portal, add a note the
authority never sees, and read the integrity indicators down to the cases behind a hit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_committee_member_searches_opens_a_case_notes_it_and_reads_the_indicators(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    first, second = factories.submitted(personas), factories.submitted(personas)  # a split under EUR 2 m
    owen = new_page()
    sign_in(owen, "owen", PASSWORD)
    owen.get_by_role("navigation", name="Main").get_by_role("link", name="Committee portal").click()
    expect(owen.get_by_role("heading", level=1)).to_have_text("Committee portal")
    owen.get_by_role("link", name="Search cases, licences, parties and matches").click()
    owen.get_by_label("Reference or name").fill("Kjeller")
    owen.get_by_label("Destination").fill("nowhere")
    owen.get_by_role("button", name="Search").click()
    expect(owen.get_by_test_id("filter-errors")).to_contain_text("Destination 'nowhere' is not a two-letter")
    owen.get_by_label("Destination").fill("NO")
    owen.get_by_role("button", name="Search").click()
    results = owen.get_by_test_id("search-results")
    expect(results.locator("tbody tr")).to_have_count(2)
    shot(owen, "committee-01-search")
    results.get_by_role("link", name=first.reference).click()
    expect(owen.get_by_role("heading", level=1)).to_contain_text(first.reference)
    expect(owen.get_by_test_id("audit-proofs")).to_contain_text("Application submitted")
    owen.get_by_label("New note").fill("Ask the ministry about the second application")
    owen.get_by_role("button", name="Add note").click()
    expect(owen.get_by_test_id("committee-notes")).to_contain_text(
        "Ask the ministry about the second application"
    )
    shot(owen, "committee-02-case-note")
    owen.get_by_role("navigation", name="Main").get_by_role("link", name="Committee portal").click()
    owen.get_by_role("link", name="Integrity indicators").click()
    split = owen.locator('[data-indicator="split_applications"]')
    expect(split.get_by_test_id("why")).to_contain_text("together EUR 2,500,000")
    split.get_by_role("link", name="Applications split to stay under a threshold").click()
    hit = owen.get_by_test_id("indicator-hit")
    expect(hit).to_contain_text(second.reference)
    shot(owen, "committee-03-indicator")
    hit.get_by_role("link", name=second.reference).click()
    expect(owen.get_by_role("heading", level=1)).to_contain_text(second.reference)

    # The authority does not see the committee's note on the case page.
    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.goto(f"/cases/{first.pk}/")
    expect(olivia.get_by_role("heading", level=1)).to_contain_text(first.reference)
    expect(olivia.locator("body")).not_to_contain_text("Ask the ministry")
