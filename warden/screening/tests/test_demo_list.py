"""The bundled SAMPLE list that `warden demo` imports: it parses, imports once, and the demo's parties
written differently from a listed entry are found."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from warden import demo
from warden.flows.rescreening import ensure_demo_list
from warden.lib.actors import system
from warden.screening.engine import screen_query
from warden.screening.importers import parse
from warden.screening.matcher.records import Query
from warden.screening.models import ListVersion, Match
from warden.screening.services import DEMO_LIST, DEMO_LIST_NAME

pytestmark = pytest.mark.django_db


def test_the_sample_list_says_it_is_a_sample_and_parses() -> None:
    head = DEMO_LIST.read_text(encoding="utf-8")[:600]
    assert "SAMPLE FOR DEMONSTRATION ONLY" in head and "NOT THE AUTHORITATIVE LIST" in head
    with open(DEMO_LIST, "rb") as fh:
        entries = parse("un-xml", fh)
    assert 50 <= len(entries) <= 200
    assert all(e.entry_id.startswith("DEMO-") for e in entries)


def test_the_sample_list_is_imported_once_as_its_own_list() -> None:
    first = ensure_demo_list(actor=system("test"))
    assert first is not None and first.list.name == DEMO_LIST_NAME and first.entries_count >= 50
    assert ensure_demo_list(actor=system("test")) is None
    assert ListVersion.objects.filter(list__name=DEMO_LIST_NAME).count() == 1


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("Green Pine Associated Corp.", "GREEN PINE ASSOCIATED CORPORATION"),
        ("Ryonbong General Corporation of Korea", "KOREA RYONBONG GENERAL CORPORATION"),
        ("Shahid Hemat Industries Group", "SHAHID HEMMAT INDUSTRIAL GROUP"),
        ("Nam Chon Gang Trading", "NAMCHONGANG TRADING CORPORATION"),
        ("Harakat al-Shabab al-Mujahideen", "AL-SHABAAB"),
        ("Korea Mining Development Trading Corporation", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
    ],
)
def test_demo_parties_written_differently_are_found_in_the_sample_list(name: str, listed: str) -> None:
    ensure_demo_list(actor=system("test"))
    doc = screen_query(Query(name=name, kind="organisation"))
    assert doc["matches"] and doc["matches"][0]["name"] == listed


def test_the_demo_raises_screening_matches_to_review() -> None:
    demo.load_demo(out=Console(file=io.StringIO()), cases=40)
    assert ListVersion.objects.filter(list__name=DEMO_LIST_NAME, is_current=True).count() == 1
    assert Match.objects.filter(list_name=DEMO_LIST_NAME).exists()
