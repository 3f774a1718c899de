"""The exporter in a real browser: reads the open general licences, registers to use one, reports a use to
a destination it does not permit (refused, with the reason, what was typed kept), corrects it, and sees the
use listed on the registration and the registration under "My registrations"."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.lib.actors import system
from warden.ogl import loader
from warden.ogl.models import OglUse
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_exporter_registers_for_an_ogl_and_reports_a_use(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    loader.load_file(actor=system("tests: the shipped illustrative OGLs"))

    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="Open licences").click()
    expect(alice.get_by_role("heading", name="Open general licences")).to_be_visible()
    expect(alice.get_by_test_id("ogl-OGL-MIL-COMPONENTS")).to_contain_text("Norway (NO)")
    shot(alice, "ogl-01-list")
    alice.get_by_role("link", name="OGL-MIL-COMPONENTS").click()
    expect(alice.get_by_test_id("permitted").first).to_contain_text("Norway (NO)")
    alice.get_by_role("button", name="Register to use").click()
    expect(alice.get_by_text("Registered to use OGL-MIL-COMPONENTS")).to_be_visible()
    reference = alice.get_by_test_id("reg-reference").inner_text()
    assert reference.startswith("OGL-MIL-COMPONENTS-")

    form = alice.get_by_test_id("use-form")
    form.get_by_label("Customs declaration reference").fill("26GB-E2E-0001")
    form.get_by_label("Destination", exact=True).select_option(label="Iran")
    form.get_by_label("Ratings").fill("ML10.d")
    form.get_by_label("Description of the goods").fill("Rotor blade spares")
    form.get_by_label("Quantity").fill("2")
    form.get_by_label("Value").fill("9000")
    form.get_by_label("Consignee").fill("Kjeller Aero Services AS")
    form.get_by_label("End user").fill("Norwegian Defence Materiel Agency")
    form.get_by_role("button", name="Report use").click()
    expect(alice.get_by_test_id("use-error")).to_contain_text(
        "destination: IR is not a permitted destination of OGL-MIL-COMPONENTS"
    )
    shot(alice, "ogl-02-refused")
    assert not OglUse.objects.exists()

    form = alice.get_by_test_id("use-form")
    expect(form.get_by_label("Customs declaration reference")).to_have_value("26GB-E2E-0001")
    form.get_by_label("Destination", exact=True).select_option(label="Norway")
    form.get_by_role("button", name="Report use").click()
    expect(alice.get_by_text("Use reported: declaration 26GB-E2E-0001")).to_be_visible()
    expect(alice.get_by_test_id("use-26GB-E2E-0001")).to_contain_text("Norway (NO)")
    shot(alice, "ogl-03-reported")

    alice.get_by_role("link", name="My registrations").click()
    expect(alice.get_by_test_id("registrations")).to_contain_text(reference)
    assert OglUse.objects.get().destination == "NO"
