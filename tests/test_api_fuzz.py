"""schemathesis over the OpenAPI document (issue 14): every operation, a short deterministic run, as an
officer and as an exporter. No input may produce a 5xx, and every answer must be one the document names,
with a body of the documented schema (the error bodies included)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from warden.accounts.services import create_api_token
from warden.audit.checkpoints import create_development_key
from warden.config.wsgi import application
from warden.legislation.services import load_bundled
from warden.testing import make_personas

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI app is called directly (not through Django's test client), so do what the test client does:
    keep Django from closing the connection at the end of a request, which on PostgreSQL would drop the
    test's transaction (and with it the test database's rows) under the next request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db: None, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An officer's and an exporter's token, on a deployment set up as `warden init` sets one up (the
    bundled law, an audit signing key and keyring, a witness file)."""
    from django.db import transaction

    monkeypatch.delenv("WARDEN_AUDIT_KEY_PEM", raising=False)
    create_development_key(tmp_path / "audit.pem")
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "audit.pem")
    settings.AUDIT_KEYRING_PATH = str(tmp_path / "keyring.txt")
    settings.AUDIT_WITNESS_PATH = str(tmp_path / "witness.jsonl")
    load_bundled()

    p = make_personas()
    out = {}
    with transaction.atomic():
        for name, user in (("officer", p.officer), ("exporter", p.exporter)):
            out[name] = create_api_token(actor=user, user=user, name="fuzz")[1]
    return out


@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_input_gets_a_server_error_or_an_undocumented_answer(case: Any, tokens: dict[str, str]) -> None:
    for who in ("officer", "exporter"):
        case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"}, checks=CHECKS)
