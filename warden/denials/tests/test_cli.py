"""`warden denials import|export|list` through warden.cli.main: exit codes, files, messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from warden.audit.models import AuditEntry
from warden.cases.tests import factories as f
from warden.cli import main
from warden.denials import exchange
from warden.denials.models import Denial, FlagStatus, UndercutFlag
from warden.denials.tests.conftest import DATA, to_deccan
from warden.testing import Personas


def _import(*args: str) -> int:
    return main(["denials", "import", *args])


def test_import_stores_a_partners_notifications_and_says_what_changed(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import("--from", "FR", str(DATA / "fr-2026.json")) == 0
    assert "FR: 3 added, 0 updated (0 revoked), 0 unchanged" in capsys.readouterr().out
    d = Denial.objects.get(reference="FR-DN-2026-0147")
    assert (d.issuing_state, d.destination, d.ratings, d.end_user_name) == (
        "FR",
        "IN",
        ["ML10.d"],
        "Deccan Rotorcraft Overhaul Pvt Ltd",
    )
    entry = AuditEntry.objects.filter(action="denials.import").get()
    assert json.loads(entry.entry)["data"]["added"] == [
        "FR-DN-2026-0147",
        "FR-DN-2025-0311",
        "FR-DN-2022-0102",
    ]


def test_a_csv_file_is_read_with_several_goods_lines_in_one_row(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import("--from", "de", str(DATA / "de-2026.csv")) == 0
    d = Denial.objects.get(reference="DE-AUS-2026-0042")
    assert d.goods == [
        {"rating": "ML5.a", "description": "Fire control radar"},
        {"rating": "ML11.a", "description": "Radar data link terminals"},
    ]
    assert d.criteria == ["EU-CP:7", "EU-CP:4"] and d.consignee_country == "AE"


@pytest.mark.parametrize(
    ("state", "name", "message"),
    [
        (
            "FR",
            "fr-bad-rating.json",
            "/denials/1/goods/0/rating (notification FR-DN-2025-0311): 'M4a' is not in the expected form",
        ),
        ("DE", "de-bad-date.csv", "line 3, date: '2026-13-01' is not a calendar date"),
        ("DE", "de-missing-column.csv", "line 1: missing column(s) goods_description"),
        ("DE", "fr-2026.json", "/issuing_state: FR but the file was imported as from DE"),
        ("XX", "fr-2026.json", "--from: 'XX' is not an ISO 3166-1 country code"),
    ],
)
def test_a_bad_file_exits_2_naming_the_record_and_field_and_imports_nothing(
    db: None, capsys: pytest.CaptureFixture[str], state: str, name: str, message: str
) -> None:
    assert _import("--from", state, str(DATA / name)) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert message in err and "nothing imported" in err
    assert not Denial.objects.exists() and not AuditEntry.objects.filter(action="denials.import").exists()


def test_a_missing_file_exits_2(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert _import("--from", "FR", "/nonexistent/fr.json") == 2
    assert "no such file" in capsys.readouterr().err


def test_a_revised_file_updates_and_a_revocation_clears_the_flag(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import("--from", "FR", str(DATA / "fr-2026.json")) == 0
    case = f.submitted(personas, **to_deccan())
    assert UndercutFlag.objects.get(case=case).status == FlagStatus.OPEN
    capsys.readouterr()
    assert _import("--from", "FR", str(DATA / "fr-2026-revised.json")) == 0
    out = capsys.readouterr().out
    assert "FR: 0 added, 1 updated (1 revoked), 2 unchanged" in out and f"cleared: {case.reference}" in out
    flag = UndercutFlag.objects.get(case=case)
    assert flag.status == FlagStatus.CLEARED and "revoked by FR" in flag.cleared_reason
    assert Denial.objects.get(reference="FR-DN-2026-0147").revoked


def test_export_writes_our_refusals_as_valid_denial_documents(
    personas: Personas, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    refused = f.finalised(personas, decision="refused")
    f.finalised(personas, decision="approved")
    assert main(["denials", "export", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    Draft202012Validator(exchange.schema()).validate(doc)
    assert [d["reference"] for d in doc["denials"]] == [refused.reference]
    d = doc["denials"][0]
    assert (d["issuing_state"], d["destination"], d["criteria"], d["revoked"]) == (
        "GB",
        "BY",
        ["EU-CP:7"],
        False,
    )
    assert (
        d["goods"][0]["rating"] == "ML10.d" and d["end_user"]["name"] == "Norwegian Defence Materiel Agency"
    )

    out = tmp_path / "ours.csv"
    assert main(["denials", "export", "--format", "csv", "--output", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["reference"], r["destination"], r["revoked"]) for r in rows] == [
        (refused.reference, "BY", "no")
    ]
    # What we write, a partner can read back (the same format both ways).
    assert exchange.parse(out.read_bytes(), "csv", issuing_state="GB", today=refused.finalised_at.date())


def test_export_since_a_date_after_every_refusal_is_empty(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    f.finalised(personas, decision="refused")
    assert main(["denials", "export", "--since", "2026-12-02"]) == 0
    assert json.loads(capsys.readouterr().out)["denials"] == []
    with pytest.raises(SystemExit) as exc:  # argparse's own usage error
        main(["denials", "export", "--since", "yesterday"])
    assert exc.value.code == 2 and "'yesterday' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_list_shows_ours_and_partners_with_their_state(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    f.finalised(personas, decision="refused")
    assert _import("--from", "FR", str(DATA / "fr-2026.json")) == 0
    capsys.readouterr()
    assert main(["denials", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["source"], r["notification"]["reference"], r["state"]) for r in rows] == [
        ("ours", rows[0]["notification"]["reference"], "in force"),
        ("partner", "FR-DN-2026-0147", "in force"),
        ("partner", "FR-DN-2025-0311", "in force"),
        ("partner", "FR-DN-2022-0102", "expired"),
    ]


def test_list_as_a_table_names_each_denial_and_its_state(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import("--from", "FR", str(DATA / "fr-2026-revised.json")) == 0
    capsys.readouterr()
    assert main(["denials", "list"]) == 0
    out = capsys.readouterr().out
    assert "3 denial notification(s) held" in out
    assert "FR-DN-2026-0147" in out and "(revoked)" in out and "(expired)" in out
