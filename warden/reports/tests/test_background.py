"""UNROCA background forms (holdings, national production) and the officer's per-line category: recorded
through warden.reports.records (policy, audit, all-or-nothing imports) and carried by the reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from warden.audit.models import AuditEntry
from warden.cli import main
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, NotPermitted
from warden.reports import records, services
from warden.reports.models import LineCategory, UnrocaBackground
from warden.reports.tests.conftest import YEAR, Caseload
from warden.testing import Personas

pytestmark = pytest.mark.django_db

CSV = (
    "form,year,category,number_of_items,description,comments\n"
    f"holdings,{YEAR},I,227,Main battle tanks,in service at 31 December\n"
    f"holdings,{YEAR},IV,1400,Combat aircraft,\n"
    f"production,{YEAR},II,36,Armoured infantry fighting vehicles,delivered to the army\n"
)


def _json(kind: str) -> Any:
    return json.loads(services.generate(actor=system("test"), kind=kind, year=YEAR, fmt="json").content)


def test_unroca_files_nil_background_forms_when_none_is_recorded(caseload: Caseload) -> None:
    doc = _json("unroca")
    assert doc["tables"]["holdings"]["rows"] == [] and doc["tables"]["production"]["rows"] == []
    assert doc["facts"]["military_holdings"] == "nil"
    assert doc["facts"]["procurement_through_national_production"] == "nil"


def test_imported_holdings_appear_in_the_unroca_json_and_csv_notes(
    caseload: Caseload, personas: Personas
) -> None:
    result = records.import_background(actor=personas.policy, data=CSV.encode(), filename="mod.csv")
    assert result.summary() == "3 added, 0 updated, 0 unchanged"
    doc = _json("unroca")
    assert [(r["category"], r["number_of_items"]) for r in doc["tables"]["holdings"]["rows"]] == [
        ("I", 227),
        ("IV", 1400),
    ]
    assert (
        doc["tables"]["production"]["rows"][0]["description_of_items"]
        == "Armoured infantry fighting vehicles"
    )
    assert doc["facts"]["military_holdings"] == "recorded"
    csv = services.generate(actor=system("test"), kind="unroca", year=YEAR, fmt="csv").content.decode()
    assert "# Background information: military holdings: I 227, IV 1,400." in csv
    entry = AuditEntry.objects.filter(action="reports.unroca_background.import").get()
    assert json.loads(entry.entry)["data"]["added"] == [
        f"holdings {YEAR} I",
        f"holdings {YEAR} IV",
        f"production {YEAR} II",
    ]


def test_reimporting_updates_only_what_changed_and_a_bad_line_changes_nothing(personas: Personas) -> None:
    records.import_background(actor=personas.policy, data=CSV.encode())
    again = CSV.replace(",227,", ",230,")
    assert records.import_background(actor=personas.policy, data=again.encode()).summary() == (
        "0 added, 1 updated, 2 unchanged"
    )
    bad = again.replace(",1400,", ",1500,") + f"holdings,{YEAR},VIII,5,SALW,\n"
    with pytest.raises(InvalidInput, match="line 5: category 'VIII'"):
        records.import_background(actor=personas.policy, data=bad.encode())
    assert UnrocaBackground.objects.get(form="holdings", category="IV").number_of_items == 1400


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"stock,{YEAR},I,1,,", "form 'stock'"),
        ("holdings,19x,I,1,,", "year '19x' is not a year"),
        (f"holdings,{YEAR},I,-3,,", "number_of_items -3 is out of range"),
        (f"holdings,{YEAR},I,many,,", "'many' is not a whole number"),
    ],
)
def test_background_rows_are_refused_naming_the_line_and_field(
    personas: Personas, line: str, message: str
) -> None:
    data = ("form,year,category,number_of_items,description,comments\n" + line + "\n").encode()
    with pytest.raises(InvalidInput, match=message):
        records.import_background(actor=personas.policy, data=data)
    assert not UnrocaBackground.objects.exists()


def test_only_policy_and_senior_officers_record_the_background_forms(personas: Personas) -> None:
    row = records.parse_row({"form": "holdings", "year": YEAR, "category": "VI", "number_of_items": "19"})
    with pytest.raises(NotPermitted):
        records.record_background(actor=personas.officer, row=row)
    assert records.record_background(actor=personas.senior, row=row) == "added"
    assert records.record_background(actor=personas.senior, row=row) == "unchanged"
    assert AuditEntry.objects.filter(action="reports.unroca_background.record").count() == 1


def test_cli_imports_the_background_csv_and_refuses_a_bad_file_with_exit_2(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "mod.csv"
    good.write_text(CSV)
    assert main(["unroca-background", "import", str(good), "--as", personas.policy.username]) == 0
    assert "3 added" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("form,year\nholdings,2026\n")
    assert main(["unroca-background", "import", str(bad)]) == 2
    assert "header lacks category, number_of_items" in capsys.readouterr().err
    assert main(["unroca-background", "import", str(good), "--as", personas.officer.username]) == 3
    assert main(["unroca-background", "show", "--year", str(YEAR)]) == 0
    assert "I\t227" in capsys.readouterr().out


def test_an_officers_line_category_moves_the_line_and_the_comments_say_so(
    caseload: Caseload, personas: Personas
) -> None:
    line = caseload.france.goods.get(rating="ML1.a")
    before = {
        r["subcategory"]: r for r in _json("att")["tables"]["exports"]["rows"] if r["category"] == "VIII"
    }
    assert (
        "100 item(s) of ML1.a counted here by the rating's default"
        in (before["SA-2 Rifles and carbines"]["comments_on_transfer"])
    )
    records.set_line_category(actor=personas.officer, line=line, code="SA-4", reason="HK416 assault rifle")
    rows = [r for r in _json("att")["tables"]["exports"]["rows"] if r["category"] == "VIII"]
    assert [(r["subcategory"], r["basis"], r["number_of_items"]) for r in rows] == [
        ("SA-4 Assault rifles", "actual", 40),
        ("SA-4 Assault rifles", "authorised", 100),
    ]
    assert "100 item(s) in this row by the officer's category for the line" in rows[1]["comments_on_transfer"]
    unroca = _json("unroca")["tables"]["salw_small_arms"]["rows"]
    assert [(r["subcategory"], r["number_of_items"]) for r in unroca] == [("SA-4 Assault rifles", 40)]
    entry = AuditEntry.objects.filter(action="reports.line_category").get()
    assert json.loads(entry.entry)["data"]["to"] == "SA-4" and entry.case_id == caseload.france.pk


def test_a_line_set_to_none_leaves_the_att_tables_but_stays_in_coarm(
    caseload: Caseload, personas: Personas
) -> None:
    line = caseload.france.goods.get(rating="ML4.a")
    records.set_line_category(actor=personas.officer, line=line, code="none", reason="practice bombs")
    att = _json("att")["tables"]["exports"]["rows"]
    assert [r["category"] for r in att] == ["VIII", "VIII"]
    coarm = {(r["ml"], r["category"]) for r in _json("coarm")["tables"]["exports"]["rows"]}
    assert ("ML 4", "a") in coarm


def test_a_line_category_must_be_one_of_the_ratings_rows_and_an_officers_act(
    caseload: Caseload, personas: Personas
) -> None:
    rifles = caseload.france.goods.get(rating="ML1.a")
    with pytest.raises(InvalidInput, match="'I' is not one of ML1.a's rows"):
        records.set_line_category(actor=personas.officer, line=rifles, code="I", reason="tank")
    with pytest.raises(InvalidInput, match="say why"):
        records.set_line_category(actor=personas.officer, line=rifles, code="SA-4", reason=" ")
    with pytest.raises(NotPermitted):
        records.set_line_category(actor=system("test"), line=rifles, code="SA-4", reason="x")
    with pytest.raises(NotPermitted):
        records.set_line_category(actor=personas.exporter, line=rifles, code="SA-4", reason="x")
    blades = caseload.norway.goods.get()
    with pytest.raises(InvalidInput, match="decides its report row by itself"):
        records.set_line_category(actor=personas.officer, line=blades, code="none", reason="parts")
    assert not LineCategory.objects.exists()


def test_cli_sets_a_line_category_and_exits_5_for_an_unknown_line(
    caseload: Caseload, personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = caseload.france.reference
    line_no = caseload.france.goods.get(rating="ML1.a").line_no
    args = ["report-category", "set", ref, str(line_no), "SA-4", "--reason", "assault rifle"]
    assert main([*args, "--as", personas.officer.username]) == 0
    assert LineCategory.objects.get().code == "SA-4"
    assert (
        main(["report-category", "set", ref, "9", "SA-4", "--reason", "x", "--as", personas.officer.username])
        == 5
    )
    assert main(args) == 2  # nobody named
    assert "--as" in capsys.readouterr().err


def test_background_page_records_a_row_for_the_policy_officer_and_refuses_a_bad_one(
    personas: Personas,
) -> None:
    from django.test import Client

    from warden.testing import PASSWORD

    c = Client()
    assert c.login(username=personas.policy.username, password=PASSWORD)
    row = {
        "form": "holdings",
        "year": str(YEAR),
        "category": "III",
        "number_of_items": "88",
        "description": "Howitzers",
    }
    r = c.post("/reports/background", row)
    assert r.status_code == 200 and "category III: added" in r.content.decode()
    assert UnrocaBackground.objects.get().number_of_items == 88
    bad = c.post("/reports/background", {**row, "number_of_items": "lots"})
    assert (
        bad.status_code == 400
        and "Number_of_items &#x27;lots&#x27; is not a whole number" in bad.content.decode()
    )
    assert UnrocaBackground.objects.get().number_of_items == 88
    page = c.get("/reports/background", {"year": str(YEAR)}).content.decode()
    assert "Howitzers" in page and "Nil." in page  # holdings recorded, production nil
    officer = Client()
    assert officer.login(username=personas.officer.username, password=PASSWORD)
    assert 'data-testid="background-form"' not in officer.get("/reports/background").content.decode()
    assert officer.post("/reports/background", row).status_code == 403
    exporter = Client()
    assert exporter.login(username=personas.exporter.username, password=PASSWORD)
    assert exporter.get("/reports/background").status_code == 403
