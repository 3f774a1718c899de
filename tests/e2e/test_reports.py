"""An officer downloads the year's annual reports in a real browser: from the navigation to the reports
page, chooses the COARM tables as a spreadsheet and the national report as a PDF, and the files hold the
caseload's figures (typed cells; the PDF's text)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import sign_in
from warden.cases.tests import factories
from warden.lib import clock
from warden.reports.tests.conftest import FRANCE_GOODS, FRANCE_PARTIES
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_downloads_the_coarm_spreadsheet_and_the_national_pdf(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    factories.licensed(personas, destination="FR", goods=FRANCE_GOODS, parties=FRANCE_PARTIES)
    year = str(clock.today().year)

    page = new_page()
    sign_in(page, "olivia", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Annual reports")).to_be_visible()
    page.get_by_label("Report").select_option("coarm")
    page.get_by_label("Year").fill(year)
    page.get_by_label("Format").select_option("xlsx")
    shot(page, "reports-01-officer-chooses-coarm")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == f"warden-coarm-{year}.xlsx"
    wb = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = {(r[1].value, r[4].value): r for r in wb["matrix"].iter_rows(min_row=2)}
    assert rows[("FR", "ML1")][5].value == 1  # one licence issued: a number, not text
    assert rows[("FR", "ML4")][6].value == pytest.approx(590550.0)

    page.get_by_label("Report").select_option("national")
    page.get_by_label("Format").select_option("pdf")
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Download").click()
    reader = PdfReader(io.BytesIO(pdf_download.value.path().read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert f"Strategic export controls: annual report {year}" in text
    assert "issued 1 licence for goods worth EUR 790,550.00" in text


def test_an_exporter_has_no_reports_link_and_is_refused_the_page(personas: Personas, new_page: Any) -> None:
    page = new_page()
    sign_in(page, "alice", PASSWORD)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports")).to_have_count(0)
    assert page.goto("/reports/").status == 403


def test_the_policy_officer_records_holdings_and_the_unroca_json_carries_them(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    year = str(clock.today().year)
    page = new_page()
    sign_in(page, "paula", PASSWORD)
    page.goto("/reports/")
    page.get_by_role("link", name="the background forms page").click()
    expect(page.get_by_role("heading", name="UNROCA background forms")).to_be_visible()
    page.get_by_label("Form").select_option("holdings")
    page.get_by_label("Year").fill(year)
    page.get_by_label("Category").select_option("I")
    page.get_by_label("Number of items").fill("227")
    page.get_by_label("Description of items").fill("Main battle tanks")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("background-done")).to_contain_text("category I: added")
    expect(page.get_by_test_id("background-holdings")).to_contain_text("Main battle tanks")
    shot(page, "reports-02-policy-officer-records-holdings")
    page.goto("/reports/")
    page.get_by_label("Report").select_option("unroca")
    page.get_by_label("Year").fill(year)
    page.get_by_label("Format").select_option("json")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    import json

    doc = json.loads(download.value.path().read_bytes())
    assert [(r["category"], r["number_of_items"]) for r in doc["tables"]["holdings"]["rows"]] == [("I", 227)]
    assert doc["facts"]["procurement_through_national_production"] == "nil"
