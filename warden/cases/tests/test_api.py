"""REST API: submit (201 / 422 naming the field, nothing stored), list own cases, status, answer requests;
another organisation's reference is 404, never 403."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases import services
from warden.cases.models import Case
from warden.cases.tests import factories as f
from warden.flows import submission
from warden.testing import Personas, application_for, sample_application

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(c: Client, url: str, body: Any) -> Any:
    return c.post(url, data=json.dumps(body), content_type="application/json")


def test_it_needs_a_token() -> None:
    assert Client().get("/api/applications/").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer wdn_nonsense").get("/api/applications/").status_code == 401


def test_it_submits_a_valid_document(personas: Personas) -> None:
    r = post(client_for(personas.exporter), "/api/applications/", sample_application())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["reference"].startswith("APP-")
    assert body["sla_deadline"] and body["open_requests"] == [] and body["decision"] is None
    assert Case.objects.get(reference=body["reference"]).organisation == personas.org_a


def test_an_invalid_document_is_422_naming_the_field_and_nothing_is_stored(personas: Personas) -> None:
    doc = sample_application()
    doc["goods"][0]["quantity"] = 0
    doc["destination"] = "ZZ"
    r = post(client_for(personas.exporter), "/api/applications/", doc)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert [e["pointer"] for e in errors] == ["/destination", "/goods/0/quantity"]
    assert "ISO 3166-1" in errors[0]["message"]
    assert Case.objects.count() == 0


def test_a_body_that_is_not_json_is_422(personas: Personas) -> None:
    c = client_for(personas.exporter)
    r = c.post("/api/applications/", data=b"{not json", content_type="application/json")
    assert r.status_code == 422 and "not valid JSON" in r.json()["detail"]
    assert Case.objects.count() == 0


def test_an_officer_cannot_submit_for_an_exporter(personas: Personas) -> None:
    r = post(client_for(personas.officer), "/api/applications/", sample_application())
    assert r.status_code == 403
    assert Case.objects.count() == 0


def test_it_lists_only_my_organisations_cases(personas: Personas) -> None:
    p = personas
    mine = [f.submitted(p) for _ in range(3)]
    submission.submit_application(actor=p.exporter_b, document=application_for(p.exporter_b))
    r = client_for(p.exporter).get("/api/applications/?page_size=2")
    body = r.json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["results"][0]["reference"] == mine[-1].reference
    page2 = client_for(p.exporter).get("/api/applications/?page_size=2&page=2").json()
    assert [x["reference"] for x in page2["results"]] == [mine[0].reference]


def test_status_shows_requests_decision_and_licence(personas: Personas) -> None:
    p = personas
    case = f.licensed(p)
    body = client_for(p.exporter).get(f"/api/applications/{case.reference}").json()
    assert body["status"] == "licence_issued" and body["decision"] == "approved"
    assert body["licence"]["number"] == case.licence.number and body["licence"]["status"] == "issued"
    # Internal material never appears.
    text = json.dumps(body)
    assert "recommend" not in text and "No concerns" not in text


def test_guessing_another_organisations_references_gives_404(personas: Personas) -> None:
    p = personas
    theirs = f.in_initial_checks(p)  # Northbridge's case
    req = services.request_information(actor=p.officer, case=theirs, question="Who?")
    bob = client_for(p.exporter_b)
    n = int(theirs.reference.rsplit("-", 1)[1])
    for ref in (theirs.reference, f"APP-2026-{n + 1:06d}", f"APP-2026-{n - 1:06d}", "APP-2026-999999"):
        r = bob.get(f"/api/applications/{ref}")
        assert r.status_code == 404 and r.json()["detail"] == "Not found"
    r = post(bob, f"/api/applications/{theirs.reference}/requests/{req.pk}/answer", {"answer": "Mine now"})
    assert r.status_code == 404
    assert bob.get(f"/api/applications/{theirs.reference}/licence.pdf").status_code == 404
    req.refresh_from_db()
    assert req.answered_at is None


def test_a_request_id_from_another_case_is_404(personas: Personas) -> None:
    p = personas
    a, b = f.in_initial_checks(p), f.in_initial_checks(p)
    req = services.request_information(actor=p.officer, case=b, question="Who?")
    r = post(
        client_for(p.exporter), f"/api/applications/{a.reference}/requests/{req.pk}/answer", {"answer": "x"}
    )
    assert r.status_code == 404


def test_the_exporter_answers_a_request(personas: Personas) -> None:
    p = personas
    case = f.in_initial_checks(p)
    req = services.request_information(actor=p.officer, case=case, question="Who signs the certificate?")
    c = client_for(p.exporter)
    status = c.get(f"/api/applications/{case.reference}").json()
    assert status["waiting_for_exporter"] is True and status["open_requests"][0]["id"] == req.pk
    r = post(c, f"/api/applications/{case.reference}/requests/{req.pk}/answer", {"answer": "Col. Hansen"})
    assert r.status_code == 200 and r.json()["answer"] == "Col. Hansen"
    again = post(c, f"/api/applications/{case.reference}/requests/{req.pk}/answer", {"answer": "Again"})
    assert again.status_code == 409
    empty_req = services.request_information(
        actor=p.officer, case=Case.objects.get(pk=case.pk), question="More?"
    )
    blank = post(c, f"/api/applications/{case.reference}/requests/{empty_req.pk}/answer", {"answer": "  "})
    assert blank.status_code == 422


def test_the_licence_pdf_endpoint(personas: Personas) -> None:
    case = f.licensed(personas)
    r = client_for(personas.exporter).get(f"/api/applications/{case.reference}/licence.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
