"""/api/licences/{number}/amendments and /versions: the holder proposes with the amended document (created
and submitted at once), refusals change nothing, and the versions read back after a grant."""

from __future__ import annotations

import copy

import pytest

from warden.cases.models import Case, Status
from warden.cases.tests.factories import api_for
from warden.flows import case_decision
from warden.licences import versions
from warden.licences.models import LicenceAmendment
from warden.licences.tests.test_amendments import _decide, _licence, _more
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_the_holder_proposes_through_the_api_and_reads_the_versions(personas: Personas) -> None:
    licence = _licence(personas)
    doc = copy.deepcopy(versions.document_for_proposal(licence))
    _more(doc)
    api = api_for(personas.exporter)
    r = api.post(
        f"/api/licences/{licence.number}/amendments",
        {"reason": "Two more", "document": doc},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    case = Case.objects.get(reference=r.json()["reference"])
    assert case.status == Status.SUBMITTED and r.json()["based_on"] == 1
    again = api.post(
        f"/api/licences/{licence.number}/amendments",
        {"reason": "x", "document": doc},
        content_type="application/json",
    )
    assert again.status_code == 409 and "already has an amendment" in again.json()["detail"]
    _decide(personas, case)
    case_decision.issue_licence(actor=personas.officer, case=case)
    got = api.get(f"/api/licences/{licence.number}/versions").json()
    assert [v["number"] for v in got] == [1, 2]
    assert got[1]["changes"] == ["Line 1: quantity 4 → 6; value 1250000.00 EUR → 1875000.00 EUR"]


def test_a_bad_document_or_another_exporter_changes_nothing(personas: Personas) -> None:
    licence = _licence(personas)
    doc = copy.deepcopy(versions.document_for_proposal(licence))
    doc["goods"][0]["quantity"] = 0
    before = Case.objects.count()
    r = api_for(personas.exporter).post(
        f"/api/licences/{licence.number}/amendments",
        {"reason": "x", "document": doc},
        content_type="application/json",
    )
    assert r.status_code == 422 and any(e["pointer"] == "/goods/0/quantity" for e in r.json()["errors"])
    r = api_for(personas.exporter_b).post(
        f"/api/licences/{licence.number}/amendments",
        {"reason": "x", "document": doc},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert Case.objects.count() == before and not LicenceAmendment.objects.exists()
