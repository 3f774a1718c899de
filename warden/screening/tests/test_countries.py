"""Country names as the UN, UK and US lists write them map to ISO codes, so country evidence works for
every list, not only those that publish codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.screening.importers import parse
from warden.screening.matcher.countries import country_code
from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.records import Entry, Query

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("un-xml", "un.xml"),
        ("eu-fsf-xml", "eu.xml"),
        ("uk-xml", "uk.xml"),
        ("us-csl-json", "csl.json"),
        ("us-csl-csv", "csl.csv"),
        ("ftm-json", "ftm.jsonl"),
    ],
)
def test_every_country_in_the_importer_fixtures_maps_to_a_code(fmt: str, name: str) -> None:
    with open(FIXTURES / name, "rb") as fh:
        entries = parse(fmt, fh)
    values = {c for e in entries for c in (*e.countries, *e.nationalities)}
    assert {v: country_code(v) for v in values if country_code(v) is None} == {}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Afghanistan", "AF"),
        ("DPRK", "KP"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Korea, North", "KP"),
        ("North Korea", "KP"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Iran, Islamic Republic of", "IR"),
        ("Syrian Arab Republic", "SY"),
        ("Russian Federation", "RU"),
        ("Russia", "RU"),
        ("Burma", "MM"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Côte d'Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("the Gambia", "GM"),
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("ru", "RU"),
        ("KP", "KP"),
    ],
)
def test_list_spellings_of_countries_map_to_iso_codes(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize("value", ["", "  ", "Narnia", "XX", "Korea", None])
def test_unknown_or_ambiguous_countries_give_no_code_rather_than_a_guess(value: str | None) -> None:
    assert country_code(value) is None


def test_country_evidence_works_with_a_list_that_writes_country_names() -> None:
    index = ScreeningIndex()
    index.add(Entry(key="1", names=["Ri Won Ho"], kind="person", countries=frozenset({"KP"})))
    match = index.screen(Query(name="Ri Won Ho", kind="person", country="North Korea"))[0]
    other = index.screen(Query(name="Ri Won Ho", kind="person", country="France"))[0]
    assert match.features["country"] == "match" and other.features["country"] == "mismatch"
    assert match.score > other.score


def test_index_entries_carry_codes_for_the_country_names_a_list_wrote() -> None:
    from warden.screening.engine import _matcher_entry
    from warden.screening.models import ListEntry

    row = ListEntry(
        name="X",
        kind="person",
        data={"nationalities": ["Iran (Islamic Republic of)", "Atlantis"], "countries": ["DPRK", "ru"]},
    )
    assert _matcher_entry(row).countries == {"IR", "KP", "RU"}
