"""The national annual report: hand-computed totals, the prose that states them, charts, and the PDF's text."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from warden.lib.actors import system
from warden.reports import services
from warden.reports.tests.conftest import YEAR, Caseload

pytestmark = pytest.mark.django_db


def _json() -> Any:
    return json.loads(services.generate(actor=system("test"), kind="national", year=YEAR, fmt="json").content)


def test_national_tables_hold_the_hand_computed_totals(caseload: Caseload) -> None:
    doc = _json()
    t = doc["tables"]
    regions = {r["region"]: r for r in t["by_region"]["rows"]}
    assert regions["European Union Member States"] == {
        "region": "European Union Member States", "licences": 1, "value_eur": "790550.00",
        "actual_exports_eur": "80000.00", "refusals": 0,
    }  # fmt: skip
    assert regions["Other European countries"]["licences"] == 1  # Norway; Belarus is a refusal
    assert regions["Other European countries"]["refusals"] == 1
    assert [(r["ml"], r["licences"]) for r in t["by_category"]["rows"]] == [
        ("ML1", 1),
        ("ML4", 1),
        ("ML10", 1),
    ]
    assert t["by_type"]["rows"] == [
        {"licence_type": "Individual", "licences": 2, "value_eur": "2040550.00", "refusals": 1}
    ]
    assert t["refusals_by_criterion"]["rows"] == [
        {"criterion": "EU-CP:7", "label": "Risk of diversion or re-export", "times_cited": 1}
    ]
    proc = t["processing"]["rows"][0]
    assert (proc["decisions"], proc["refused"], proc["refused_pct"], proc["sla_working_days"]) == (
        3,
        1,
        "33.3",
        20,
    )
    assert proc["on_time"] == 3  # all decided on the day they were submitted (frozen clock)
    assert t["suspensions_revocations"]["rows"] == [
        {"destination": "NO", "destination_name": "Norway", "suspensions": 0, "revocations": 1}
    ]
    assert doc["facts"] == {"licences": 2, "value_eur": "2040550.00", "refusals": 1, "decisions": 3}


def test_national_prose_states_the_figures(caseload: Caseload) -> None:
    summary = dict((s["heading"], s["paragraphs"]) for s in _json()["prose"])
    assert summary["Summary"][0] == (
        f"In {YEAR} the Export Control Authority issued 2 licences for goods worth EUR 2,040,550.00 in total "
        "and refused 1 application."
    )
    assert "0 revoked" not in summary["Summary"][2] and "1 revoked" in summary["Summary"][2]
    assert summary["Refusals"] == [
        "The criterion cited most often was EU-CP:7 (Risk of diversion or re-export), 1 time."
    ]


def test_national_html_has_svg_charts_and_the_pdf_text_reads_the_same(caseload: Caseload) -> None:
    from pypdf import PdfReader

    html = services.generate(actor=system("test"), kind="national", year=YEAR, fmt="html").content.decode()
    assert html.count("<svg") == 3 and 'aria-label="Licences issued by region"' in html
    pdf = services.generate(actor=system("test"), kind="national", year=YEAR, fmt="pdf").content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert f"Strategic export controls: annual report {YEAR}" in text
    assert "issued 2 licences for goods worth EUR 2,040,550.00" in text
    assert "Refusals by criterion cited" in text and "Risk of diversion or re-export" in text
    assert "Merkle root" in text


def test_att_pdf_shows_the_title_page_and_the_exports_table(caseload: Caseload) -> None:
    from pypdf import PdfReader

    pdf = services.generate(actor=system("test"), kind="att", year=YEAR, fmt="pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Arms Trade Treaty annual report {YEAR}: GB" in text
    assert "Table 1: Exports" in text and "590550.00" in text
    assert "withheld_national_security" in text


def test_a_licence_with_two_lines_of_one_category_counts_once_in_coarm_and_the_national_tables(
    caseload: Caseload, personas: Any
) -> None:
    from warden.cases.tests import factories
    from warden.reports.tests.conftest import FRANCE_PARTIES

    goods = [
        {"description": "Pistol 9 mm", "rating": "ML1.a", "quantity": 5, "value": {"amount": 1000, "currency": "EUR"}},
        {"description": "Carbine 5.56 mm", "rating": "ML1.a", "quantity": 7, "value": {"amount": 3000, "currency": "EUR"}},
        {"description": "Shotgun", "rating": "ML1.b", "quantity": 2, "value": {"amount": 500, "currency": "EUR"}},
    ]  # fmt: skip
    factories.licensed(personas, destination="DE", goods=goods, parties=FRANCE_PARTIES)
    t = _json()["tables"]
    assert {r["ml"]: r["licences"] for r in t["by_category"]["rows"]}["ML1"] == 2  # France's and this one
    assert t["by_type"]["rows"][0]["licences"] == 3  # three licences, six lines
    regions = {r["region"]: r["licences"] for r in t["by_region"]["rows"]}
    assert regions["European Union Member States"] == 2
    coarm = json.loads(services.generate(actor=system("test"), kind="coarm", year=YEAR, fmt="json").content)
    de = {r["ml"]: r for r in coarm["tables"]["matrix"]["rows"] if r["destination_iso2"] == "DE"}
    assert de["ML1"]["a_licences_issued"] == 1 and de["ML1"]["b_value_licences_eur"] == "4500.00"
