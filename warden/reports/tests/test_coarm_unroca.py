"""COARM and UNROCA against totals worked out by hand on the fixture caseload (conftest.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from warden.lib.actors import system
from warden.reports import services
from warden.reports.tests.conftest import YEAR, Caseload

pytestmark = pytest.mark.django_db


def _json(kind: str) -> Any:
    return json.loads(services.generate(actor=system("test"), kind=kind, year=YEAR, fmt="json").content)


def test_coarm_rows_are_destination_ml_and_category_letter_with_hand_computed_values(
    caseload: Caseload,
) -> None:
    doc = _json("coarm")
    rows = [
        (r["destination_iso2"], r["ml"], r["category"], r["value"], r["embargo"])
        for r in doc["tables"]["exports"]["rows"]
    ]
    assert rows == [
        ("BY", "ML 10", "d", 1, 1),  # the refusal, under the EU embargo on Belarus
        ("BY", "ML 10", "e7", 1, 1),  # ...citing criterion 7
        ("FR", "ML 1", "a", 1, 0),
        ("FR", "ML 1", "b", "200000.00", 0),
        ("FR", "ML 1", "c", "80000.00", 0),  # the 40 rifles shipped
        ("FR", "ML 4", "a", 1, 0),
        ("FR", "ML 4", "b", "590550.00", 0),  # GBP 500,000 at 1.1811
        ("NO", "ML 10", "a", 1, 0),  # revoked later in the year: it was still issued
        ("NO", "ML 10", "b", "1250000.00", 0),
    ]
    first = doc["tables"]["exports"]["rows"][0]
    assert [c["key"] for c in doc["tables"]["exports"]["columns"]] == [
        "year", "embargo", "source_iso2", "source_name", "destination_iso2", "destination_name",
        "region_code", "region_name", "ml", "category", "value",
    ]  # fmt: skip
    assert first["region_name"] == "Other European countries" and first["source_iso2"] == "GB"


def test_coarm_matrix_carries_the_hook_columns_at_zero_and_brokering_apart(caseload: Caseload) -> None:
    doc = _json("coarm")
    matrix = {(r["destination_iso2"], r["ml"]): r for r in doc["tables"]["matrix"]["rows"]}
    assert matrix[("FR", "ML1")]["a_licences_issued"] == 1
    assert matrix[("BY", "ML10")]["d_denials"] == 1 and matrix[("BY", "ML10")]["e7"] == 1
    assert all(r["consultations_initiated_issue13"] == 0 for r in matrix.values())
    assert doc["tables"]["brokering"]["rows"] == []  # no brokering licence in the caseload
    assert doc["tables"]["consultations"]["rows"] == [
        {
            "year": YEAR,
            "member_state": "GB",
            "consultations_initiated_issue13": 0,
            "consultations_received_issue13": 0,
        }
    ]


def test_unroca_counts_shipped_items_and_files_a_nil_return_for_categories_one_to_seven(
    caseload: Caseload,
) -> None:
    doc = _json("unroca")
    # Only rifles were shipped: a small-arms background row, nothing in I-VII.
    assert doc["tables"]["exports"]["rows"] == []
    assert (
        doc["facts"]["nil_report_exports"]
        == f"Nil report: GB made no exports in categories I-VII in calendar year {YEAR}."
    )
    small = doc["tables"]["salw_small_arms"]["rows"]
    assert [(r["subcategory"], r["final_importer_state"], r["number_of_items"]) for r in small] == [
        ("SA-2 Rifles and carbines", "FR", 40)
    ]
    assert doc["tables"]["salw_light_weapons"]["rows"] == []
    assert "value" not in doc["tables"]["exports"]["columns"][0]


def test_unroca_reports_a_shipped_missile_in_category_seven(caseload: Caseload, personas: Any) -> None:
    from warden.licences import services as licences

    lic = caseload.france.licence
    line = lic.lines.get(goods_line__rating="ML4.a")
    licences.record_shipment(actor=personas.officer, licence=lic, line=line, quantity=3)
    doc = _json("unroca")
    rows = doc["tables"]["exports"]["rows"]
    assert [
        (r["category"], r["subcategory"], r["final_importer_state"], r["number_of_items"]) for r in rows
    ] == [("VII", "VII(a) Missiles and missile launchers", "FR", 3)]
    assert doc["facts"]["nil_report_exports"] is None
