"""`warden applications submit FILE.json`: exit 2 with field errors and nothing stored, or the reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warden.cases.models import Case
from warden.cli import main
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, doc: object) -> str:
    path = tmp_path / "application.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_it_submits_a_valid_file(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["applications", "submit", write(tmp_path, sample_application()), "--as", "alice"]) == 0
    case = Case.objects.get()
    assert case.status == "submitted" and case.created_by == personas.exporter
    assert case.reference in capsys.readouterr().out


def test_an_invalid_file_exits_2_naming_the_fields(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = "ML99"
    assert main(["applications", "submit", write(tmp_path, doc), "--as", "alice"]) == 2
    assert "/goods/0/rating" in capsys.readouterr().err
    assert Case.objects.count() == 0


def test_check_only_validates(personas: Personas, tmp_path: Path) -> None:
    assert main(["applications", "submit", write(tmp_path, sample_application()), "--check"]) == 0
    assert Case.objects.count() == 0


def test_it_needs_to_know_who_applies(
    personas: Personas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WARDEN_USER", raising=False)
    assert main(["applications", "submit", write(tmp_path, sample_application())]) == 2
    assert main(["applications", "submit", write(tmp_path, sample_application()), "--as", "nobody"]) == 2
    assert main(["applications", "submit", write(tmp_path, sample_application()), "--as", "olivia"]) == 1
    assert Case.objects.count() == 0
