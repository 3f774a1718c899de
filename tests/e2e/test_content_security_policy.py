"""No page breaks the Content-Security-Policy (issue 14 §3): an officer and an exporter walk the dashboard,
a case page (opening an action's form with htmx), the application form (the rating look-up with htmx), a
licence page and the audit page, and the browser reports no refused script, style or image."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page: Any) -> list[str]:
    """Every CSP violation the page reports: Chromium logs "Refused to ..." and fires the DOM event."""
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if "Refused to" in msg.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Refused to ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return refused


def test_the_ui_runs_under_the_policy_with_nothing_refused(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.licensed(personas)
    draft = factories.in_initial_checks(personas)

    olivia = new_page()
    refused = _watch(olivia)
    sign_in(olivia, "olivia", PASSWORD)
    expect(olivia.get_by_role("heading", level=1)).to_be_visible()
    olivia.goto(f"/cases/{draft.pk}/")
    expect(olivia.get_by_test_id("case-status")).to_be_visible()
    # An action's form comes with htmx when its box opens.
    olivia.locator("details[data-testid^='action-'] summary").first.click()
    olivia.wait_for_load_state("networkidle")
    olivia.goto(f"/licences/{case.licence.pk}/")
    expect(olivia.get_by_role("heading", level=1)).to_be_visible()
    olivia.goto("/audit/")
    expect(olivia.get_by_role("heading", level=1)).to_be_visible()
    shot(olivia, "csp-audit-page")

    alice = new_page()
    refused += _watch(alice)
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("link", name="New application").first.click()
    alice.get_by_test_id("goods-line").first.get_by_label("Find a rating").press_sequentially(
        "unmanned", delay=20
    )
    expect(alice.get_by_test_id("lookup-results").first).to_contain_text("in force on")
    alice.wait_for_load_state("networkidle")
    shot(alice, "csp-application-form-lookup")

    assert refused == []
