"""The partner-liaison officer (the policy officer) in a real browser: imports France's denial notifications
from the denials page, follows the flag to the case it raised, records the consultation of France and its
answer on the case page; the exporter's own case page shows nothing of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.denials.models import Consultation
from warden.denials.tests.conftest import to_deccan
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[2] / "warden" / "denials" / "tests" / "data"


def test_the_liaison_officer_imports_a_partner_file_and_records_the_consultation(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.submitted(personas, **to_deccan())

    paula = new_page()
    sign_in(paula, "paula", PASSWORD)
    paula.get_by_role("navigation", name="Main").get_by_role("link", name="Denials").click()
    expect(paula.get_by_role("heading", name="Denial notifications")).to_be_visible()
    paula.get_by_label("Issuing state").fill("FR")
    paula.get_by_label("File").set_input_files(str(DATA / "fr-2026.json"))
    paula.get_by_role("button", name="Import").click()
    expect(paula.get_by_text("fr-2026.json: FR: 3 added")).to_be_visible()
    expect(paula.get_by_text(f"Flagged: {case.reference}")).to_be_visible()
    expect(paula.get_by_test_id("denial-FR-DN-2026-0147")).to_contain_text("1 case(s) flagged")
    expect(paula.get_by_test_id("denial-FR-DN-2022-0102")).to_contain_text("expired")
    shot(paula, "denials-imported")

    paula.goto(f"/cases/{case.pk}/")
    flag = paula.get_by_test_id("undercut-FR-DN-2026-0147")
    expect(flag).to_contain_text("Essentially identical to FR denial FR-DN-2026-0147")
    expect(flag).to_contain_text("No licence is issued before FR is consulted")
    flag.get_by_label("Note").fill("Is this the same end user and the same blades?")
    flag.get_by_role("button", name="Record consultation").click()
    expect(paula.get_by_text("Consultation of FR about FR-DN-2026-0147 recorded")).to_be_visible()
    flag = paula.get_by_test_id("undercut-FR-DN-2026-0147")
    expect(flag.get_by_test_id("consultation")).to_contain_text("Is this the same end user")
    flag.get_by_label("Answer").fill("France maintains its denial: same end user.")
    flag.get_by_role("button", name="Record answer").click()
    expect(paula.get_by_text("Answer of FR recorded")).to_be_visible()
    expect(paula.get_by_test_id("consultation")).to_contain_text("France maintains its denial")
    expect(paula.get_by_role("button", name="Record notice")).to_be_visible()
    shot(paula, "denials-consultation-recorded")
    assert Consultation.objects.get().answer == "France maintains its denial: same end user."

    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto(f"/cases/{case.pk}/")
    expect(alice.get_by_role("heading", name=case.reference)).to_be_visible()
    expect(alice.get_by_test_id("undercut-flags")).to_have_count(0)
