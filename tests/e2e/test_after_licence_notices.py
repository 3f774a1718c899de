"""After the decision, in a real browser: Paula, the partner-liaison (policy) officer, finds the notice a
catch-all "licence required" decision produced for partner states and customs and opens the customs notice;
Sam, a senior officer, clears a diversion flag that named the wrong agency, then withdraws the diversion
finding itself, and the end user's record stops counting it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.accounts.models import Role
from warden.cases.tests import factories
from warden.catchall import services as catchall
from warden.catchall.tests.test_services import note
from warden.enduse import services as enduse
from warden.enduse.models import DiversionFlag, EndUseCheck, EndUserProfile, Finding
from warden.enduse.tests.conftest import parties_for
from warden.licences.models import Licence
from warden.testing import PASSWORD, Personas, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_liaison_officer_sees_the_catch_all_notice_and_its_customs_notice(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    referral = catchall.notify(actor=personas.exporter, notification=note())
    catchall.decide(
        actor=personas.officer,
        referral=referral,
        decision="licence_required",
        reason="Belarus is under the EU arms embargo; the tolerances point to fuzes.",
        basis="art4_1b",
    )
    page = new_page()
    sign_in(page, "paula", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catch-all").click()
    page.get_by_test_id("notices-link").click()
    row = page.get_by_test_id(f"notice-{referral.reference}")
    expect(row).to_contain_text("Minsk Precision Works")
    expect(row).to_contain_text("Art. 4(1)(b)")
    expect(page.get_by_test_id("notices-json")).to_be_visible()
    shot(page, "catch-all-notices")
    row.get_by_test_id("customs-link").click()
    notice = page.get_by_test_id("customs-notice")
    expect(notice).to_contain_text("Notice to customs: a licence is required for these goods")
    expect(notice).to_contain_text(personas.org_a.name)
    expect(page.get_by_test_id("notice-validity")).to_be_visible()
    shot(page, "catch-all-customs-notice")


def test_a_senior_officer_clears_a_flag_then_withdraws_the_finding(
    personas: Personas, new_page: Any, shot: Any, tmp_path: Path, settings: Any
) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    ines = make_user("ines", Role.COMPLIANCE_INSPECTOR, org=personas.authority)
    case = factories.licensed(personas)
    other = factories.submitted(personas, parties=parties_for("Norwegian Defence Material Agency"))
    check = EndUseCheck.objects.get(licence=Licence.objects.get(case=case))
    enduse.record_finding(actor=ines, check=check, finding=Finding.DIVERSION, notes="Blades at a depot.")

    page = new_page()
    sign_in(page, "sam", PASSWORD)
    page.goto(f"/cases/{other.pk}/")
    flag = page.get_by_test_id("diversion-flag")
    expect(flag).to_contain_text(f"Diversion found by end-use check {check.reference}")
    flag.get_by_label("Why this flag does not apply").fill("A different agency: its register number differs.")
    flag.get_by_role("button", name="Clear the flag").click()
    expect(page.get_by_text(f"The diversion flag on {other.reference} is cleared.")).to_be_visible()
    cleared = page.get_by_test_id("diversion-flag-cleared")
    expect(cleared).to_contain_text("A different agency: its register number differs.")
    shot(page, "enduse-flag-cleared")

    page.goto(f"/end-use/{check.pk}/")
    page.get_by_label("Why the finding was wrong").fill("The depot is the end user's own (lease seen).")
    page.get_by_role("button", name="Withdraw the diversion finding").click()
    expect(page.get_by_test_id("finding-withdrawn")).to_contain_text("lease seen")
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_test_id("diversion-flag-cleared")).to_contain_text("was withdrawn")
    expect(page.get_by_test_id("end-user-profile")).to_contain_text(
        "0 diversion(s) (1 more found and withdrawn"
    )
    shot(page, "enduse-finding-withdrawn")
    assert not DiversionFlag.objects.filter(cleared_at__isnull=True).exists()
    assert EndUserProfile.objects.get().diversions == 0
