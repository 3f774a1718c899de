"""Oversight, policy and screening in a real browser: an auditor browses the audit log, opens an entry and
its inclusion proof and cannot act on a case; a policy officer records a new country assessment and opens
the law-change impact run it starts; an officer marks a screening match as a false positive with a reason."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import csrf_post, sign_in
from warden.cases.models import CaseNote
from warden.cases.tests import factories
from warden.flows import rescreening as list_import
from warden.flows import submission
from warden.lib.actors import system
from warden.testing import PASSWORD, Personas, sample_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENING_FIXTURES = Path(__file__).resolve().parents[2] / "warden" / "screening" / "tests" / "fixtures"


def test_oversight_browses_the_audit_log_and_proofs_but_cannot_act(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.in_initial_checks(personas)
    owen = new_page()
    sign_in(owen, "owen", PASSWORD)
    owen.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    entries = owen.get_by_test_id("audit-entries")
    # Actions in words with the raw name beside them; cases by reference, never by internal id.
    expect(entries).to_contain_text("Application submitted")
    expect(entries).to_contain_text("case.submit")
    expect(entries).to_contain_text(case.reference)
    expect(entries.locator(f'a[href="?case={case.pk}"]')).to_have_count(0)
    shot(owen, "oversight-01-audit-log")
    owen.get_by_label("Case reference").fill(case.reference)
    owen.get_by_label("Action", exact=True).fill("case.submit")
    owen.get_by_role("button", name="Filter").click()
    rows = owen.get_by_test_id("audit-entries").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"Case {case.reference}")
    rows.first.locator("td").first.get_by_role("link").click()
    expect(owen.get_by_role("heading", level=1)).to_contain_text("Audit entry #")
    expect(owen.get_by_test_id("audit-entry-bytes")).to_contain_text("case.submit")
    expect(owen.get_by_test_id("proof-status")).to_contain_text("Verified")
    shot(owen, "oversight-02-audit-entry-and-proof")
    with owen.expect_download() as download:
        owen.get_by_role("link", name="Download the proof (JSON)").click()
    proof = json.loads(Path(download.value.path()).read_text())
    assert proof["leaf_hash"] and isinstance(proof["proof"], list)

    # The case page is read-only for oversight, and a crafted POST is refused by the server.
    owen.goto(f"/cases/{case.pk}/")
    expect(owen.get_by_test_id("case-status")).to_have_text("Initial checks")
    expect(owen.get_by_test_id("actions")).to_have_count(0)
    expect(owen.get_by_text("Read-only: oversight can see this case but cannot change it")).to_be_visible()
    shot(owen, "oversight-03-case-read-only")
    response = csrf_post(owen, f"/cases/{case.pk}/act/add_note/", {"text": "Oversight was here"})
    assert response.status == 403
    assert not CaseNote.objects.filter(case=case).exists()


def test_policy_officer_records_a_country_assessment_and_opens_the_impact_run(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    from warden.legislation import services as legislation

    legislation.load_bundled()
    case = factories.submitted(personas)  # to Norway, assessed on submission
    paula = new_page()
    sign_in(paula, "paula", PASSWORD)
    paula.get_by_role("navigation", name="Main").get_by_role("link", name="Country profiles").click()
    countries = paula.get_by_test_id("countries")
    expect(countries).to_contain_text("NO")
    # Regimes by the names the reference data gives them, not its keys.
    norway = countries.get_by_role("row").filter(has_text="NO Norway")
    expect(norway).to_contain_text("Wassenaar Arrangement")
    expect(norway).to_contain_text("MTCR")
    expect(norway).not_to_contain_text("wassenaar")
    paula.goto("/legislation/countries/NO/")
    form = paula.locator("form[method=post]")
    form.get_by_label("Effective from").fill("2020-01-01")
    form.get_by_label("Citation").fill("Policy review PR-2026-14")
    form.get_by_label("Reason").fill("Reports of diversion through a third country")
    form.get_by_label("Diversion (criterion 7)").select_option("critical")
    form.get_by_label("Human rights (criterion 2a)").select_option("critical")
    shot(paula, "policy-01-editing-country")
    form.get_by_role("button", name="Record assessment").click()
    expect(paula.locator(".messages")).to_contain_text("New assessment for NO recorded")
    assessments = paula.get_by_test_id("assessments")
    expect(assessments).to_contain_text("Policy review PR-2026-14")
    expect(assessments).to_contain_text("Reports of diversion through a third country")
    shot(paula, "policy-02-country-changed")

    paula.get_by_role("navigation", name="Main").get_by_role("link", name="Legislation").click()
    runs = paula.get_by_test_id("runs")
    runs.get_by_role("link").first.click()
    expect(paula).to_have_url(re.compile(r"/legislation/impact/\d+/"))
    expect(paula.get_by_role("heading", level=1)).to_contain_text("Law change run")
    # No task worker runs in the test server: the page offers to compute the run now.
    paula.get_by_role("button", name="Compute now").click()
    expect(paula.get_by_test_id("run-progress")).not_to_contain_text("Pending")
    # The open case to Norway is re-assessed under the new profile and waits in the review queue.
    expect(paula.get_by_test_id("impact-items")).to_contain_text(case.reference)
    shot(paula, "policy-03-impact-run")


def test_officer_marks_a_screening_match_as_a_false_positive(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    from warden.screening.models import Match, MatchStatus

    list_import.import_list(
        actor=system("test"),
        list_name="un-sc",
        fmt="un-xml",
        path=SCREENING_FIXTURES / "un.xml",
        rescreen="none",
    )
    party = {"role": "end_user", "type": "person", "sector": "individual", "name": "Salek, Abdulhai"}
    case = submission.submit_application(
        actor=personas.exporter, document=sample_application(parties=[{**party, "country": "AF"}])
    )
    match = Match.objects.get(case=case)

    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.get_by_role("navigation", name="Main").get_by_role("link", name="Screening").click()
    row = olivia.get_by_test_id(f"match-{match.pk}")
    expect(row).to_contain_text("Salek, Abdulhai")
    expect(row).to_contain_text(case.reference)
    # Why it matched, in a sentence; the matcher's features one click away.
    expect(row.get_by_test_id("why")).to_have_text(
        "Name matches the listed name (2 of 2 parts), same country (AF)."
    )
    features = row.get_by_text("Country: AF (party) / AF (listed)")
    expect(features).to_be_hidden()
    row.get_by_text("Matched features").click()
    expect(features).to_be_visible()
    shot(olivia, "screening-01-queue")
    form = olivia.get_by_test_id(f"decide-{match.pk}")
    form.get_by_label("False positive", exact=True).check()
    form.get_by_role("button", name="Record decision").click()
    # Without a reason the decision is refused and nothing changes.
    expect(olivia.locator(".messages")).to_contain_text("say why")
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN
    form = olivia.get_by_test_id(f"decide-{match.pk}")
    form.get_by_label("False positive", exact=True).check()
    form.get_by_role("textbox").fill("Different person: born 1985, the listed man in 1960")
    form.get_by_role("button", name="Record decision").click()
    expect(olivia.locator(".messages")).to_contain_text("False positive")
    expect(olivia.get_by_test_id(f"match-{match.pk}")).to_have_count(0)
    olivia.get_by_label("Status").select_option("false_positive")
    olivia.get_by_role("button", name="Filter").click()
    expect(olivia.get_by_test_id(f"match-{match.pk}")).to_contain_text("False positive")
    shot(olivia, "screening-02-false-positive-recorded")
    match.refresh_from_db()
    assert match.status == MatchStatus.FALSE_POSITIVE and match.decided_by == personas.officer
