"""The officers' case actions through /api/applications: the whole path from submission to a recommendation
by tokens alone, under the same policy as the case page (403 with its sentence, 404 for an unseen case, 409
for a wrong state or a stale version, 422 naming the field), and nothing changed by a refusal."""

from __future__ import annotations

from typing import Any

import pytest

from warden.cases.models import Case, InformationRequest, Status
from warden.cases.tests import factories as f
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _post(client: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def test_a_case_goes_from_submitted_to_final_review_through_the_api(personas: Personas) -> None:
    case = f.submitted(personas)
    base = f"/api/applications/{case.reference}"
    officer, adviser = f.api_for(personas.officer), f.api_for(personas.adviser_fcdo)
    r = _post(officer, f"{base}/start-checks")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == Status.INITIAL_CHECKS
    assert _post(officer, f"{base}/assign", {"officer": personas.officer2.username}).status_code == 200
    officer2 = f.api_for(personas.officer2)
    r = _post(officer2, f"{base}/refer", {"teams": [personas.fcdo.code], "note": "Views on the end user?"})
    assert r.status_code == 200 and r.json()["status"] == Status.CONSULTATION
    r = _post(adviser, f"{base}/advice", {"kind": "approve", "text": "No concerns"})
    assert r.status_code == 200, r.content
    r = _post(officer2, f"{base}/recommend", {"decision": "approved", "reason": "Meets the criteria"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == Status.UNDER_FINAL_REVIEW
    case.refresh_from_db()
    assert case.recommended_by == personas.officer2


def test_a_request_for_information_pauses_the_case_and_the_exporter_sees_it(personas: Personas) -> None:
    case = f.in_initial_checks(personas)
    r = _post(
        f.api_for(personas.officer), f"/api/applications/{case.reference}/requests", {"question": "EUC?"}
    )
    assert r.status_code == 200
    assert r.json()["waiting_for_exporter"] is True
    seen = f.api_for(personas.exporter).get(f"/api/applications/{case.reference}").json()
    assert [q["question"] for q in seen["open_requests"]] == ["EUC?"]


def test_refusals_carry_the_policy_sentence_and_change_nothing(personas: Personas) -> None:
    case = f.submitted(personas)
    base = f"/api/applications/{case.reference}"
    exporter = f.api_for(personas.exporter)
    r = _post(exporter, f"{base}/start-checks")
    assert r.status_code == 403 and r.json()["detail"]
    assert _post(f.api_for(personas.exporter_b), f"{base}/start-checks").status_code == 404
    r = _post(f.api_for(personas.officer), f"{base}/recommend", {"decision": "approved", "reason": "x"})
    assert r.status_code == 409, r.content
    r = _post(f.api_for(personas.officer), f"{base}/assign", {"officer": "nobody"})
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/officer"
    r = _post(f.api_for(personas.officer), f"{base}/start-checks", {"colour": "red"})
    assert r.status_code == 422
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_stale_expected_version_is_a_conflict(personas: Personas) -> None:
    case = f.in_initial_checks(personas)
    r = _post(
        f.api_for(personas.officer),
        f"/api/applications/{case.reference}/requests",
        {"question": "Which unit?", "expected_version": 0},
    )
    assert r.status_code == 409
    assert not InformationRequest.objects.filter(case=case).exists()


def test_advice_from_a_team_the_case_was_not_referred_to_is_refused(personas: Personas) -> None:
    case = f.in_consultation(personas)
    r = _post(
        f.api_for(personas.adviser_mod),
        f"/api/applications/{case.reference}/advice",
        {"kind": "approve", "text": "ok"},
    )
    assert r.status_code == 404  # an adviser sees only the cases referred to their team
    assert not case.referrals.filter(advice__isnull=False).exists()


def test_the_exporter_withdraws_and_appeals_through_the_api(personas: Personas) -> None:
    case = f.submitted(personas)
    r = _post(
        f.api_for(personas.exporter), f"/api/applications/{case.reference}/withdraw", {"reason": "Order lost"}
    )
    assert r.status_code == 200 and r.json()["status"] == Status.WITHDRAWN
    refused = f.finalised(personas, decision="refused")
    r = _post(
        f.api_for(personas.exporter), f"/api/applications/{refused.reference}/appeal", {"grounds": "New EUC"}
    )
    assert r.status_code == 200, r.content
    assert Case.objects.get(pk=refused.pk).status == Status.UNDER_APPEAL
