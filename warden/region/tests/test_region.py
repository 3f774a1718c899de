"""The region view through its real paths: importing SIPRI files (service, UI, API, CLI), the view and its
CSV, a case's panel, and who may see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warden.audit.models import AuditEntry
from warden.cases.tests import factories as f
from warden.cli import main
from warden.lib.actors import system
from warden.lib.errors import NotPermitted
from warden.region import services, sipri
from warden.region.models import Transfer, TransferFile
from warden.testing import Personas

DATA = Path(__file__).parent / "data"
REGISTER = DATA / "sipri_register_2000_2001_excerpt.csv"
LEGACY = DATA / "sipri_legacy_afghanistan_excerpt.csv"


def _import(path: Path = REGISTER) -> services.ImportResult:
    return services.import_register(actor=system("tests"), data=path.read_bytes(), filename=path.name)


def test_an_import_stores_every_row_and_audits_the_file(db: None) -> None:
    result = _import()
    assert result.rows == Transfer.objects.count() == 12
    entry = json.loads(AuditEntry.objects.get(action="region.sipri_import").entry)
    assert entry["data"]["rows"] == 12 and entry["data"]["data_generated"] == "10 Feb 2025 10:52:58 AM"


def test_the_same_file_twice_is_refused_and_changes_nothing(db: None) -> None:
    _import()
    with pytest.raises(Exception, match="imported already"):
        _import()
    assert Transfer.objects.count() == 12 and TransferFile.objects.count() == 1


def test_a_newer_file_replaces_the_same_deals_and_years_instead_of_counting_them_twice(db: None) -> None:
    _import()
    text = REGISTER.read_text(encoding="utf-8").replace("Data generated: 10 Feb", "Data generated: 11 Feb")
    result = services.import_register(actor=system("tests"), data=text.encode(), filename="newer.csv")
    assert result.replaced == 12 and Transfer.objects.count() == 12


def test_a_bad_file_stores_nothing(db: None) -> None:
    bad = (
        REGISTER.read_text(encoding="utf-8")
        + "99999,China,Algeria,X,x,Missiles,1999,Yes,1,Yes,20001,Yes,New,1,1,1,No\n"
    )
    with pytest.raises(sipri.SipriFormatError, match="Delivery year"):
        services.import_register(actor=system("tests"), data=bad.encode(), filename="bad.csv")
    assert not Transfer.objects.exists() and not TransferFile.objects.exists()
    assert not AuditEntry.objects.filter(action="region.sipri_import").exists()


def test_only_the_policy_officer_imports(personas: Personas) -> None:
    with pytest.raises(NotPermitted):
        services.import_register(actor=personas.officer, data=REGISTER.read_bytes(), filename="x.csv")
    assert (
        services.import_register(actor=personas.policy, data=REGISTER.read_bytes(), filename="x.csv").rows
        == 12
    )


def test_the_view_shows_recipients_tensions_and_the_sipri_citation(personas: Personas) -> None:
    _import()
    page = f.client_for(personas.officer).get("/region/?region=north-africa&from=2000&to=2001")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="recipient-DZ"' in html and "Source: SIPRI Arms Transfers Database" in html
    assert "10 Feb 2025" in html


def test_the_view_downloads_as_csv_with_numbers_as_numbers(personas: Personas) -> None:
    _import()
    resp = f.client_for(personas.oversight).get("/region/?region=north-africa&from=2000&to=2001&format=csv")
    assert resp["Content-Type"].startswith("text/csv")
    rows = resp.content.decode().splitlines()
    assert rows[0].startswith("region,recipient,first_year")
    dz = next(r for r in rows if ",DZ," in r).split(",")
    assert float(dz[6]) > 0  # TIV total


@pytest.mark.parametrize("query", ["region=atlantis", "from=19", "from=2001&to=2000", "from=1950&to=2020"])
def test_a_bad_filter_is_named_and_answers_400(personas: Personas, query: str) -> None:
    resp = f.client_for(personas.officer).get(f"/region/?{query}")
    assert resp.status_code == 400 and b'data-testid="region-error"' in resp.content


def test_exporters_never_see_the_region_view(personas: Personas) -> None:
    assert f.client_for(personas.exporter).get("/region/").status_code == 404
    assert f.api_for(personas.exporter).get("/api/region/").status_code == 403


def test_the_ui_import_form_reports_a_bad_file_and_keeps_nothing(personas: Personas) -> None:
    client = f.client_for(personas.policy)
    with (DATA / "SOURCE.md").open("rb") as fh:
        resp = client.post("/region/import/", {"file": fh}, follow=True)
    assert b"not a SIPRI trade register" in resp.content and not Transfer.objects.exists()
    with REGISTER.open("rb") as fh:
        resp = client.post("/region/import/", {"file": fh}, follow=True)
    assert b"12 transfer row(s) imported" in resp.content


def test_the_api_imports_and_answers_422_for_a_bad_row(personas: Personas) -> None:
    api = f.api_for(personas.policy)
    bad = api.post(
        "/api/region/sipri?filename=b.csv", data=b"SIPRI AT Database ID,x\n", content_type="text/csv"
    )
    assert bad.status_code == 422 and "header" in bad.json()["detail"]
    ok = api.post("/api/region/sipri?filename=r.csv", data=REGISTER.read_bytes(), content_type="text/csv")
    assert ok.status_code == 200 and ok.json()["rows"] == 12
    view = api.get("/api/region/?region=north-africa&from=2000&to=2001").json()
    assert [r["code"] for r in view["recipients"]] == ["DZ"]


def test_the_cli_imports_shows_and_refuses_bad_input(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["region", "import", str(LEGACY)]) == 0
    assert "legacy format" in capsys.readouterr().out
    assert main(["region", "show", "south-asia", "--from", "1988", "--to", "1991", "--format", "json"]) == 0
    view = json.loads(capsys.readouterr().out)
    af = next(r for r in view["recipients"] if r["code"] == "AF")
    assert af["sipri"]["largest_supplier"] == "Soviet Union"
    assert main(["region", "show", "nowhere"]) == 2
    assert main(["region", "import", str(DATA / "SOURCE.md")]) == 2
    assert "nothing imported" in capsys.readouterr().err


def test_a_case_panel_shows_what_the_export_adds_and_the_neighbours(personas: Personas) -> None:
    _import()
    case = f.submitted(personas, destination="DZ")
    resp = f.client_for(personas.officer).get(f"/region/case/{case.pk}/", HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and b'data-testid="region-panel"' in resp.content
    api = f.api_for(personas.officer).get(f"/api/region/case/{case.pk}").json()
    assert api["destination"] == "DZ" and {n["code"] for n in api["neighbours"]} >= {"MA", "TN", "LY"}
    assert api["goods"][0]["sipri_categories"] == ["Aircraft", "Engines"]
    assert f.client_for(personas.exporter).get(f"/region/case/{case.pk}/").status_code == 404
    assert f.client_for(personas.officer).get(f"/region/case/{2**63}/").status_code == 404
