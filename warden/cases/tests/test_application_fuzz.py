"""The application document broken at random, posted to POST /api/applications/ and uploaded through the
JSON-upload form (issue 14 §1): never a 5xx, a 4xx says why, and nothing is stored. Two kinds of damage:
bytes of the serialised sample (cut, flipped, NUL, 5,000-digit numbers, deep nesting), and one field of
the document replaced by a hostile value (too long, too large, NaN, the wrong type). Deterministic."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from warden.accounts.services import create_api_token
from warden.audit.models import AuditEntry
from warden.cases.models import Case, GoodsLine, Party
from warden.lib.tests.mutations import FUZZ, mutated
from warden.testing import Personas, application_for

pytestmark = pytest.mark.django_db

HOSTILE: list[Any] = [
    "x" * 5001,
    "",
    "\x00",
    "\ud800",
    2**63,
    2**31,
    -1,
    10**15,
    99999999999999.995,
    float("nan"),
    float("inf"),
    1e308,
    None,
    True,
    [],
    {},
    [[[[[[[[["deep"]]]]]]]]],
    "9" * 41,
]


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = json.loads(json.dumps(doc))
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def _counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), GoodsLine.objects.count(), Party.objects.count(), AuditEntry.objects.count()


def _hostile_documents(doc: dict[str, Any]) -> st.SearchStrategy[bytes]:
    leaves = _leaves(doc)
    by_field = st.builds(
        lambda p, v: json.dumps(_replaced(doc, p, v)).encode(),
        st.sampled_from(leaves),
        st.sampled_from(HOSTILE),
    )
    return st.one_of(mutated(json.dumps(doc, indent=1).encode()), by_field)


def test_post_api_applications_never_5xx_and_stores_nothing_when_refused(personas: Personas) -> None:
    _, token = create_api_token(actor=personas.exporter, user=personas.exporter, name="fuzz")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    @FUZZ
    @given(body=_hostile_documents(application_for(personas.exporter)))
    def check(body: bytes) -> None:
        before = _counts()
        r = client.post("/api/applications/", data=body, content_type="application/json")
        assert r.status_code < 500, r.content[:300]
        if r.status_code >= 400:
            payload = r.json()
            said = payload.get("detail") or payload.get("errors")
            assert said, payload
            assert len(r.content) < 20_000
            assert _counts() == before

    check()


def test_the_json_upload_form_never_5xx_and_stores_nothing_when_refused(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.exporter)

    @FUZZ
    @given(body=_hostile_documents(application_for(personas.exporter)))
    def check(body: bytes) -> None:
        before = _counts()
        upload = SimpleUploadedFile("app.json", body, "application/json")
        r = client.post("/cases/new/upload/", {"document": upload})
        assert r.status_code in (302, 422), (r.status_code, r.content[:300])
        if r.status_code == 422:
            assert _counts() == before

    check()
