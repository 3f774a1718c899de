"""A licence amendment in a real browser: Alice, the holder, proposes one on her licence's page, changes the
quantity on the draft made from the licence and submits it; the case shows what it changes; after the
officers' steps Sam grants it from the case page, and the licence page shows version 2 with the change and
version 1 still readable."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_journey import _open_action
from warden.cases.tests import factories
from warden.licences.models import Licence, LicenceAmendment
from warden.licences.tests.test_amendments import _decide
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_holder_amends_a_licence_and_a_senior_officer_grants_it(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    licence = Licence.objects.get(case=factories.licensed(personas))

    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto(f"/licences/{licence.pk}/")
    alice.locator("#action-amend summary").click()
    alice.get_by_label("What changes, and why").fill("The customer ordered two more blade sets")
    alice.get_by_role("button", name="Make the draft amendment").click()
    expect(alice.get_by_role("heading", name="Edit draft")).to_be_visible()
    line = alice.get_by_test_id("goods-line").first
    line.get_by_label("Quantity").fill("6")
    line.get_by_label("Value").fill("1875000")
    alice.get_by_role("button", name="Save").first.click()
    panel = alice.get_by_test_id("amendment-panel")
    expect(panel).to_contain_text(f"Amendment of licence {licence.number}")
    expect(panel).to_contain_text("quantity 4 → 6")
    box = _open_action(alice, "submit")
    box.get_by_label("I declare").check()
    box.get_by_role("button", name="Submit the application").click()
    expect(alice.get_by_test_id("case-status")).to_have_text("Submitted")
    shot(alice, "amendment-submitted")

    case = LicenceAmendment.objects.get().case
    _decide(personas, case)
    sam = new_page()
    sign_in(sam, "olivia", PASSWORD)
    sam.goto(f"/cases/{case.pk}/")
    _open_action(sam, "issue_licence").get_by_role("button", name="Issue the licence").click()
    expect(sam.get_by_test_id("case-status")).to_have_text("Licence issued")

    alice.goto(f"/licences/{licence.pk}/")
    versions = alice.get_by_test_id("licence-versions")
    expect(versions.get_by_test_id("version-2")).to_contain_text("(current)")
    expect(versions.get_by_test_id("version-2")).to_contain_text("quantity 4 → 6")
    expect(versions.get_by_test_id("version-1")).to_contain_text("Goods of version 1")
    expect(alice.get_by_test_id("licence-lines")).to_contain_text("6")
    shot(alice, "amendment-granted")
    assert Licence.objects.count() == 1
