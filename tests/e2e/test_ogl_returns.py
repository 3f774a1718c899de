"""OGL returns in a real browser: Alice's first use was shipped 20 days ago, so the first return is due in
ten days; she finds it under "Returns due", files it from the registration page and sees it filed with its
one use; Olivia, a licensing officer, sees the queue empty of it afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.lib import clock
from warden.lib.actors import system
from warden.ogl import loader, services
from warden.ogl.models import OglReturn, OpenGeneralLicence
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_exporter_files_the_return_the_queue_showed(personas: Personas, new_page: Any, shot: Any) -> None:
    loader.load_file(actor=system("tests: the shipped illustrative OGLs"))
    ogl = OpenGeneralLicence.objects.get(reference="OGL-MIL-COMPONENTS")
    with clock.travel(clock.now() - dt.timedelta(days=60)):  # registered before the first use
        reg = services.register(actor=personas.exporter, ogl=ogl)
    first_days = ogl.version_on(clock.today()).first_report_days  # type: ignore[union-attr]
    shipped = clock.today() - dt.timedelta(days=first_days - 10)
    services.report_use(
        actor=personas.exporter,
        registration=reg,
        report=services.UseReport(
            shipped_on=shipped.isoformat(),
            destination="NO",
            ratings=["ML10.d"],
            description="Rotor blade spares",
            quantity=2,
            value="9000",
            currency="GBP",
            consignee_name="Kjeller Aero Services AS",
            end_user_name="Norwegian Defence Materiel Agency",
            customs_declaration="26GB-E2E-RET-1",
        ),
    )

    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto("/open-licences/registrations/")
    alice.get_by_test_id("returns-link").click()
    row = alice.get_by_test_id(f"return-{reg.reference}-1")
    expect(row).to_contain_text("Due soon")
    shot(alice, "ogl-returns-queue")
    row.get_by_role("link", name=reg.reference).click()
    alice.get_by_role("button", name="File return 1").click()
    expect(alice.get_by_text(f"Return 1 of {reg.reference} filed: 1 use(s)")).to_be_visible()
    expect(alice.get_by_test_id("return-1")).to_contain_text("filed")
    shot(alice, "ogl-return-filed")
    assert OglReturn.objects.get().uses == 1

    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.goto("/open-licences/returns/")
    expect(olivia.get_by_test_id(f"return-{reg.reference}-1")).to_have_count(0)
