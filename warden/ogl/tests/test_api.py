"""/api/open-licences: list and get for any token, register and report use for the exporter (201, a retry
200, other details 409, a broken condition 422 naming the field), registrations scoped by organisation."""

from __future__ import annotations

from typing import Any

from django.test import Client

from warden.accounts.services import create_api_token
from warden.ogl.models import OglRegistration, OglUse, OpenGeneralLicence
from warden.ogl.tests.conftest import REF
from warden.testing import Personas


def _api(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


BODY = {
    "shipped_on": "2026-12-01",
    "customs_declaration": "26GB-API-1",
    "destination": "SE",
    "ratings": ["ML5.a"],
    "description": "Fire-control display units",
    "quantity": 2,
    "value": 40000,
    "currency": "GBP",
    "consignee_name": "Saab Support AB",
    "end_user_name": "Swedish Defence Materiel Administration",
}


def test_any_token_lists_and_reads_the_ogls(personas: Personas, ogl: OpenGeneralLicence) -> None:
    r = _api(personas.officer).get("/api/open-licences/")
    assert r.status_code == 200
    [row] = r.json()
    assert row["reference"] == REF and row["current"]["number"] == 2
    assert row["current"]["excluded_destinations"] == ["TR"]
    one = _api(personas.exporter).get(f"/api/open-licences/{REF}").json()
    assert [v["number"] for v in one["versions"]] == [1, 2]
    assert one["versions"][0]["effective_until"] == "2026-06-01"
    assert _api(personas.exporter).get("/api/open-licences/OGL-NONE").status_code == 404
    assert Client().get("/api/open-licences/").status_code == 401


def test_the_exporter_registers_and_reports_a_use_idempotently(
    personas: Personas, ogl: OpenGeneralLicence
) -> None:
    api = _api(personas.exporter)
    r = api.post(f"/api/open-licences/{REF}/register")
    assert r.status_code == 201, r.content
    ref = r.json()["reference"]
    assert ref == OglRegistration.objects.get().reference and r.json()["status"] == "extant"
    r = api.post(f"/api/open-licences/registrations/{ref}/uses", BODY, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["value"] == {"amount": "40000.00", "currency": "GBP"} and r.json()["version"] == 2
    again = api.post(f"/api/open-licences/registrations/{ref}/uses", BODY, content_type="application/json")
    assert again.status_code == 200 and OglUse.objects.count() == 1
    other = api.post(
        f"/api/open-licences/registrations/{ref}/uses",
        {**BODY, "quantity": 3},
        content_type="application/json",
    )
    assert other.status_code == 409 and "26GB-API-1 was already reported" in other.json()["detail"]
    assert (
        api.get(f"/api/open-licences/registrations/{ref}").json()["uses"][0]["customs_declaration"]
        == "26GB-API-1"
    )
    r = api.post(f"/api/open-licences/{REF}/register")
    assert r.status_code == 409 and "already holds" in r.json()["detail"]


def test_a_broken_condition_is_422_naming_the_field(
    personas: Personas, registration: OglRegistration
) -> None:
    r = _api(personas.exporter).post(
        f"/api/open-licences/registrations/{registration.reference}/uses",
        {**BODY, "destination": "TR", "customs_declaration": "X"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["detail"].startswith("destination: TR is excluded by OGL-TEST-PARTS (version 2")
    assert r.json()["errors"][0]["pointer"] == "/destination"
    bad = _api(personas.exporter).post(
        f"/api/open-licences/registrations/{registration.reference}/uses",
        {**BODY, "quantity": "many"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and not OglUse.objects.exists()


def test_registrations_are_scoped_and_officers_do_not_register(
    personas: Personas, registration: OglRegistration
) -> None:
    assert [
        r["reference"] for r in _api(personas.exporter).get("/api/open-licences/registrations").json()
    ] == [registration.reference]
    assert _api(personas.exporter_b).get("/api/open-licences/registrations").json() == []
    assert (
        _api(personas.exporter_b)
        .get(f"/api/open-licences/registrations/{registration.reference}")
        .status_code
        == 404
    )
    assert len(_api(personas.oversight).get("/api/open-licences/registrations").json()) == 1
    assert _api(personas.officer).post(f"/api/open-licences/{REF}/register").status_code == 403
