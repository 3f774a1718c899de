"""An exporter edits a saved draft in the browser: the certificate date comes back filled in (an
<input type=date> shows only ISO dates; any other format rendered it empty and saving then erased it), and a
goods line and a party are removed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.flows import submission
from warden.testing import PASSWORD, Personas, sample_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exporter_edits_a_draft_keeping_its_date_and_removing_lines(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    doc = sample_application()
    doc["goods"] = [
        *doc["goods"],
        {
            "description": "Tail rotor gearbox",
            "rating": "ML10.d",
            "quantity": 2,
            "value": {"amount": 300, "currency": "EUR"},
        },
    ]
    case = submission.create_application(actor=personas.exporter, document=doc)
    parties_before = len(doc["parties"])
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto(f"/cases/{case.pk}/")
    alice.get_by_role("link", name="Edit draft").click()
    expect(alice.get_by_label("Certificate issued on")).to_have_value(
        doc["end_user_certificate"]["issued_on"]
    )
    alice.locator("#id_goods-0-remove").check()
    alice.locator(f"#id_parties-{parties_before - 1}-remove").check()
    shot(alice, "edit-01-removing-lines")
    alice.get_by_role("button", name="Save draft").click()
    goods = alice.get_by_test_id("goods")
    expect(goods).to_contain_text("Tail rotor gearbox")
    expect(goods).not_to_contain_text(doc["goods"][0]["description"])
    case.refresh_from_db()
    assert case.document["end_user_certificate"]["issued_on"] == doc["end_user_certificate"]["issued_on"]
    assert [g["description"] for g in case.document["goods"]] == ["Tail rotor gearbox"]
    assert len(case.document["parties"]) == parties_before - 1
    shot(alice, "edit-02-saved")
