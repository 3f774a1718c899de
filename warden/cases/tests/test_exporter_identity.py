"""The exporter is the account's organisation: the exporter party (name, country, registration number) comes
from the applicant's organisation, never from the document; a document naming another exporter is refused,
saying so, through the service, the JSON upload, the API (422) and the CLI (exit 2). Screening screens the
real organisation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases import services
from warden.cases.models import Case, PartyRole
from warden.cli import main
from warden.flows import submission
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


def _other_exporter(**fields: str) -> dict[str, Any]:
    exporter = {"name": "Northbridge Defence Ltd", "country": "GB", "registration_number": "GB123", **fields}
    return sample_application(exporter=exporter)


def test_the_exporter_party_is_the_applicants_organisation(personas: Personas) -> None:
    org = personas.org_a
    org.address = "1 Quay Street, Bristol"
    org.save()
    doc = sample_application(exporter={"name": " northbridge  defence LTD ", "country": "GB"})
    case = submission.create_application(actor=personas.exporter, document=doc)
    party = case.parties.get(role=PartyRole.EXPORTER)
    assert (party.name, party.country, party.address) == (
        "Northbridge Defence Ltd",
        "GB",
        "1 Quay Street, Bristol",
    )
    assert party.identifiers == [{"type": "registration_number", "number": "GB123"}]
    assert case.document["exporter"] == {
        "name": "Northbridge Defence Ltd",
        "country": "GB",
        "registration_number": "GB123",
        "address": "1 Quay Street, Bristol",
    }


@pytest.mark.parametrize(
    ("fields", "pointer", "says"),
    [
        (
            {"name": "Gazprom Bank"},
            "/exporter/name",
            "its name is 'Northbridge Defence Ltd', not 'Gazprom Bank'",
        ),
        ({"country": "RU"}, "/exporter/country", "its country is 'GB', not 'RU'"),
        ({"registration_number": "RU999"}, "/exporter/registration_number", "is 'GB123', not 'RU999'"),
    ],
)
def test_a_document_naming_another_exporter_is_refused(
    personas: Personas, fields: dict[str, str], pointer: str, says: str
) -> None:
    with pytest.raises(services.InvalidDocument) as exc:
        submission.submit_application(actor=personas.exporter, document=_other_exporter(**fields))
    assert [e.pointer for e in exc.value.errors] == [pointer]
    assert "the exporter must be your organisation, Northbridge Defence Ltd" in exc.value.errors[0].message
    assert says in exc.value.errors[0].message
    assert Case.objects.count() == 0


def test_a_draft_cannot_be_edited_into_another_exporter(personas: Personas) -> None:
    case = submission.create_application(actor=personas.exporter, document=sample_application())
    with pytest.raises(services.InvalidDocument, match="/exporter/name"):
        submission.update_draft(
            actor=personas.exporter, case=case, document=_other_exporter(name="Other Ltd")
        )
    assert Case.objects.get(pk=case.pk).document["exporter"]["name"] == "Northbridge Defence Ltd"


def test_the_api_answers_422_naming_the_exporter_field(personas: Personas) -> None:
    _, token = create_api_token(actor=personas.exporter, user=personas.exporter, name="t")
    r = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/applications/",
        data=json.dumps(_other_exporter(name="Gazprom Bank")),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"] == "/exporter/name"
    assert "must be your organisation" in r.json()["errors"][0]["message"]
    assert Case.objects.count() == 0


def test_the_cli_exits_2_naming_the_exporter_field(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "app.json"
    path.write_text(json.dumps(_other_exporter(name="Gazprom Bank")))
    assert main(["applications", "submit", str(path), "--as", personas.exporter.username]) == 2
    err = capsys.readouterr().err
    assert "/exporter/name" in err and "must be your organisation" in err
    assert Case.objects.count() == 0


def test_the_json_upload_says_which_exporter_is_wrong(personas: Personas) -> None:
    c = Client()
    c.force_login(personas.exporter)
    upload = SimpleUploadedFile("app.json", json.dumps(_other_exporter(name="Gazprom Bank")).encode())
    r = c.post("/cases/new/upload/", {"document": upload})
    assert r.status_code == 422
    assert "/exporter/name" in r.content.decode() and "must be your organisation" in r.content.decode()
    assert Case.objects.count() == 0


def test_a_form_made_draft_names_the_signed_in_organisation(personas: Personas) -> None:
    from warden.cases.tests.test_web_case_pages import FORM

    c = Client()
    c.force_login(personas.exporter_b)
    assert c.post("/cases/new/", FORM).status_code == 302
    case = Case.objects.get()
    assert case.document["exporter"]["name"] == "Southgate Arms plc"
    assert case.parties.get(role=PartyRole.EXPORTER).name == "Southgate Arms plc"
