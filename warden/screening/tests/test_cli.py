"""The screening commands: lists import, screen (warden.screening/1), screen-batch, score-pairs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from warden.cli import main
from warden.screening.models import ListVersion

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def un_list(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lists", "import", "--format", "un-xml", str(FIXTURES / "un.xml")]) == 0
    assert "un-sc v1: 2 entries (2 added, 0 changed, 0 removed)" in capsys.readouterr().out


def test_import_of_a_broken_file_exits_2_naming_the_line(
    un_list: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lists", "import", "--format", "un-xml", str(FIXTURES / "un_broken.xml")]) == 2
    err = capsys.readouterr().err
    assert "line 14" in err and "nothing imported" in err
    assert ListVersion.objects.count() == 1


def test_screen_prints_a_screening_document(un_list: None, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["screen", "--name", "Komid", "--type", "organisation", "--country", "kp", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1  # a match was found
    assert doc["format"] == "warden.screening/1" and doc["query"] == {
        "name": "Komid",
        "type": "organisation",
        "country": "KP",
    }
    assert [(m["list"], m["entry"], m["matched_name"]) for m in doc["matches"]] == [
        ("un-sc", "KPe.001", "KOMID")
    ]
    assert set(doc["matches"][0]["features"]) >= {"name", "country", "date_of_birth"}
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "screening-1.json").read_text())
    Draft202012Validator(schema).validate(doc)


def test_screen_without_a_match_exits_0(un_list: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["screen", "--name", "Kjeller Aero Services AS", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["matches"] == []


def test_screen_batch_writes_one_row_per_party(un_list: None, tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(
        "name,type,country,date_of_birth\nSalek Abdulhai,person,AF,1965\nNorbert Nobody,person,,\n"
    )
    assert main(["screen-batch", str(src), str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert [(r["name"], r["matches"], r["entry"]) for r in rows] == [
        ("Salek Abdulhai", "1", "TAi.001"),
        ("Norbert Nobody", "0", ""),
    ]


def test_score_pairs_adds_a_score_column(db: None, tmp_path: Path) -> None:
    src, out = tmp_path / "pairs.csv", tmp_path / "scored.csv"
    src.write_text(
        "name1,name2,schema\nSiemens AG,Siemens Aktiengesellschaft,Company\nGeorge Bush,George Habbash,Person\n"
    )
    assert main(["screening", "score-pairs", str(src), str(out)]) == 0
    scores = [float(r["score"]) for r in csv.DictReader(out.open())]
    assert scores[0] == 1.0 and scores[1] < 0.7


def test_score_pairs_rejects_a_file_without_the_columns(db: None, tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("a,b\nx,y\n")
    assert main(["screening", "score-pairs", str(src), str(tmp_path / "o.csv")]) == 2
