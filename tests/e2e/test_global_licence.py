"""A global licence in a real browser: Alice uploads an application for three destinations (Norway, Sweden,
Belarus) and submits it; the case page shows the lines and, to the officers, the engine's view of each; Sam
approves it with the Belarus line refused; the licence page lists Norway and Sweden only, and a shipment to a
country not on the licence is refused saying where it may go."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_journey import _open_action
from warden.cases import services as case_services
from warden.cases.models import Case
from warden.flows import case_decision
from warden.testing import PASSWORD, Personas, exporter_of, sample_global_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_global_licence_is_approved_with_one_destination_refused(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    doc = sample_global_application(exporter=exporter_of(personas.org_a))
    doc.pop("submitted_on")
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto("/cases/new/")
    upload = alice.get_by_test_id("upload-form")
    upload.locator("input[type=file]").set_input_files(
        files=[{"name": "global.json", "mimeType": "application/json", "buffer": json.dumps(doc).encode()}]
    )
    upload.get_by_role("button", name="Upload and create draft").click()
    expect(alice.get_by_test_id("case-status")).to_have_text("Draft")
    lines = alice.get_by_test_id("destination-lines")
    for country in ("NO", "SE", "BY"):
        expect(lines.get_by_test_id(f"destination-line-{country}")).to_be_visible()
    box = _open_action(alice, "submit")
    box.get_by_label("I declare").check()
    box.get_by_role("button", name="Submit the application").click()
    expect(alice.get_by_test_id("case-status")).to_have_text("Submitted")
    shot(alice, "global-01-submitted")

    case = Case.objects.get(organisation=personas.org_a)
    case_services.start_initial_checks(actor=personas.officer, case=case)
    case_decision.recommend(actor=personas.officer, case=case, decision="approved", reason="Not Belarus")

    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto(f"/cases/{case.pk}/")
    expect(sam.get_by_test_id("destination-line-BY")).to_contain_text("Refuse")
    box = _open_action(sam, "finalise")
    box.get_by_label("Approved", exact=True).check()
    box.get_by_label("Reasons given to the exporter").fill("Licensed for Norway and Sweden")
    box.get_by_label("Refuse destination 3, BY: criteria").fill("EU-CP:1")
    box.get_by_role("button", name="Finalise the decision").click()
    expect(sam.get_by_test_id("case-status")).to_have_text("Finalised")
    expect(sam.get_by_test_id("destination-line-BY")).to_contain_text("Refused under EU-CP:1")
    _open_action(sam, "issue_licence").get_by_role("button", name="Issue the licence").click()
    expect(sam.get_by_test_id("case-status")).to_have_text("Licence issued")
    shot(sam, "global-02-licence-issued")

    case.refresh_from_db()
    alice.goto(f"/licences/{case.licence.pk}/")
    destinations = alice.get_by_test_id("licence-destinations")
    expect(destinations.get_by_test_id("destination-NO")).to_be_visible()
    expect(destinations.get_by_test_id("destination-SE")).to_contain_text("4 (4)")
    expect(destinations.get_by_test_id("destination-BY")).to_have_count(0)
    expect(alice.get_by_test_id("refused-destinations")).to_contain_text("BY")
    box = alice.locator("#action-record_shipment")
    box.locator("summary").click()
    box.get_by_label("Quantity shipped").fill("1")
    box.get_by_label("Destination (country code)").fill("BY")
    box.get_by_role("button", name="Record a shipment").click()
    expect(alice.locator("body")).to_contain_text("a shipment may go to NO, SE only")
    assert not case.licence.shipments.exists()
    shot(alice, "global-03-shipment-to-belarus-refused")
