"""The oversight API: search over what the token's owner may see, bad filters as 422 naming the field,
indicators for senior officers and oversight only."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases.tests import factories
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _api(user: object) -> Client:
    _, token = create_api_token(actor=user, user=user, name="t")  # type: ignore[arg-type]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_search_returns_the_readers_cases_with_a_count(personas: Personas) -> None:
    case = factories.submitted(personas)
    body = _api(personas.exporter).get("/api/oversight/search", {"q": "Kjeller"}).json()
    assert body["count"] == 1 and body["results"][0]["reference"] == case.reference
    assert _api(personas.exporter_b).get("/api/oversight/search").json()["count"] == 0


def test_a_bad_filter_is_a_422_naming_it(personas: Personas) -> None:
    response = _api(personas.officer).get("/api/oversight/search", {"since": "01/03/2026"})
    assert response.status_code == 422
    assert "since: From date '01/03/2026' is not a date" in response.json()["detail"]


def test_indicators_for_senior_officers_only(personas: Personas) -> None:
    factories.submitted(personas)
    factories.submitted(personas)
    body = _api(personas.senior).get("/api/oversight/indicators").json()
    split = next(i for i in body if i["id"] == "split_applications")
    assert split["thresholds"]["value"]["value"] == 2000000 and len(split["hits"]) == 1
    assert _api(personas.officer).get("/api/oversight/indicators").status_code == 403
