"""The compliance inspector in a real browser: signs in, opens the overdue queue, opens a check, records a
diversion finding with an evidence upload, sees the flag on the case and suspends the licence from there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.accounts.models import Role
from warden.cases.tests import factories
from warden.enduse.models import EndUseCheck, Finding
from warden.enduse.tests.conftest import pdf
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus
from warden.testing import PASSWORD, Personas, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_inspector_records_a_diversion_and_suspends_the_licence(
    personas: Personas, new_page: Any, shot: Any, tmp_path: Path, settings: Any
) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    make_user("ines", Role.COMPLIANCE_INSPECTOR, org=personas.authority)
    case = factories.licensed(personas)
    licence = Licence.objects.get(case=case)
    check = EndUseCheck.objects.get(licence=licence)
    EndUseCheck.objects.filter(pk=check.pk).update(due_on=clock.today() - dt.timedelta(days=10))
    report = tmp_path / "visit-report.pdf"
    report.write_bytes(pdf("Visit report: blades at a third-country depot"))

    page = new_page()
    sign_in(page, "ines", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="End-use checks").click()
    expect(page.get_by_role("heading", name="End-use checks")).to_be_visible()
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Apply filter").click()
    row = page.get_by_test_id(f"check-{check.pk}")
    expect(row).to_contain_text("Overdue")
    shot(page, "enduse-overdue-queue")
    row.get_by_role("link", name=check.reference).click()

    expect(page.get_by_role("heading", name=check.reference)).to_be_visible()
    expect(page.get_by_test_id("reasons")).to_contain_text("delivery verification certificate")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text(f"{check.reference} is assigned to you.")).to_be_visible()
    page.get_by_role("radio", name="Diversion").check()
    page.get_by_label("Notes").fill("The rotor blades were found at a depot in a third country.")
    page.get_by_label("Evidence").set_input_files(str(report))
    page.get_by_role("button", name="Record finding").click()
    expect(
        page.get_by_text(f"{check.reference}: finding recorded (diversion). Flagged: {case.reference}.")
    ).to_be_visible()
    expect(page.get_by_test_id("finding")).to_contain_text("visit-report.pdf")
    shot(page, "enduse-diversion-recorded")

    page.get_by_test_id("case-link").click()
    flag = page.get_by_test_id("diversion-flag")
    expect(flag).to_contain_text(f"Diversion found by end-use check {check.reference}")
    expect(page.get_by_test_id("end-user-profile")).to_contain_text("1 diversion(s)")
    flag.get_by_role("button", name=f"Suspend licence {licence.number}").click()
    expect(
        page.get_by_text(f"Licence {licence.number} suspended (diversion found by {check.reference}).")
    ).to_be_visible()
    expect(page.get_by_test_id("diversion-flag")).to_contain_text(f"Licence {licence.number} is suspended")
    shot(page, "enduse-licence-suspended")

    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED
    assert EndUseCheck.objects.get(pk=check.pk).finding == Finding.DIVERSION
