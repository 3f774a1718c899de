"""The exporter's duty to notify, in a real browser: Alice tells the authority she has reason to believe
machine tools for Belarus are for a military end use and is told not to export; Sam, a senior officer,
decides that a licence is required under Art. 4(1)(b) and the inform letter states it with the embargo of
that day; Alice links the draft application she then made, which now carries the declared end use."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.models import Case
from warden.cases.tests import factories
from warden.catchall.models import CatchAllReferral, Status
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exporter_notifies_officer_informs_and_the_application_is_linked(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="Catch-all").click()
    alice.get_by_test_id("notify").click()
    alice.get_by_label("Destination country").fill("BY")
    alice.get_by_label("The goods").fill("Five-axis machine tools")
    alice.get_by_label("End user", exact=True).fill("Minsk Precision Works")
    alice.get_by_label("End user's country").fill("BY")
    alice.get_by_label("Stated end use").fill("Civil engine parts")
    alice.get_by_label("for military use (incorporation into, or production of, military items)").check()
    alice.get_by_label("What you know or suspect, and how").fill(
        "The buyer asked for artillery-fuze tolerances."
    )
    alice.get_by_role("button", name="Send the notification").click()
    expect(alice.get_by_test_id("do-not-export")).to_contain_text("Do not export these goods")
    expect(alice.get_by_role("button", name="Record the decision")).to_have_count(0)
    referral = CatchAllReferral.objects.get()
    shot(alice, "catch-all-notified")

    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto("/catch-all/")
    expect(sam.get_by_test_id(f"referral-{referral.reference}")).to_contain_text("Five-axis machine tools")
    sam.get_by_role("link", name=referral.reference).click()
    sam.get_by_label("A licence is required: inform the exporter").check()
    sam.get_by_label("Reasons").fill("Belarus is under the EU arms embargo; the tolerances point to fuzes.")
    sam.get_by_role("button", name="Record the decision").click()
    expect(sam.get_by_test_id("error-summary")).to_contain_text("name the legal basis")
    sam.get_by_label("A licence is required: inform the exporter").check()
    sam.get_by_label("Legal basis (when a licence is required)").select_option("art4_1b")
    sam.get_by_role("button", name="Record the decision").click()
    expect(sam.get_by_test_id("referral-decision")).to_contain_text("Art. 4(1)(b)")
    expect(sam.get_by_test_id("referral-decision")).to_contain_text("Belarus")
    shot(sam, "catch-all-decided")

    draft = factories.draft(personas, destination="BY")
    alice.goto(f"/catch-all/{referral.pk}/")
    alice.get_by_test_id("letter-link").click()
    expect(alice.get_by_test_id("letter")).to_contain_text("Notice that an export licence is required")
    alice.go_back()
    alice.get_by_label("Application").select_option(label=str(draft))
    alice.get_by_role("button", name="Link the application").click()
    expect(alice.get_by_test_id("linked-case")).to_have_text(draft.reference)
    alice.get_by_test_id("linked-case").click()
    expect(alice.get_by_test_id("catch-all-link")).to_contain_text(referral.reference)
    expect(alice.get_by_test_id("end-use-flags")).to_contain_text("for military use")
    shot(alice, "catch-all-linked-case")
    assert CatchAllReferral.objects.get().status == Status.APPLIED
    assert Case.objects.get(pk=draft.pk).document["end_use_flags"] == ["military_end_use"]
