"""/api/end-use: list (overdue first, filters), get, record a finding with base64 evidence; 403 to exporters,
422 with the service's sentence for bad input."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases.tests import factories as f
from warden.enduse.models import EndUseCheck, Finding
from warden.enduse.tests.conftest import Inspectors, licence_of, pdf
from warden.lib import clock
from warden.licences.models import Licence
from warden.testing import Personas


def _api(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_officers_list_checks_overdue_first_and_exporters_get_403(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    other = licence_of(f.licensed(personas))
    EndUseCheck.objects.filter(licence=other).update(due_on=clock.today() - dt.timedelta(days=5))
    r = _api(personas.officer).get("/api/end-use/")
    assert r.status_code == 200, r.content
    assert [c["licence"] for c in r.json()] == [other.number, dvc.licence.number]
    assert r.json()[0]["status"] == "overdue" and r.json()[1]["status"] == "planned"
    r = _api(inspectors.ines).get("/api/end-use/?status=overdue")
    assert [c["licence"] for c in r.json()] == [other.number]
    assert _api(personas.officer).get("/api/end-use/?status=late").status_code == 422
    assert _api(personas.exporter).get("/api/end-use/").status_code == 403
    assert _api(personas.exporter).get(f"/api/end-use/{dvc.pk}").status_code == 403


def test_get_one_check_and_404_for_an_unknown_one(personas: Personas, dvc: EndUseCheck) -> None:
    r = _api(personas.oversight).get(f"/api/end-use/{dvc.pk}")
    assert r.status_code == 200
    body = r.json()
    assert (body["reference"], body["kind"], body["end_user"]["name"]) == (
        dvc.reference,
        "delivery_verification_certificate",
        "Norwegian Defence Materiel Agency",
    )
    assert _api(personas.officer).get("/api/end-use/999999").status_code == 404


def test_the_inspector_records_a_diversion_with_evidence_and_is_offered_the_suspension(
    personas: Personas, licensed: Licence, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    body = {
        "finding": "diversion",
        "notes": "Goods re-exported without consent",
        "evidence": [{"name": "report.pdf", "content_base64": base64.b64encode(pdf()).decode()}],
    }
    r = _api(inspectors.ines).post(f"/api/end-use/{dvc.pk}/finding", body, content_type="application/json")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["finding"] == "diversion" and out["status"] == "done"
    assert out["evidence"][0]["name"] == "report.pdf"
    assert out["flagged_cases"] == [licensed.case.reference]
    assert out["suspendable_licences"] == [licensed.number]


def test_refusals_answer_403_and_bad_input_422_with_the_sentence(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    url = f"/api/end-use/{dvc.pk}/finding"
    r = _api(personas.officer).post(url, {"finding": "satisfactory"}, content_type="application/json")
    assert r.status_code == 403 and "Only a compliance inspector" in r.json()["detail"]
    ines = _api(inspectors.ines)
    r = ines.post(url, {"finding": "diversion"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"] == "notes: say what the check found (diversion)"
    bad = {"finding": "satisfactory", "evidence": [{"name": "x.pdf", "content_base64": "***"}]}
    r = ines.post(url, bad, content_type="application/json")
    assert r.status_code == 422 and "not base64" in r.json()["detail"]
    r = ines.post(
        url, {"finding": "satisfactory", "completed_on": "2026-13-01"}, content_type="application/json"
    )
    assert r.status_code == 422
    dvc.refresh_from_db()
    assert dvc.finding == "" and dvc.completed_on is None
    assert (
        ines.post(url, {"finding": Finding.SATISFACTORY}, content_type="application/json").status_code == 200
    )


def test_the_list_is_paged(personas: Personas, dvc: EndUseCheck) -> None:
    f.licensed(personas)
    api = _api(personas.officer)
    assert len(api.get("/api/end-use/?limit=1").json()) == 1
    assert len(api.get("/api/end-use/?limit=1&offset=1").json()) == 1
    assert api.get("/api/end-use/?offset=2").json() == []
    assert api.get("/api/end-use/?limit=0").status_code == 422
    assert api.get("/api/end-use/?offset=-1").status_code == 422
