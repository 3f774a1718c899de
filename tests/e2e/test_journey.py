"""The whole licensing journey in a real browser: an exporter applies and submits, an officer refers the
case to a consulted department, the adviser advises, the officer recommends, a senior officer finalises
and issues the licence, and the exporter sees the decision and downloads the licence."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.models import Case, Status
from warden.cases.tests.factories import MINIMAL_PDF
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_action(page: Any, name: str) -> Any:
    box = page.get_by_test_id(f"action-{name}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def test_exporter_to_licence_journey(personas: Personas, new_page: Any, shot: Any) -> None:
    # 1. The exporter fills in an application, adds a second goods line (htmx), saves and submits it.
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    expect(alice.get_by_test_id("user-name")).to_have_text("Alice")
    shot(alice, "01-exporter-dashboard")
    alice.get_by_role("link", name="New application").first.click()
    alice.get_by_label("Your reference").fill("NB-2026-042")
    alice.get_by_label("Licence type").select_option("individual")
    alice.get_by_label("Destination country").select_option("NO")
    alice.get_by_label("End use").fill("Replacement parts for the armed forces' transport helicopters")
    alice.get_by_label("End-user certificate number").fill("EUC-NO-2026-17")
    alice.get_by_label("Certificate issued on").fill("2026-01-10")
    alice.get_by_label("Re-export").select_option("with_consent")
    alice.locator("#id_goods-0-description").fill("Main rotor blade set")
    alice.locator("#id_goods-0-rating").fill("ML10.d")
    alice.locator("#id_goods-0-quantity").fill("4")
    alice.locator("#id_goods-0-value_amount").fill("1250000")
    alice.get_by_role("button", name="Add another goods line").click()
    expect(alice.locator("#id_goods-1-description")).to_be_visible()
    alice.locator("#id_goods-1-description").fill("Tail rotor gearbox")
    alice.locator("#id_goods-1-rating").fill("ML10.d")
    alice.locator("#id_goods-1-quantity").fill("2")
    alice.locator("#id_goods-1-value_amount").fill("300000")
    alice.locator("#id_parties-0-role").select_option("end_user")
    alice.locator("#id_parties-0-sector").select_option("armed_forces")
    alice.locator("#id_parties-0-name").fill("Norwegian Defence Materiel Agency")
    alice.locator("#id_parties-0-country").select_option("NO")
    shot(alice, "02-exporter-application-form")
    alice.get_by_role("button", name="Save draft").click()
    expect(alice.get_by_test_id("case-status")).to_have_text("Draft")
    expect(alice.get_by_test_id("goods")).to_contain_text("Tail rotor gearbox")
    case = Case.objects.get(organisation=personas.org_a)
    _open_action(alice, "upload_document")
    alice.get_by_label("PDF file").set_input_files(
        files=[{"name": "euc.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    alice.get_by_role("button", name="Upload a document").click()
    expect(alice.get_by_test_id("documents")).to_contain_text("euc.pdf")
    box = _open_action(alice, "submit")
    box.get_by_label("I declare").check()
    box.get_by_role("button", name="Submit the application").click()
    expect(alice.get_by_test_id("case-status")).to_have_text("Submitted")
    shot(alice, "03-exporter-submitted")

    # 2. The officer picks the case up and refers it to foreign affairs.
    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.get_by_role("link", name="Case queue").click()
    expect(olivia.get_by_test_id("queue")).to_contain_text(case.reference)
    shot(olivia, "04a-officer-queue")
    olivia.get_by_role("link", name=case.reference).click()
    _open_action(olivia, "start_initial_checks").get_by_role("button", name="Start initial checks").click()
    expect(olivia.get_by_test_id("case-status")).to_have_text("Initial checks")
    box = _open_action(olivia, "refer")
    box.get_by_label("Foreign Affairs").check()
    box.get_by_label("Note to the departments").fill("Views on the end user, please")
    box.get_by_role("button", name="Refer to consulted departments").click()
    expect(olivia.get_by_test_id("case-status")).to_have_text("Consultation")
    shot(olivia, "04-officer-referred")

    # 3. The adviser sees the referral on their dashboard and advises.
    fiona = new_page()
    sign_in(fiona, "fiona", PASSWORD)
    expect(fiona.get_by_test_id("referrals")).to_contain_text(case.reference)
    shot(fiona, "05-adviser-dashboard")
    fiona.get_by_role("link", name=case.reference).click()
    box = _open_action(fiona, "give_advice")
    box.get_by_label("Approve", exact=True).check()
    box.get_by_label("Reasoning").fill("No foreign-policy concerns about this end user")
    box.get_by_role("button", name="Give your department's advice").click()
    expect(fiona.get_by_test_id("advice")).to_contain_text("No foreign-policy concerns")
    shot(fiona, "06-adviser-advised")

    # 4. The officer recommends approval.
    olivia.reload()
    box = _open_action(olivia, "recommend")
    box.get_by_label("Approved", exact=True).check()
    box.get_by_label("Reasons").fill("Advice received; the end user is a NATO armed force")
    box.get_by_role("button", name="Recommend a decision").click()
    expect(olivia.get_by_test_id("case-status")).to_have_text("Under final review")
    shot(olivia, "07-officer-recommended")

    # 5. A senior officer countersigns (finalises) and issues the licence.
    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto(f"/cases/{case.pk}/")
    box = _open_action(sam, "finalise")
    expect(box.get_by_label("Approved", exact=True)).to_be_checked()
    box.get_by_label("Reasons given to the exporter").fill("The export is consistent with the criteria")
    box.get_by_role("button", name="Finalise the decision").click()
    expect(sam.get_by_test_id("case-status")).to_have_text("Finalised")
    _open_action(sam, "issue_licence").get_by_role("button", name="Issue the licence").click()
    expect(sam.get_by_test_id("case-status")).to_have_text("Licence issued")
    shot(sam, "08-senior-finalised-and-issued")

    # 6. The exporter sees the decision and the licence, without any internal material.
    alice.goto("/")
    licence_link = alice.get_by_role("link", name=case.licence.number)
    expect(licence_link.first).to_be_visible()
    alice.goto(f"/cases/{case.pk}/")
    expect(alice.get_by_test_id("decision-panel")).to_contain_text("Approved")
    page_text = alice.content()
    assert "No foreign-policy concerns" not in page_text
    assert "Views on the end user" not in page_text
    assert "NATO armed force" not in page_text  # the officer's recommendation reasoning
    shot(alice, "09-exporter-decision")
    alice.get_by_test_id("licence-link").click()
    expect(alice.get_by_test_id("licence-lines")).to_contain_text("Main rotor blade set")
    with alice.expect_download() as download:
        alice.get_by_test_id("licence-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    shot(alice, "10-exporter-licence")
    case.refresh_from_db()
    assert case.status == Status.LICENCE_ISSUED
