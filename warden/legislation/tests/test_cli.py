"""`warden assess`, `warden impact` and `warden reference` on the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from warden.cli import main
from warden.legislation.tests.support import application_to, load_embargo, load_initial, submit_to
from warden.lib import clock
from warden.testing import Personas


@pytest.fixture
def app_file(tmp_path: Path) -> Path:
    path = tmp_path / "app.json"
    path.write_text(json.dumps(application_to("LY", sector="commercial")))
    return path


def test_assess_prints_the_same_bytes_for_the_same_date(
    db: None, app_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["assess", str(app_file), "--as-of", "2026-03-01"]) == 0
    first = capsysbinary.readouterr().out
    assert main(["assess", str(app_file), "--as-of", "2026-03-01"]) == 0
    assert capsysbinary.readouterr().out == first
    doc = json.loads(first)
    assert doc["format"] == "warden.assessment/1" and doc["as_of"] == "2026-03-01"
    assert doc["recommendation"] == "refuse"


def test_assess_as_of_a_date_between_libyan_embargoes(
    db: None, app_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(app_file), "--as-of", "2008-01-01"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert not [f for f in doc["findings"] if f["rule"].startswith("embargo.") and f["outcome"] != "pass"]


def test_assess_text_format_is_a_readable_summary(
    db: None, app_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(app_file), "--as-of", "2026-03-01", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "REFUSE" in out and "UNSCR 1970" in out


def test_assess_refuses_an_invalid_application_with_exit_2(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "warden.application/1", "destination": "LY"}))
    assert main(["assess", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "/goods" in err and "/parties" in err
    assert main(["assess", str(app_file_missing := tmp_path / "none.json")]) == 2
    assert str(app_file_missing) in capsys.readouterr().err


def test_impact_since_a_revision_lists_the_affected_cases(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    before = load_initial()
    case = submit_to(personas, "BR")
    load_embargo("BR", clock.today() - dt.timedelta(days=1))
    assert main(["impact", "--since", str(before.number)]) == 0
    out = capsys.readouterr().out
    assert case.reference in out and "refuse" in out
    assert main(["impact", "--since", "99"]) == 2


def test_impact_what_if_from_a_file(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml
    from django.utils import timezone

    from warden.cases.models import Case, Status
    from warden.legislation.loader import normalise, read_bundle
    from warden.legislation.tests.support import bundle_with_embargo

    load_initial()
    case = submit_to(personas, "BR")
    Case.objects.filter(pk=case.pk).update(
        status=Status.FINALISED, decision="approved", finalised_at=timezone.now()
    )
    proposal = bundle_with_embargo(normalise(read_bundle()), "BR", dt.date(2000, 1, 1))
    path = tmp_path / "embargoes.yaml"
    path.write_text(yaml.safe_dump(proposal["embargoes"]))
    assert main(["impact", "--what-if", str(path), "--years", "2"]) == 0
    out = capsys.readouterr().out
    assert case.reference in out and "BR" in out


def test_reference_check_names_the_bad_record(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from warden.legislation.loader import DATA_DIR

    for f in DATA_DIR.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text())
    text = (tmp_path / "embargoes.yaml").read_text().replace("target: VE", "target: QQ")
    (tmp_path / "embargoes.yaml").write_text(text)
    assert main(["reference", "check", str(tmp_path)]) == 2
    assert "embargoes.yaml: record 'eu-ve': unknown country code 'QQ'" in capsys.readouterr().err


def test_assess_text_shows_the_licence_condition_a_finding_proposes(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no.json"
    doc = application_to("NO")
    doc["end_user_certificate"].pop("re_export", None)  # silent on re-export: a criterion-7 condition
    path.write_text(json.dumps(doc))
    assert main(["assess", str(path), "--as-of", "2026-03-01", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "proposed licence condition:" in out and "prior written authorisation" in out


def test_ratings_searches_the_list_in_force_as_the_api_does(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    load_initial()
    assert main(["ratings", "unmanned", "aerial"]) == 0
    text = capsys.readouterr().out
    assert text.index("ML10 ") < text.index("ML10.b") < text.index("9A012")
    assert "on: EU Common Military List; Wassenaar Arrangement Munitions List" in text
    assert "emerging technology: Unmanned aerial vehicles (ML10.b)" in text
    assert main(["ratings", "ML1", "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["query"] == "ML1" and [e["code"] for e in body["entries"]][:2] == ["ML1", "ML1.a"]
    assert not any(e["code"].startswith("ML10") for e in body["entries"])


def test_ratings_as_of_a_day_before_an_entry_was_added(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ratings", "3A501", "--as-of", "2025-11-14"]) == 0
    assert "No entry in force on 2025-11-14 matches '3A501'" in capsys.readouterr().out
    assert main(["ratings", "3A501", "--as-of", "2025-11-15", "--format", "json"]) == 0
    assert [e["code"] for e in json.loads(capsys.readouterr().out)["entries"]] == ["3A501"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["ratings", " "], "Type a rating number"),
        (["ratings", "x" * 101], "at most 100 are allowed"),
        (["ratings", "ML10\x07"], "control or unprintable"),
        (["ratings", "ML10", "--as-of", "yesterday"], "--as-of: expected YYYY-MM-DD"),
    ],
)
def test_ratings_refuses_bad_input_with_its_reason_and_exit_2(
    db: None, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert words in captured.err and "Traceback" not in captured.err
