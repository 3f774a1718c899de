"""An over-limit request is refused from its declared length, before its body is read, and changes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from warden.audit.models import AuditEntry
from warden.cases.models import Case, Document
from warden.cases.tests import factories as f
from warden.testing import Personas

pytestmark = pytest.mark.django_db


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body of an over-limit request was read")


def _post(client: Client, path: str, length: int) -> Any:
    return client.generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Untouchable()},
    )


def test_an_upload_over_the_limit_is_refused_unread_and_stores_nothing(
    personas: Personas, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1000
    settings.REQUEST_MAX_BYTES = 5000
    case = f.submitted(personas)
    client = Client()
    client.force_login(personas.exporter)
    before = (Document.objects.count(), AuditEntry.objects.count(), Case.objects.get(pk=case.pk).version)
    response = _post(client, reverse("cases:act", args=[case.pk, "upload_document"]), 64 * 1024 * 1024)
    assert response.status_code == 413
    text = response.content.decode()
    assert "67,108,864 bytes" in text and "the limit is 5,000 bytes" in text and "Nothing was stored" in text
    after = (Document.objects.count(), AuditEntry.objects.count(), Case.objects.get(pk=case.pk).version)
    assert after == before


def test_the_api_answers_an_over_limit_body_with_a_json_413(settings: Any) -> None:
    settings.REQUEST_MAX_BYTES = 5000
    response = _post(Client(), "/api/applications/", 10**12)
    assert response.status_code == 413
    assert "the limit is 5,000 bytes" in response.json()["detail"]


@pytest.mark.parametrize(("declared", "says"), [("lots", "not a number"), ("-5", "negative")])
def test_a_malformed_content_length_is_a_clear_400(declared: str, says: str) -> None:
    response = Client().generic(
        "POST", "/api/applications/", CONTENT_LENGTH=declared, **{"wsgi.input": Untouchable()}
    )
    assert response.status_code == 400
    assert says in response.content.decode()


def test_a_request_within_the_limit_goes_through(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.exporter)
    assert client.get("/").status_code == 200
