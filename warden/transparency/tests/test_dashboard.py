"""The public dashboard and its CSVs, read by an anonymous visitor, against hand-counted figures.

The caseload (conftest.caseload): licences FR 5 (ML1), DE 4 (ML10, the other exporter), IT 1 (ML4, 2024),
US 3 (5A001, dual-use), SA 2 (ML1), all 2025 unless said; refusals SA 2, RU 2 citing EU-CP:7 three times,
EU-CP:2 once, EU-CP:1 once. Threshold 3. By hand:
- destinations within EU {FR 5, DE 4, IT 1}: IT suppressed, DE with it (5 + 1 would give IT away);
- regions {EU 10, North America 3, Middle East 2}: Middle East suppressed, North America with it, and so
  US (North America's only destination) and SA; published: FR 5, EU 10, total 15;
- categories {ML1 7, ML4 1, ML10 4, other 3}: ML4 and other suppressed;
- processing times: 15 licences in 11 to 20 days, 4 refusals in 21 to 40 days."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def rows_of(html_or_csv: str) -> dict[str, str]:
    """{label: count} of a figure CSV (its data rows and Total)."""
    reader = csv.reader(io.StringIO(html_or_csv))
    next(reader)
    return {row[1]: row[2] for row in reader}


def get_csv(client: Client, slug: str, query: str = "") -> dict[str, str]:
    response = client.get(f"/transparency/{slug}.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return rows_of(response.content.decode())


def test_an_anonymous_visitor_sees_the_dashboard_with_every_figure(anonymous: Client, caseload: Any) -> None:
    response = anonymous.get("/transparency/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in (
        "licences-by-destination",
        "licences-by-region",
        "licences-by-category",
        "licences-by-year",
        "refusals-by-criterion",
        "processing-times",
    ):
        assert f'data-testid="figure-{slug}"' in html
        assert f'href="/transparency/{slug}.csv"' in html
    assert "<svg" in html


def test_destinations_and_regions_are_suppressed_together(anonymous: Client, caseload: Any) -> None:
    dest = get_csv(anonymous, "licences-by-destination")
    assert dest == {
        "France (FR)": "5",
        "Germany (DE)": "suppressed",
        "Italy (IT)": "suppressed",
        "United States (US)": "suppressed",
        "Saudi Arabia (SA)": "suppressed",
        "Total": "15",
    }
    regions = get_csv(anonymous, "licences-by-region")
    assert regions == {
        "European Union Member States": "10",
        "North America": "suppressed",
        "Middle East": "suppressed",
        "Total": "15",
    }


def test_no_suppressed_count_can_be_worked_out_from_a_total(anonymous: Client, caseload: Any) -> None:
    # Every published table: the total minus the published cells must not equal one single hidden cell.
    for slug in ("licences-by-destination", "licences-by-region", "licences-by-category", "processing-times"):
        table = get_csv(anonymous, slug)
        total = table.pop("Total")
        hidden = [k for k, v in table.items() if v == "suppressed"]
        assert len(hidden) != 1, slug
        if total != "suppressed" and hidden:
            assert int(total) - sum(int(v) for v in table.values() if v != "suppressed") >= 3, slug


def test_categories_count_ml_entries_apart_and_dual_use_together(anonymous: Client, caseload: Any) -> None:
    assert get_csv(anonymous, "licences-by-category") == {
        "ML1": "7",
        "ML4": "suppressed",
        "ML10": "4",
        "Dual-use and other ratings": "suppressed",
        "Total": "15",
    }


def test_refusals_count_each_criterion_cited(anonymous: Client, caseload: Any, settings: Any) -> None:
    settings.TRANSPARENCY_SUPPRESS_BELOW = 1  # nothing suppressed: the raw counts
    table = get_csv(anonymous, "refusals-by-criterion")
    assert table == {
        "EU-CP:1 International obligations, embargoes and sanctions": "1",
        "EU-CP:2 Human rights and international humanitarian law": "1",
        "EU-CP:7 Risk of diversion or re-export": "3",
        "Total": "4",
    }


def test_processing_times_fall_in_their_bands(anonymous: Client, caseload: Any) -> None:
    assert get_csv(anonymous, "processing-times") == {
        "11 to 20 days": "15",
        "21 to 40 days": "4",
        "Total": "19",
    }


def test_filters_narrow_every_figure(anonymous: Client, caseload: Any, settings: Any) -> None:
    settings.TRANSPARENCY_SUPPRESS_BELOW = 1
    assert get_csv(anonymous, "licences-by-destination", "?category=ML10") == {
        "Germany (DE)": "4",
        "Total": "4",
    }
    # ML1 is not ML10: the category is the rating's first element.
    assert get_csv(anonymous, "licences-by-destination", "?category=ML1") == {
        "France (FR)": "5",
        "Saudi Arabia (SA)": "2",
        "Total": "7",
    }
    assert get_csv(anonymous, "licences-by-year", "?year=2024") == {"2024": "1", "Total": "1"}
    assert get_csv(anonymous, "licences-by-destination", "?region=north-america") == {
        "United States (US)": "3",
        "Total": "3",
    }


def test_a_single_small_cell_is_suppressed_with_its_total(anonymous: Client, caseload: Any) -> None:
    assert get_csv(anonymous, "licences-by-destination", "?year=2024") == {
        "Italy (IT)": "suppressed",
        "Total": "suppressed",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=20x5", "Year '20x5' is not a year"),
        ("?year=1850", "Year '1850' is not a year"),
        ("?region=atlantis", "Region 'atlantis' is not one of the regions"),
        ("?category=ML99", "Category 'ML99' is not ML1 to ML22"),
    ],
)
def test_an_invalid_filter_is_refused_with_a_message(
    anonymous: Client, caseload: Any, query: str, message: str
) -> None:
    page = anonymous.get(f"/transparency/{query}")
    assert page.status_code == 400
    html = page.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert 'data-testid="figure-' not in html  # no unfiltered figures shown as if filtered
    download = anonymous.get(f"/transparency/licences-by-destination.csv{query}")
    assert download.status_code == 400
    assert message in download.content.decode()


def test_an_unknown_figure_is_not_found(anonymous: Client) -> None:
    assert anonymous.get("/transparency/exporters.csv").status_code == 404


def test_a_region_withheld_as_cover_keeps_its_largest_destinations(anonymous: Client, personas: Any) -> None:
    from warden.transparency.tests import seed

    for code, n in (("FR", 5), ("DE", 4), ("US", 1)):
        for _ in range(n):
            seed.licence(personas, code)
    # US alone in North America forces its region out; the EU is withheld as cover, and of its destinations
    # only the smallest need go (the EU's own count being withheld, FR 5 gives nothing away).
    assert get_csv(anonymous, "licences-by-destination") == {
        "France (FR)": "5",
        "Germany (DE)": "suppressed",
        "United States (US)": "suppressed",
        "Total": "10",
    }
    assert get_csv(anonymous, "licences-by-region") == {
        "European Union Member States": "suppressed",
        "North America": "suppressed",
        "Total": "10",
    }


def test_a_decision_on_a_bands_last_day_counts_in_that_band(
    anonymous: Client, personas: Any, settings: Any
) -> None:
    from warden.transparency.tests import seed

    settings.TRANSPARENCY_SUPPRESS_BELOW = 1
    for days in (10, 11, 20, 21, 60, 61):
        seed.licence(personas, "FR", took_days=days)
    assert get_csv(anonymous, "processing-times") == {
        "Up to 10 days": "1",
        "11 to 20 days": "2",
        "21 to 40 days": "1",
        "41 to 60 days": "1",
        "More than 60 days": "1",
        "Total": "6",
    }


def test_the_page_and_each_csv_state_the_audit_log_they_were_computed_from(
    anonymous: Client, personas: Any
) -> None:
    from django.db import transaction

    from warden.audit.merkle import root_from_leaf_hashes
    from warden.audit.models import AuditEntry
    from warden.audit.services import record

    for n in range(3):
        with transaction.atomic():
            record(actor=personas.admin, action="test.entry", data={"n": n})
    leaves = [
        bytes.fromhex(h) for h in AuditEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)
    ]
    root = root_from_leaf_hashes(leaves).hex()
    html = anonymous.get("/transparency/").content.decode()
    assert f"as of audit log entry {len(leaves)}" in html and root in html
    csv_response = anonymous.get("/transparency/licences-by-year.csv")
    assert csv_response["X-Warden-Audit-Log"] == f"size={len(leaves)} root={root}"
