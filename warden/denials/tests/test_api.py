"""/api/denials: list, import (all or nothing, 422 naming the record and field), export; 403 to exporters."""

from __future__ import annotations

from typing import Any

from django.test import Client
from jsonschema import Draft202012Validator

from warden.accounts.services import create_api_token
from warden.cases.tests import factories as f
from warden.denials import exchange
from warden.denials.models import Denial, UndercutFlag
from warden.denials.tests.conftest import DATA, to_deccan
from warden.testing import Personas


def _api(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_partner_liaison_officer_imports_a_file_that_flags_an_open_case(personas: Personas) -> None:
    case = f.submitted(personas, **to_deccan())
    r = _api(personas.policy).post(
        "/api/denials/import?from=FR", (DATA / "fr-2026.json").read_bytes(), content_type="application/json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["added"] == ["FR-DN-2026-0147", "FR-DN-2025-0311", "FR-DN-2022-0102"]
    assert r.json()["flagged_cases"] == [case.reference]
    assert UndercutFlag.objects.filter(case=case, denial__reference="FR-DN-2026-0147").exists()


def test_a_bad_csv_answers_422_naming_the_line_and_stores_nothing(personas: Personas) -> None:
    r = _api(personas.policy).post(
        "/api/denials/import?from=DE", (DATA / "de-bad-date.csv").read_bytes(), content_type="text/csv"
    )
    assert r.status_code == 422
    assert r.json()["detail"] == "line 3, date: '2026-13-01' is not a calendar date (nothing imported)"
    assert not Denial.objects.exists()


def test_an_unknown_state_or_body_type_is_refused(personas: Personas) -> None:
    api = _api(personas.policy)
    r = api.post("/api/denials/import?from=ZZ", b"{}", content_type="application/json")
    assert r.status_code == 422 and "from: 'ZZ' is not an ISO 3166-1 country code" in r.json()["detail"]
    assert api.post("/api/denials/import?from=FR", b"x", content_type="text/plain").status_code == 415


def test_exporters_and_officers_who_do_not_liaise_may_not_import_or_export(personas: Personas) -> None:
    body = (DATA / "fr-2026.json").read_bytes()
    for who in (personas.exporter, personas.officer, personas.oversight):
        api = _api(who)
        assert (
            api.post("/api/denials/import?from=FR", body, content_type="application/json").status_code == 403
        )
        assert api.get("/api/denials/export").status_code == 403
    assert _api(personas.exporter).get("/api/denials/").status_code == 403
    assert _api(personas.officer).get("/api/denials/").status_code == 200
    assert not Denial.objects.exists()


def test_export_returns_our_refusals_in_json_and_csv(personas: Personas) -> None:
    refused = f.finalised(personas, decision="refused")
    api = _api(personas.policy)
    doc = api.get("/api/denials/export").json()
    Draft202012Validator(exchange.schema()).validate(doc)
    assert [d["reference"] for d in doc["denials"]] == [refused.reference]
    r = api.get("/api/denials/export?format=csv&since=2026-01-01")
    assert r["Content-Type"].startswith("text/csv") and refused.reference in r.content.decode()
    assert api.get("/api/denials/export?since=soon").status_code == 422


def test_the_list_holds_ours_and_partners(personas: Personas) -> None:
    f.finalised(personas, decision="refused")
    _api(personas.policy).post(
        "/api/denials/import?from=DE", (DATA / "de-2026.csv").read_bytes(), content_type="text/csv"
    )
    rows = _api(personas.oversight).get("/api/denials/").json()
    assert [r["source"] for r in rows] == ["ours", "partner", "partner"]
