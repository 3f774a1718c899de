"""In a real browser: an officer decides a screening match on the case page and the recommendation shown
there changes at once, with a new assessment version in its history saying what changed and who did it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.flows import submission
from warden.flows.tests.support import KOMID, import_un
from warden.screening.models import Match
from warden.testing import PASSWORD, Personas, sample_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deciding_a_match_on_the_case_page_changes_the_recommendation_and_records_the_version(
    personas: Personas, new_page: Any, shot: Any, tmp_path: Path
) -> None:
    from warden.legislation import services as legislation

    legislation.load_bundled()
    import_un(tmp_path, {"komid": "Pyongyang"})
    case = submission.submit_application(
        actor=personas.exporter, document=sample_application(parties=[KOMID])
    )
    match = Match.objects.get(case=case)

    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.goto(f"/cases/{case.pk}/")
    expect(olivia.get_by_test_id("assessment-recommendation")).to_have_text("refuse")
    expect(olivia.get_by_test_id("assessment-version")).to_contain_text("version 1")
    shot(olivia, "reassess-01-refuse-on-a-match")

    form = olivia.get_by_test_id(f"decide-{match.pk}")
    form.get_by_label("False positive", exact=True).check()
    form.get_by_role("textbox").fill("Komid here is a Norwegian supplier, not the DPRK corporation")
    form.get_by_role("button", name="Record decision").click()

    expect(olivia.get_by_test_id("assessment-recommendation")).to_have_text("approve with conditions")
    expect(olivia.get_by_test_id("assessment-version")).to_contain_text("version 2")
    expect(olivia.get_by_test_id("assessment-version")).to_contain_text("screening match decided")
    olivia.get_by_text("Assessment history (2 versions)").click()
    latest = olivia.get_by_test_id("assessment-version-2")
    expect(latest).to_contain_text("Screening match decided")
    expect(latest).to_contain_text(f"by {personas.officer.display_name}: un-sc KPe.001 false positive")
    expect(latest).to_contain_text("(was refuse)")
    expect(latest.locator('[data-change="removed"]')).to_contain_text("Komid")
    shot(olivia, "reassess-02-recommendation-changed-with-history")
