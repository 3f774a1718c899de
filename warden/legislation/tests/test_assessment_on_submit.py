"""Submitting an application stores its assessment with the case, audited, and officers see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from warden.audit.models import AuditEntry
from warden.flows import submission
from warden.legislation.models import CaseAssessment, ReferenceRevision
from warden.legislation.tests.support import load_initial, submit_to
from warden.testing import PASSWORD, Personas


def test_submitting_stores_the_assessment_with_digests_and_an_audit_entry(personas: Personas) -> None:
    rev = load_initial()
    case = submit_to(personas, "LY", sector="commercial")
    ca = CaseAssessment.objects.get(case=case)
    doc = ca.document
    assert doc["format"] == "warden.assessment/1" and doc["application"] == case.reference
    assert doc["recommendation"] == "refuse" and ca.recommendation == "refuse"
    assert "EU-CP:1" in ca.criteria and "ATT:6.1" in ca.criteria
    assert doc["ruleset"]["digest"].startswith("sha256:") and ca.ruleset_digest == doc["ruleset"]["digest"]
    assert set(doc["reference_data"]) >= {"embargoes", "control_list", "countries"}
    assert ca.revision == rev and ca.as_of == case.submitted_at.date()
    entry = AuditEntry.objects.get(action="legislation.case_assessed", case_id=case.pk)
    assert entry.entry.count('"recommendation":"refuse"') == 1


def test_loading_the_same_data_twice_creates_one_revision(personas: Personas) -> None:
    load_initial()
    load_initial()
    assert ReferenceRevision.objects.count() == 1
    assert AuditEntry.objects.filter(action="legislation.reference_loaded").count() == 1


def test_screening_findings_and_matches_join_the_assessment(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_initial()
    import warden.screening.services as screening

    def fake(case: Any) -> dict[str, Any]:
        return {
            "screening": [
                {
                    "party": 0,
                    "matches": [
                        {
                            "list": "un-sc",
                            "entry": "KPe.001",
                            "name": "KOMID",
                            "matched_name": "KOMID",
                            "score": 0.97,
                            "explanation": "alias",
                        }
                    ],
                }
            ],
            "findings": [
                {
                    "rule": "screening.match",
                    "criterion": "EU-CP:1",
                    "outcome": "deny",
                    "subject": "parties[0]",
                    "basis": "UNSCR 1718 (2006) sanctions list",
                    "explanation": "The end user matches KOMID.",
                }
            ],
        }

    monkeypatch.setattr(screening, "screening_for_assessment", fake, raising=False)
    case = submit_to(personas, "NO")
    doc = CaseAssessment.objects.get(case=case).document
    assert doc["recommendation"] == "refuse"
    assert doc["screening"][0]["matches"][0]["entry"] == "KPe.001"
    assert any(f["rule"] == "screening.match" and f["subject"] == "parties[0]" for f in doc["findings"])


def test_officers_see_the_findings_on_the_case_page_and_exporters_do_not(personas: Personas) -> None:
    load_initial()
    case = submit_to(personas, "LY", sector="commercial")
    officer = Client()
    officer.login(username=personas.officer.username, password=PASSWORD)
    page = officer.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="assessment-recommendation"' in page and "UNSCR 1970" in page
    exporter = Client()
    exporter.login(username=personas.exporter.username, password=PASSWORD)
    page = exporter.get(f"/cases/{case.pk}/").content.decode()
    assert "UNSCR 1970" not in page and 'data-testid="assessment"' not in page


def test_the_api_assesses_a_document_and_refuses_an_invalid_one(personas: Personas) -> None:
    from warden.accounts.services import create_api_token

    load_initial()
    _, token = create_api_token(actor=personas.officer, user=personas.officer, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    from warden.legislation.tests.support import application_to

    r = client.post(
        "/api/legislation/assess?as_of=2026-03-01", application_to("IR"), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["recommendation"] == "refuse"
    r = client.post("/api/legislation/assess", {"format": "nope"}, content_type="application/json")
    assert r.status_code == 422 and any(e["pointer"] == "/format" for e in r.json()["errors"])


def test_the_legislation_page_lists_embargoes_in_force_on_a_date(personas: Personas) -> None:
    load_initial()
    c = Client()
    c.login(username=personas.officer.username, password=PASSWORD)
    page = c.get("/legislation/?on=2000-01-01").content.decode()
    assert "UNSCR 748 (1992) suspended" in page and "UNSCR 1970" not in page
    page = c.get("/legislation/?on=2026-03-01").content.decode()
    assert "UNSCR 1970" in page
    exporter = Client()
    exporter.login(username=personas.exporter.username, password=PASSWORD)
    assert exporter.get("/legislation/").status_code == 404


def test_the_api_returns_the_stored_assessment_to_authority_users_only(personas: Personas) -> None:
    from warden.accounts.services import create_api_token

    load_initial()
    case = submit_to(personas, "LY", sector="commercial")
    _, officer_token = create_api_token(actor=personas.officer, user=personas.officer, name="t")
    r = Client(HTTP_AUTHORIZATION=f"Bearer {officer_token}").get(
        f"/api/legislation/cases/{case.reference}/assessment"
    )
    assert r.status_code == 200 and r.json()["recommendation"] == "refuse"
    _, exporter_token = create_api_token(actor=personas.exporter, user=personas.exporter, name="t")
    r = Client(HTTP_AUTHORIZATION=f"Bearer {exporter_token}").get(
        f"/api/legislation/cases/{case.reference}/assessment"
    )
    assert r.status_code == 404


def test_the_case_page_shows_the_licence_condition_a_finding_proposes(personas: Personas) -> None:
    # The sample certificate allows re-export only with consent: criterion 7 proposes a re-export condition.
    load_initial()
    case = submit_to(personas, "NO")
    officer = Client()
    officer.login(username=personas.officer.username, password=PASSWORD)
    page = officer.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="proposed-condition"' in page
    assert "prior written authorisation of the licensing authority" in page


def test_a_certificate_dated_after_the_recorded_submission_day_is_found_whatever_the_document_claims(
    personas: Personas,
) -> None:
    """The submission day is the authority's record (Case.submitted_at), not the exporter's `submitted_on`:
    a certificate issued after the case was filed is a criterion 7 finding, also on a later re-assessment."""
    import datetime as dt

    from warden.legislation import services as legislation
    from warden.lib import clock
    from warden.testing import application_for

    load_initial()
    later = (clock.today() + dt.timedelta(days=3)).isoformat()
    doc = application_for(personas.exporter, submitted_on=later)
    doc["end_user_certificate"] = {**doc["end_user_certificate"], "issued_on": later}
    case = submission.submit_application(actor=personas.exporter, document=doc)
    _, _, fresh = legislation.compute_assessment(case)
    euc = [f for f in fresh["findings"] if f["rule"] == "euc.issue_date"]
    assert euc and euc[0]["outcome"] == "risk" and "Criterion Seven" in euc[0]["basis"], fresh["findings"]
