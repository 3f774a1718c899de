"""Hostile JSON posted to the API and uploaded through the form: 422 naming the problem, nothing stored
(issue 14 §1): nesting thousands deep, 5,000-digit numbers, NaN/Infinity, lone surrogates, NUL."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from warden.audit.models import AuditEntry
from warden.cases.models import Case
from warden.cases.tests.factories import api_for, client_for
from warden.testing import Personas, application_for

pytestmark = pytest.mark.django_db


def _valid(personas: Personas) -> str:
    return json.dumps(application_for(personas.exporter))


def _hostile(personas: Personas) -> dict[str, tuple[str, str]]:
    valid = _valid(personas)
    return {
        "deep": ("[" * 5000 + "]" * 5000, "nested more than"),
        "long number": (valid[:-1] + ', "extra": ' + "9" * 5000 + "}", "characters long"),
        "nan": (valid[:-1] + ', "extra": NaN}', "NaN is not a number"),
        "infinity": (valid[:-1] + ', "extra": -Infinity}', "-Infinity is not a number"),
        "lone surrogate": (valid[:-1] + ', "extra": "a\\ud800"}', "lone surrogate"),
        "nul": (valid[:-1] + ', "extra": "a\\u0000"}', "NUL character"),
    }


def _counts() -> tuple[int, int]:
    return Case.objects.count(), AuditEntry.objects.count()


KINDS = ["deep", "long number", "nan", "infinity", "lone surrogate", "nul"]


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_json_posted_to_the_api_is_a_422_and_stores_nothing(personas: Personas, kind: str) -> None:
    body, expected = _hostile(personas)[kind]
    client = api_for(personas.exporter)
    before = _counts()
    response = client.post("/api/applications/", data=body, content_type="application/json")
    assert response.status_code == 422
    assert expected in response.json()["detail"]
    assert _counts() == before


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_json_uploaded_through_the_form_is_refused_and_stores_nothing(
    personas: Personas, kind: str
) -> None:
    body, expected = _hostile(personas)[kind]
    client = client_for(personas.exporter)
    before = _counts()
    upload = SimpleUploadedFile("application.json", body.encode("utf-8", "surrogatepass"), "application/json")
    response = client.post("/cases/new/upload/", {"document": upload})
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert _counts() == before
