"""Integers past 2^63 in paths and query parameters: a clear 404/400, never a 500 (issue 14 §1)."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.audit.models import AuditEntry as Entry
from warden.cases.models import Case
from warden.testing import Personas

pytestmark = pytest.mark.django_db

HUGE = str(2**63)
HUGER = "9" * 5000


@pytest.fixture
def officer_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.officer)
    return client


def _counts() -> tuple[int, int]:
    return Case.objects.count(), Entry.objects.count()


@pytest.mark.parametrize(
    "path",
    [
        f"/cases/{HUGE}/",
        f"/cases/{HUGER}/",
        f"/cases/{HUGE}/edit/",
        f"/licences/{HUGE}/",
        f"/audit/entry/{HUGE}/",
        f"/audit/entry/{HUGE}/proof.json",
        f"/oversight/cases/{HUGE}/",
        f"/legislation/impact/{HUGE}/",
    ],
)
def test_a_path_number_no_column_can_hold_is_not_found(officer_client: Client, path: str) -> None:
    before = _counts()
    response = officer_client.get(path)
    assert response.status_code == 404
    assert b"No record has the number" in response.content
    assert _counts() == before


def test_a_post_to_a_huge_path_number_changes_nothing(officer_client: Client) -> None:
    before = _counts()
    response = officer_client.post(f"/cases/{HUGE}/act/submit/", {})
    assert response.status_code == 404
    assert _counts() == before


@pytest.mark.parametrize(
    "url",
    [
        f"/api/applications/?page={HUGE}",
        f"/api/audit/proof/inclusion?seq=1&size={HUGE}",
        f"/api/audit/proof/consistency?first={HUGE}&second=2",
        f"/audit/entry/1/proof.json?size={HUGE}",
        f"/audit/consistency.json?to={HUGER}",
        f"/cases/?index={HUGE}",
    ],
)
def test_a_query_number_no_column_can_hold_is_refused_naming_the_parameter(
    officer_client: Client, url: str
) -> None:
    before = _counts()
    response = officer_client.get(url)
    assert response.status_code == 400
    assert b"query parameter" in response.content
    assert b"largest number accepted" in response.content
    assert _counts() == before


def test_the_api_refusal_is_json(officer_client: Client) -> None:
    response = officer_client.get(f"/api/applications/?page={HUGE}")
    assert response.status_code == 400
    assert "page" in response.json()["detail"]


def test_the_largest_number_a_column_holds_still_reaches_the_view(officer_client: Client) -> None:
    response = officer_client.get(f"/cases/{2**63 - 1}/")
    assert response.status_code == 404
    assert b"No record has the number" not in response.content


def test_a_negative_or_ordinary_number_is_left_to_the_view(officer_client: Client) -> None:
    assert officer_client.get("/audit/consistency.json?to=-5").status_code != 500
    ordinary = officer_client.get("/api/applications/?page=1")
    assert ordinary.status_code == 401  # reached the API's own token check, not the guard
