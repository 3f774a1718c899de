"""CSV and XLSX open with typed columns: numbers are numbers and dates are dates in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from warden.lib.actors import system
from warden.reports import services
from warden.reports.tests.conftest import YEAR, Caseload

pytestmark = pytest.mark.django_db


def _out(kind: str, fmt: str) -> bytes:
    return services.generate(actor=system("test"), kind=kind, year=YEAR, fmt=fmt).content


def test_coarm_csv_is_semicolon_separated_after_its_provenance_lines(caseload: Caseload) -> None:
    text = _out("coarm", "csv").decode()
    lines = text.splitlines()
    assert lines[0].startswith("# EU annual report on arms exports (COARM)")
    assert lines[1].startswith("# Computed from audit log size ")
    body = [ln for ln in lines if not ln.startswith("#")]
    rows = list(csv.reader(body, delimiter=";"))
    assert rows[0][:3] == ["year", "embargo", "source_iso2"]
    fr_b = next(r for r in rows[1:] if r[4] == "FR" and r[9] == "b" and r[8] == "ML 4")
    assert float(fr_b[10]) == 590550.0 and int(fr_b[0]) == YEAR  # plain numbers: no separators, no currency


def test_xlsx_cells_are_typed(caseload: Caseload) -> None:
    wb = load_workbook(io.BytesIO(_out("coarm", "xlsx")))
    assert wb.sheetnames == ["exports", "matrix", "brokering", "consultations", "about"]
    ws = wb["matrix"]
    header = [c.value for c in ws[1]]
    fr = next(row for row in ws.iter_rows(min_row=2) if row[1].value == "FR" and row[4].value == "ML4")
    by = dict(zip(header, fr, strict=True))
    assert by["Year"].data_type == "n" and by["Year"].value == YEAR
    assert by["a) Licences issued"].value == 1 and isinstance(by["a) Licences issued"].value, int)
    assert by["b) Value of licences issued (EUR)"].data_type == "n"
    assert by["b) Value of licences issued (EUR)"].value == pytest.approx(590550.0)
    assert wb["about"]["A2"].value == "Provenance"


def test_xlsx_dates_are_dates(caseload: Caseload) -> None:
    from warden.legislation.services import load_bundled

    load_bundled(actor=system("test: a revision made in the year"))
    wb = load_workbook(io.BytesIO(_out("national", "xlsx")))
    ws = wb["law_changes"]
    assert ws.max_row >= 2
    cell = ws.cell(row=2, column=2)
    assert cell.is_date and isinstance(cell.value, dt.datetime) and cell.value.date() == dt.date(2026, 6, 15)
    assert isinstance(ws.cell(row=2, column=1).value, int)
