"""Each kind of refusal (warden.lib.errors) is answered the same way everywhere: one mapping per interface.

API: 422 with the contract's errors[pointer], 403, 409, 404. UI: the page and status with the message.
CLI: the message on stderr and exit 2, 3, 4, 5. Real service paths that raise them are tested beside it.
"""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

import pytest
from django.test import Client, RequestFactory

from warden import cli
from warden.config.api import api
from warden.config.tests.refusing_urls import KINDS
from warden.lib.errors import (
    CaseConflict,
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    WardenError,
    WorkflowError,
)
from warden.testing import PASSWORD, Personas

API_STATUS = {"invalid": 422, "forbidden": 403, "conflict": 409, "not-found": 404}
UI_STATUS = {"invalid": 400, "forbidden": 403, "conflict": 409, "not-found": 404}
CLI_STATUS = {"invalid": 2, "forbidden": 3, "conflict": 4, "not-found": 5}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_api_answers_each_refusal_with_its_status_and_message(kind: str) -> None:
    request = RequestFactory().post("/api/anything")
    response = api.on_exception(request, KINDS[kind](f"refused as {kind}", where="quantity"))
    body = json.loads(response.content)
    assert response.status_code == API_STATUS[kind]
    assert body["detail"] == f"refused as {kind}"
    if kind == "invalid":  # the interchange contract: the field as a JSON pointer
        assert body["errors"] == [{"pointer": "/quantity", "message": "refused as invalid"}]
    else:
        assert "errors" not in body


@pytest.mark.urls("warden.config.tests.refusing_urls")
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_ui_shows_each_refusal_as_its_page_and_status(kind: str, personas: Personas) -> None:
    client = Client()
    client.login(username=personas.officer.username, password=PASSWORD)
    response = client.post(f"/_refuse/{kind}/", HTTP_REFERER="http://testserver/cases/")
    assert response.status_code == UI_STATUS[kind]
    page = response.content.decode()
    if kind == "not-found":
        assert "Page not found" in page
    else:
        assert f"refused as {kind}" in page
    if kind in ("invalid", "conflict"):
        assert "Nothing was changed." in page and 'href="http://testserver/cases/"' in page


@pytest.mark.urls("warden.config.tests.refusing_urls")
def test_the_ui_offers_no_way_back_to_another_site(personas: Personas) -> None:
    client = Client()
    client.login(username=personas.officer.username, password=PASSWORD)
    response = client.post("/_refuse/invalid/", HTTP_REFERER="https://elsewhere.example/")
    assert response.status_code == 400
    assert "elsewhere.example" not in response.content.decode()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_cli_prints_each_refusal_and_exits_with_its_status(
    kind: str, db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        def refuse(args: argparse.Namespace) -> int:
            raise KINDS[kind](f"refused as {kind}", where="--quantity")

        sub.add_parser("refuse").set_defaults(func=refuse)

    monkeypatch.setattr(cli, "_cli_modules", lambda: [SimpleNamespace(register=register)])
    assert cli.main(["refuse"]) == CLI_STATUS[kind]
    err = capsys.readouterr().err
    assert err == f"warden: --quantity: refused as {kind}\n"


def test_the_domains_refusals_are_kernel_kinds_and_still_caught_by_their_old_names() -> None:
    assert issubclass(NotPermitted, KINDS["forbidden"])
    assert issubclass(IllegalTransition, KINDS["conflict"]) and issubclass(CaseConflict, KINDS["conflict"])
    assert WorkflowError is WardenError
    assert InvalidInput("no", field="reason").where == "reason"  # the older keyword still names the field


# ------------------------------------------------------------------ the same mapping on real service paths


def _token(user: object) -> str:
    from warden.accounts.models import ApiToken

    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="t", prefix=raw[:12], digest=ApiToken.digest_of(raw))
    return raw


def test_the_screening_api_refuses_an_exporter_403_and_an_empty_name_422_naming_it(
    personas: Personas,
) -> None:
    exporter, officer = _token(personas.exporter), _token(personas.officer)
    refused = Client().get("/api/screening/screen", {"name": "x"}, HTTP_AUTHORIZATION=f"Bearer {exporter}")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "screening is available to licensing authority staff only"}
    empty = Client().get("/api/screening/screen", {"name": " "}, HTTP_AUTHORIZATION=f"Bearer {officer}")
    assert empty.status_code == 422
    assert empty.json()["errors"] == [{"pointer": "/name", "message": "name: must not be empty"}]


def test_a_country_profile_edit_by_a_licensing_officer_is_the_403_page_with_the_reason(
    personas: Personas,
) -> None:
    client = Client()
    client.login(username=personas.officer.username, password=PASSWORD)
    response = client.post("/legislation/countries/NO/", {})
    assert response.status_code == 403
    assert "Only policy officers record country risk assessments" in response.content.decode()
