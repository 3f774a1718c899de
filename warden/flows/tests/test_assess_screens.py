"""`warden assess` and POST /api/legislation/assess screen the parties against the current lists (as
shared/contracts says) and answer the same findings for the same document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cli import main
from warden.flows.tests.support import KOMID, TANGUN, import_un
from warden.legislation.tests.support import load_initial
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


def _cli(capsysbinary: pytest.CaptureFixture[bytes], path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["assess", str(path), *args]) == 0
    return json.loads(capsysbinary.readouterr().out)


def test_cli_and_api_give_the_same_findings_with_the_parties_screened(
    personas: Personas, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    load_initial()
    import_un(tmp_path, {"komid": "Pyongyang", "tangun": "Pyongyang"})
    doc = sample_application(parties=[KOMID, TANGUN])
    path = tmp_path / "app.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _, token = create_api_token(actor=personas.exporter, user=personas.exporter, name="t")
    r = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/legislation/assess?as_of=2026-03-01", data=json.dumps(doc), content_type="application/json"
    )
    assert r.status_code == 200, r.content
    api = r.json()
    cli = _cli(capsysbinary, path, "--as-of", "2026-03-01")
    assert cli == api  # the same document, byte for byte once parsed
    assert api["recommendation"] == "refuse"
    screened = {(s["party"], m["entry"]) for s in api["screening"] for m in s["matches"]}
    assert screened == {(0, "KPe.001"), (1, "KPe.004")}
    subjects = {f["subject"] for f in api["findings"] if f["rule"] == "screening.match"}
    assert subjects == {"parties[0]", "parties[1]"}
    assert api["reference_data"]["sanctions"].startswith("sha256:")


def test_a_clean_document_has_no_screening_findings_and_names_the_lists_it_was_screened_against(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    load_initial()
    import_un(tmp_path, {"komid": "Pyongyang"})
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(sample_application()), encoding="utf-8")
    out = _cli(capsysbinary, path, "--as-of", "2026-03-01")
    assert out["screening"] == [] and not any(f["rule"] == "screening.match" for f in out["findings"])
    assert "sanctions" in out["reference_data"]
