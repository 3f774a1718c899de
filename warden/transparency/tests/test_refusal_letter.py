"""The refusal letter: the applicant and the officers download it from the refused case's page or over the
API; it cites each criterion in words with its legal basis, the reasons, and the appeal route and deadline.
Nobody else gets it, and an approved case has none."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from warden.accounts.services import create_api_token
from warden.audit.models import AuditEntry
from warden.cases import policy as case_policy
from warden.cases.models import Case
from warden.cases.tests import factories as f
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_client(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def refused(personas: Personas) -> Case:
    return f.finalised(personas, decision="refused")


def test_the_applicant_downloads_a_letter_citing_the_criteria_and_the_appeal_route(
    personas: Personas, refused: Case, settings: Any
) -> None:
    settings.REFUSAL_APPEAL_CITATION = "Export Control Act 2026, s. 12 (appeals)"
    response = signed_in(personas.exporter).get(f"/cases/{refused.pk}/refusal-letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert f"Refusal of export licence application {refused.reference}" in text
    assert "EU-CP:7" in text and "Risk of diversion or re-export" in text
    assert "Common Position 2008/944/CFSP, Art. 2, Criterion Seven" in text
    assert "Agreed" in text  # the reasons given at the decision
    deadline = case_policy.appeal_deadline(refused)
    assert deadline is not None
    assert f"within 28 days of the decision, that is by {deadline.strftime('%-d %B %Y')}" in text
    assert "Export Control Act 2026, s. 12 (appeals)" in text
    assert personas.org_a.name in text
    assert AuditEntry.objects.filter(action="case.refusal_letter.download", case_id=refused.pk).count() == 1


def test_an_officer_downloads_it_too(personas: Personas, refused: Case) -> None:
    response = signed_in(personas.officer).get(f"/cases/{refused.pk}/refusal-letter.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_another_organisation_gets_not_found(personas: Personas, refused: Case) -> None:
    assert signed_in(personas.exporter_b).get(f"/cases/{refused.pk}/refusal-letter.pdf").status_code == 404
    assert not AuditEntry.objects.filter(action="case.refusal_letter.download").exists()


def test_an_approved_case_has_no_refusal_letter(personas: Personas) -> None:
    approved = f.finalised(personas, decision="approved")
    assert signed_in(personas.exporter).get(f"/cases/{approved.pk}/refusal-letter.pdf").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(refused: Case) -> None:
    response = Client().get(f"/cases/{refused.pk}/refusal-letter.pdf")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_refused_case_page_links_to_the_letter(personas: Personas, refused: Case) -> None:
    html = signed_in(personas.exporter).get(f"/cases/{refused.pk}/").content.decode()
    assert f'href="/cases/{refused.pk}/refusal-letter.pdf"' in html
    approved = f.finalised(personas, decision="approved")
    assert "refusal-letter" not in signed_in(personas.exporter).get(f"/cases/{approved.pk}/").content.decode()


def test_the_api_serves_the_letter_to_the_applicant_only(personas: Personas, refused: Case) -> None:
    url = f"/api/applications/{refused.reference}/refusal-letter.pdf"
    response = api_client(personas.exporter).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Risk of diversion or re-export" in text_of(response.content)
    other = api_client(personas.exporter_b).get(url)
    assert other.status_code == 404 and other.json() == {"detail": "No refusal letter for this application"}
    assert Client().get(url).status_code == 401


def test_national_and_treaty_criteria_are_cited_from_the_ruleset(personas: Personas, refused: Case) -> None:
    # As stored by a decision citing them (the finalise service checks them against the same ruleset).
    Case.objects.filter(pk=refused.pk).update(decision_criteria=["NATIONAL:salw-non-state", "ATT:6.3"])
    text = text_of(signed_in(personas.exporter).get(f"/cases/{refused.pk}/refusal-letter.pdf").content)
    assert "NATIONAL:salw-non-state" in text
    assert "National policy: no small arms, light weapons or ammunition to non-state armed groups" in text
    assert "National arms export policy, small arms statement (illustrative)" in text
    assert "Genocide, crimes against humanity, war crimes" in text and "Arms Trade Treaty, Art. 6(3)" in text
