"""The exporter's shipment returns in a real browser: Alice signs in, opens her licence, records a shipment
and clicks the button twice while the server is slow (the form is sent twice; one shipment is recorded), uploads a CSV return of her customs declarations,
and sees what is left of the line; uploading the same file again records nothing new."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.lib import clock
from warden.licences import licence_actions as lf
from warden.licences.models import Shipment
from warden.licences.policy import LicenceAction
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_exporter_records_a_shipment_double_clicks_and_uploads_a_return(
    personas: Personas, new_page: Any, shot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    licence = factories.licensed(personas).licence  # 4 main rotor blade sets, 1,250,000.00 EUR

    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto("/licences/")
    alice.get_by_role("link", name=licence.number).click()
    expect(alice.get_by_test_id("quantity-left")).to_have_text("4")

    # A slow server (as under load): the page still shows the form when the second click lands, so the
    # browser really sends the form twice, with the same hidden one-time key.
    spec = lf.LICENCE_ACTIONS[LicenceAction.RECORD_SHIPMENT]

    def slow(actor: Any, lic: Any, data: dict[str, Any]) -> str:
        time.sleep(0.6)
        return spec.run(actor, lic, data)

    monkeypatch.setitem(lf.LICENCE_ACTIONS, LicenceAction.RECORD_SHIPMENT, replace(spec, run=slow))
    posts: list[str] = []
    alice.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    box = alice.locator("#action-record_shipment")
    box.locator("summary").click()
    box.get_by_label("Quantity shipped").fill("1")
    box.get_by_label("Shipment reference").fill("AWB-2026-0107")
    button = box.get_by_role("button", name="Record a shipment")
    # Two clicks 150 ms apart (Playwright itself would wait for the first navigation before the second).
    button.evaluate("b => { b.click(); setTimeout(() => b.click(), 150); }")
    expect(alice.get_by_role("status")).to_contain_text("(sent twice; recorded once)")
    assert len(posts) == 2
    expect(alice.get_by_test_id("shipments").locator("tbody tr")).to_have_count(1)
    expect(alice.get_by_test_id("quantity-left")).to_have_text("3")
    assert Shipment.objects.filter(licence=licence).count() == 1
    shot(alice, "returns-01-double-click-recorded-once")

    today = clock.today().isoformat()
    csv = (
        "licence_number,line,quantity,value_amount,currency,shipped_on,declaration_reference\n"
        f"{licence.number},1,2,625000.00,EUR,{today},26GB000000000107\n"
    ).encode()
    for expected in ("1 recorded, 0 already recorded", "0 recorded, 1 already recorded"):
        returns = alice.locator("#action-import_returns")
        returns.locator("summary").click()
        returns.get_by_label("CSV return").set_input_files(
            files=[{"name": "declarations-march.csv", "mimeType": "text/csv", "buffer": csv}]
        )
        returns.get_by_role("button", name="Import the return").click()
        expect(alice.get_by_role("status")).to_contain_text(f"declarations-march.csv: {expected}")
    expect(alice.get_by_test_id("quantity-left")).to_have_text("1")
    expect(alice.get_by_test_id("value-left")).to_have_text("312,500.00 EUR")
    expect(alice.get_by_test_id("shipments")).to_contain_text("26GB000000000107")
    shot(alice, "returns-02-csv-return-and-what-is-left")
    assert Shipment.objects.filter(licence=licence).count() == 2
