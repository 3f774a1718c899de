"""A member of the public, not signed in: opens the transparency dashboard, filters it, meets a refused
filter value, downloads a figure as CSV, and verifies a licence by its code (then a mistyped code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from warden.licences.models import LicenceStatus
from warden.testing import Personas
from warden.transparency.tests import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_reads_filters_downloads_and_verifies(
    personas: Personas, new_page: Any, shot: Any, tmp_path: Path
) -> None:
    for _ in range(5):
        seed.licence(personas, "FR", "ML1.a")
    for _ in range(4):
        seed.licence(personas, "DE", "ML10.b")
    suspended = seed.licence(personas, "US", "ML6", status=LicenceStatus.SUSPENDED)
    seed.refusal(personas, "RU", ["EU-CP:7"])

    page = new_page()
    page.goto("/transparency/")
    expect(page.get_by_role("heading", name="Export licensing in figures")).to_be_visible()
    destinations = page.get_by_test_id("figure-licences-by-destination")
    expect(destinations.locator("svg")).to_be_visible()
    expect(destinations).to_contain_text("France (FR)")
    shot(page, "public-01-dashboard")

    page.get_by_label("Region", exact=True).select_option(label="European Union Member States")
    page.get_by_label("Category", exact=True).select_option("ML10")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_test_id("described")).to_contain_text("European Union Member States, category ML10")
    destinations = page.get_by_test_id("figure-licences-by-destination")
    destinations.locator("summary").click()
    expect(destinations.locator("tbody")).to_contain_text("Germany (DE)")
    expect(destinations.locator("tbody")).not_to_contain_text("France")
    shot(page, "public-02-filtered")

    with page.expect_download() as info:
        page.get_by_test_id("csv-licences-by-destination").click()
    path = tmp_path / "destinations.csv"
    info.value.save_as(path)
    assert path.read_text().splitlines()[1:] == ["DE,Germany (DE),4", "total,Total,4"]
    assert "Northbridge" not in path.read_text()

    page.goto("/transparency/?region=atlantis")
    expect(page.get_by_test_id("filter-errors")).to_contain_text(
        "Region 'atlantis' is not one of the regions"
    )
    expect(page.get_by_test_id("figure-licences-by-destination")).to_have_count(0)
    shot(page, "public-03-refused-filter")

    page.goto("/verify/")
    page.get_by_label("Verification code").fill(suspended.verification_code.lower())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("licence-status")).to_have_text("Suspended")
    expect(page.get_by_test_id("verification")).to_contain_text("no export may be made")
    expect(page.locator("main")).not_to_contain_text("Northbridge")
    shot(page, "public-04-verified")

    page.goto("/verify/")
    page.get_by_label("Verification code").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="No licence has this verification code")).to_be_visible()
