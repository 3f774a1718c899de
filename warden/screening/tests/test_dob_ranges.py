"""A date of birth the list gives as a range (UN BETWEEN) or approximately is used by the matcher: a
query date inside it is supporting evidence, outside it contrary evidence. The entry is the real UN
record QDi.420 (BETWEEN 1965 and 1969), imported and handed to the matcher as screening does."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from warden.screening.engine import _matcher_entry
from warden.screening.importers import parse
from warden.screening.matcher.evidence import date_bounds, dob_evidence
from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.records import Query

UN = (
    Path(__file__).resolve().parents[3]
    / "tests"
    / "data"
    / "lists"
    / "un-consolidated-2020-03-20-excerpt.xml"
)


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    with open(UN, "rb") as fh:
        entries = parse("un-xml", fh)
    idx = ScreeningIndex()
    for pk, e in enumerate(entries, start=1):
        row = SimpleNamespace(pk=pk, name=e.name, kind=e.kind, data=e.data())
        idx.add(_matcher_entry(row))  # type: ignore[arg-type]
    return idx


def _score(index: ScreeningIndex, dob: str | None) -> tuple[float, object]:
    hits = index.screen(Query(name="Hajji Abd al Naser", kind="person", dob=dob), threshold=0.5)
    hit = next(h for h in hits if h.entry.names[0] == "HAJJI 'ABD AL-NASIR")
    return hit.score, hit.features["date_of_birth"]


def test_a_date_inside_the_listed_range_raises_the_score_and_one_outside_lowers_it(
    index: ScreeningIndex,
) -> None:
    without, no_dob = _score(index, None)
    inside, within = _score(index, "1967-04-02")
    outside, beyond = _score(index, "1975")
    assert (no_dob, within, beyond) == (None, "match", "mismatch")
    assert inside > without > outside


def test_the_range_ends_count_as_inside_and_a_year_beyond_as_close(index: ScreeningIndex) -> None:
    assert _score(index, "1965")[1] == "match" and _score(index, "1969-12-31")[1] == "match"
    assert _score(index, "1970-06")[1] == "close" and _score(index, "1964")[1] == "close"
    assert _score(index, "1962")[1] == "mismatch"


def test_the_explanation_shows_the_listed_range(index: ScreeningIndex) -> None:
    hits = index.screen(Query(name="Hajji Abd al Naser", kind="person", dob="1967"), threshold=0.5)
    hit = next(h for h in hits if h.entry.names[0] == "HAJJI 'ABD AL-NASIR")
    assert "date of birth match (1967 / 1965/1969)" in hit.explanation


@pytest.mark.parametrize(
    ("query", "listed", "evidence"),
    [
        ("1968", ["1968~"], "match"),  # approximately 1968: the year either side agrees
        ("1967-01-01", ["1968~"], "match"),
        ("1966", ["1968~"], "close"),
        ("1964", ["1968~"], "mismatch"),
        ("1966", ["1965/1969", "1980"], "match"),  # any listed date may agree
        ("1990", ["1965/1969", "1980"], "mismatch"),
        ("1965", ["1966"], "close"),  # exact dates as before
        ("1965-02-01", ["1965"], "match"),
        ("1965-03-04", ["1965-02-01"], "close"),
        ("1970", ["1965"], "mismatch"),
        ("1970", [], None),
        (None, ["1965/1969"], None),
    ],
)
def test_dob_evidence_reads_ranges_approximate_and_partial_dates(
    query: str | None, listed: list[str], evidence: str | None
) -> None:
    assert dob_evidence(query, listed) == evidence


def test_date_bounds_of_each_precision() -> None:
    assert date_bounds("1965/1969") == ((1965, 1, 1), (1969, 12, 31))
    assert date_bounds("1968~") == ((1967, 1, 1), (1969, 12, 31))
    assert date_bounds("1970-05") == ((1970, 5, 1), (1970, 5, 31))
    assert date_bounds("1964-07-17") == ((1964, 7, 17), (1964, 7, 17))
    assert date_bounds("born 1950") == ((1950, 1, 1), (1950, 12, 31))
    assert date_bounds("") is None and date_bounds("unknown") is None


@pytest.mark.django_db
def test_warden_screen_uses_the_imported_range(capsys: pytest.CaptureFixture[str]) -> None:
    """Through the real path: `warden lists import` stores the range, `warden screen --dob` uses it."""
    import json

    from warden.cli import main

    assert main(["lists", "import", "--format", "un-xml", "--no-rescreen", str(UN)]) == 0
    capsys.readouterr()
    found = {}
    for dob in ("1967", "1975", None):
        args = ["screen", "--name", "Hajji Abd al Naser", "--type", "person", "--format", "json"]
        main(args + (["--dob", dob] if dob else []))
        match = next(m for m in json.loads(capsys.readouterr().out)["matches"] if m["entry"] == "QDi.420")
        found[dob] = (match["score"], match["features"]["date_of_birth"])
    assert found["1967"][1] == "match" and found["1975"][1] == "mismatch" and found[None][1] is None
    assert found["1967"][0] > found[None][0] > found["1975"][0]
