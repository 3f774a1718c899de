"""The redaction policy: names and values never reach the public side, small counts are suppressed with
their complements, and only the configured destinations are named."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from warden.transparency.figures import SLUGS
from warden.transparency.redaction import suppress

SENSITIVE = (
    "Northbridge Defence",  # exporter (org_a)
    "Southgate Arms",  # exporter (org_b)
    "GB123",  # exporter registration number
    "Harbour Logistics",  # consignee of the licences
    "Refused Consignee",  # consignee of the refusals
    "987654",  # value of each licence line
    "987,654",
    "123456",  # value of each refused application
    "123,456",
    "LIC-T-",  # licence numbers
    "APP-T-",  # case references
)


def _public_texts(client: Client, query: str = "") -> list[str]:
    texts = [client.get(f"/transparency/{query}").content.decode()]
    texts += [client.get(f"/transparency/{slug}.csv{query}").content.decode() for slug in SLUGS]
    return texts


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?year=2025", "?region=eu", "?category=ML1", "?year=2024&region=eu"])
def test_no_exporter_consignee_or_value_appears_on_any_public_page(
    anonymous: Client, caseload: Any, settings: Any, query: str
) -> None:
    settings.TRANSPARENCY_SUPPRESS_BELOW = 1  # even with no suppression at all
    for text in _public_texts(anonymous, query):
        for secret in SENSITIVE:
            assert secret not in text


@pytest.mark.django_db
def test_destinations_not_published_are_pooled_and_never_named(
    anonymous: Client, caseload: Any, settings: Any
) -> None:
    settings.TRANSPARENCY_DESTINATIONS = ["FR", "DE", "IT", "US"]
    settings.TRANSPARENCY_SUPPRESS_BELOW = 1
    for text in _public_texts(anonymous):
        assert "Saudi Arabia" not in text
        assert "(SA)" not in text
    dest = anonymous.get("/transparency/licences-by-destination.csv").content.decode()
    assert "Other destinations (not itemised),2" in dest
    # Within a region the pool could be one country: it is left out of regional views altogether.
    middle_east = anonymous.get(
        "/transparency/licences-by-destination.csv?region=middle-east"
    ).content.decode()
    assert "not itemised" not in middle_east
    assert "Total,0" in middle_east


def test_a_count_below_the_threshold_is_suppressed_with_the_next_smallest() -> None:
    cut = suppress({"FR": 12, "DE": 9, "IT": 1}, 3)
    assert cut.cells == {"IT", "DE"} and not cut.total


def test_two_ones_are_not_enough_cover_for_each_other() -> None:
    # 1 + 1 = 2 beside a total: a reader knowing each row holds a licence reads both off, so a third
    # cell is withheld as well (and the total can stay: 14 over three hidden rows gives none away).
    cut = suppress({"FR": 12, "DE": 1, "IT": 1}, 3)
    assert cut.cells == {"IT", "DE", "FR"} and not cut.total


def test_nothing_is_suppressed_when_every_count_reaches_the_threshold() -> None:
    cut = suppress({"FR": 3, "DE": 4}, 3)
    assert not cut.cells and not cut.total


def test_a_lone_small_cell_takes_the_total_with_it() -> None:
    assert suppress({"IT": 2}, 3).total


def test_forced_cells_are_suppressed_and_covered() -> None:
    cut = suppress({"EU": 10, "NA": 3, "ME": 5}, 3, forced=frozenset({"ME"}))
    assert cut.cells == {"ME", "NA"} and not cut.total


def test_the_threshold_is_a_setting(settings: Any) -> None:
    from warden.transparency.redaction import threshold

    settings.TRANSPARENCY_SUPPRESS_BELOW = 5
    assert threshold() == 5
