"""Licence lifecycle and documents in a real browser: an officer records a shipment (the drawdown moves),
a senior officer suspends, reinstates and revokes, and the exporter sees each status; an exporter uploads
an end-user certificate PDF, and a text file renamed .pdf is refused with a clear error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.models import Document
from warden.cases.tests import factories
from warden.licences.models import LicenceStatus
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _licence_action(page: Any, name: str, reason: str = "") -> None:
    box = page.locator(f"#action-{name}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    if reason:
        box.get_by_label("Reason").fill(reason)
    box.get_by_role("button").click()


def test_shipment_suspend_reinstate_revoke_seen_by_the_exporter(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.licensed(personas)
    licence = case.licence
    url = f"/licences/{licence.pk}/"

    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.goto(url)
    box = olivia.locator("#action-record_shipment")
    box.locator("summary").click()
    box.get_by_label("Quantity shipped").fill("1")
    box.get_by_label("Shipment reference").fill("AWB-2026-0042")
    box.get_by_role("button", name="Record a shipment").click()
    expect(olivia.get_by_test_id("shipments")).to_contain_text("AWB-2026-0042")
    expect(olivia.get_by_test_id("licence-lines").locator("tbody td").nth(3)).to_have_text("1")
    # A licensing officer does not suspend: the action is not offered.
    expect(olivia.locator("#action-suspend")).to_have_count(0)
    shot(olivia, "licence-01-officer-recorded-shipment")

    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto(url)
    _licence_action(sam, "suspend", "Pending review of reports about the end user")
    expect(sam.get_by_test_id("licence-status")).to_have_text("Suspended")
    # A suspended licence cannot be drawn down.
    expect(sam.locator("#action-record_shipment")).to_have_count(0)
    shot(sam, "licence-02-senior-suspended")

    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto(url)
    expect(alice.get_by_test_id("licence-status")).to_have_text("Suspended")
    expect(alice.get_by_test_id("licence-history")).to_contain_text("Pending review of reports")
    shot(alice, "licence-03-exporter-sees-suspension")

    _licence_action(sam, "reinstate", "Reports not confirmed")
    expect(sam.get_by_test_id("licence-status")).to_have_text("Issued")
    _licence_action(sam, "revoke", "The end user is now subject to an arms embargo")
    expect(sam.get_by_test_id("licence-status")).to_have_text("Revoked")
    expect(sam.get_by_test_id("licence-actions")).to_have_count(0)

    alice.goto("/licences/")
    expect(alice.get_by_test_id("licences")).to_contain_text("Revoked")
    alice.get_by_role("link", name=licence.number).click()
    expect(alice.get_by_test_id("licence-status")).to_have_text("Revoked")
    expect(alice.get_by_test_id("licence-history")).to_contain_text("now subject to an arms embargo")
    shot(alice, "licence-04-exporter-sees-revocation")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert licence.transitions.count() == 5  # issue, shipment, suspend, reinstate, revoke


def test_exporter_uploads_a_certificate_and_a_fake_pdf_is_refused(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.draft(personas)
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto(f"/cases/{case.pk}/")
    box = alice.get_by_test_id("action-upload_document")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label("Kind of document").select_option(label="End-user certificate")
    box.get_by_label("PDF file").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"Just a text file\n" * 20}]
    )
    box.get_by_role("button", name="Upload a document").click()
    summary = alice.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Only PDF documents are accepted; this file is not a PDF")
    shot(alice, "document-01-fake-pdf-refused")
    assert not Document.objects.filter(case=case).exists()

    box = alice.get_by_test_id("action-upload_document")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label("Kind of document").select_option(label="End-user certificate")
    box.get_by_label("PDF file").set_input_files(
        files=[{"name": "euc-signed.pdf", "mimeType": "application/pdf", "buffer": factories.MINIMAL_PDF}]
    )
    box.get_by_role("button", name="Upload a document").click()
    docs = alice.get_by_test_id("documents")
    expect(docs).to_contain_text("euc-signed.pdf")
    expect(docs).to_contain_text("End user certificate")
    expect(alice.get_by_test_id("error-summary")).to_have_count(0)
    with alice.expect_download() as download:
        docs.get_by_role("link", name="euc-signed.pdf").click()
    assert download.value.suggested_filename == "euc-signed.pdf"
    shot(alice, "document-02-certificate-uploaded")
