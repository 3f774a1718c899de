"""Names made of common nouns: a ministry, a state bank, a national company. The UN lists the DPRK's
"MINISTRY OF NATIONAL DEFENCE" (KPe.054, fixtures/un-kpe054.xml); a party of that name elsewhere is
another body, and the country decides. Also list-marked weak aliases (UN QUALITY "Low")."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.lib.actors import system
from warden.screening.importers import parse
from warden.screening.matcher.countries import country_code
from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.normalise import normalise
from warden.screening.matcher.records import Entry, EntryName, Query
from warden.screening.matcher.score import compare_names, score_pair

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_LIST = Path(__file__).parent.parent / "data" / "demo-un.xml"
THRESHOLD, CERTAINTY = 0.70, 0.90  # the settings' defaults


def _index(*files: Path) -> ScreeningIndex:
    """The entries of UN-format files, as the engine hands them to the matcher."""
    index = ScreeningIndex()
    for path in files:
        with open(path, "rb") as fh:
            for e in parse("un-xml", fh):
                names = [e.name, *e.aliases, *e.original_script]
                names += [EntryName(a, weak=True) for a in e.weak_aliases]
                countries = {c for x in e.countries + e.nationalities if (c := country_code(x))}
                kind = "person" if e.kind == "person" else "organisation"
                index.add(Entry(key=e.entry_id, names=names, kind=kind, countries=frozenset(countries)))
    return index


@pytest.fixture(scope="module")
def un_index() -> ScreeningIndex:
    return _index(FIXTURES / "un-kpe054.xml", DEMO_LIST)


def _best(index: ScreeningIndex, name: str, country: str | None) -> tuple[str, float, str]:
    hits = index.screen(Query(name=name, kind="organisation", country=country), threshold=0.0, limit=1)
    return (hits[0].entry.key, hits[0].score, hits[0].explanation) if hits else ("", 0.0, "")


def test_the_un_entry_names_a_generic_body() -> None:
    with open(FIXTURES / "un-kpe054.xml", "rb") as fh:
        (entry,) = parse("un-xml", fh)
    assert entry.entry_id == "KPe.054" and entry.name == "MINISTRY OF NATIONAL DEFENCE"
    assert "MINISTRY OF DEFENCE" in entry.aliases and entry.weak_aliases == ["MPAF"]
    result = compare_names(normalise("Ministry of National Defence", "organisation"), normalise(entry.name))
    assert result.score == 1.0 and result.generic_only


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Ministry of National Defence", "PL"),  # Poland's ministry: the 0.97 refusal
        ("Ministry of National Defence of the Republic of Poland", "PL"),
        ("Ministry of Defence", "GB"),
        ("Ministry of Defence of Ukraine", "UA"),  # the demo's end users
        ("Israel Ministry of Defense", "IL"),
        ("Ministry of National Defense", "Lithuania"),
        ("MINISTRY OF NATIONAL DEFENCE", "Viet Nam"),
    ],
)
def test_another_countrys_ministry_is_not_the_listed_one(
    un_index: ScreeningIndex, name: str, country: str
) -> None:
    key, score, explanation = _best(un_index, name, country)
    assert score < THRESHOLD, (key, score, explanation)
    if key == "KPe.054":
        assert "only generic words agree and the countries differ" in explanation


def test_the_dprks_own_ministry_still_matches(un_index: ScreeningIndex) -> None:
    for name in ("Ministry of National Defence", "Ministry of National Defense", "Ministry of Defence"):
        key, score, _ = _best(un_index, name, "KP")
        assert key == "KPe.054" and score >= CERTAINTY
    key, score, _ = _best(un_index, "Ministry of the People's Armed Forces", "North Korea")
    assert key == "KPe.054" and score >= CERTAINTY


def test_without_a_country_a_generic_name_is_raised_but_not_certain(un_index: ScreeningIndex) -> None:
    key, score, explanation = _best(un_index, "Ministry of National Defence", None)
    assert key == "KPe.054" and THRESHOLD <= score < CERTAINTY
    assert "a country is not known on both sides" in explanation


def test_a_state_body_of_another_country_weighs_the_country_heavily(un_index: ScreeningIndex) -> None:
    # A distinctive name still matches, but another state's body of that name is not certain.
    key, home, _ = _best(un_index, "Reconnaissance General Bureau", "KP")
    _, abroad, explanation = _best(un_index, "Reconnaissance General Bureau", "PL")
    assert key.endswith("KPe.031") and home >= CERTAINTY
    assert abroad < CERTAINTY and "a state body of another country" in explanation
    # A company of another country only loses the ordinary country evidence.
    _, company, _ = _best(un_index, "Green Pine Associated Corporation", "CN")
    assert company >= CERTAINTY


def test_a_list_marked_weak_alias_scores_as_weak(un_index: ScreeningIndex) -> None:
    key, score, explanation = _best(un_index, "MPAF", "KP")
    assert key == "KPe.054" and THRESHOLD <= score < CERTAINTY and "weak alias" in explanation
    # The name-level record: weak names given as EntryName; a name also given as strong stays strong.
    entry = Entry(
        key="x", names=["Alpha Beta", EntryName("AB Group", weak=True), EntryName("Alpha", weak=True)]
    )
    assert entry.names == ["Alpha Beta", "AB Group", "Alpha"] and entry.weak == {"AB Group", "Alpha"}
    both = Entry(key="y", names=["Alpha", EntryName("Alpha", weak=True)])
    assert both.weak == frozenset() and [n.weak for n in both.name_records()] == [False, False]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bank Rossiya", "Bank of Russia"),  # a private bank and the central bank
        ("Myanmar Economic Holdings", "Myanmar Economic Corporation"),
        ("Myanmar Economic Holdings Limited", "Myanmar Economic Corporation Limited"),
        ("Bank Mellat", "Bank Melli"),
        ("State Bank of India", "State Bank of Pakistan"),
        ("National Iranian Oil Company", "National Iraqi Oil Company"),
    ],
)
def test_names_sharing_only_generic_words_stay_apart(a: str, b: str) -> None:
    assert score_pair(a, b, "organisation") < THRESHOLD


@pytest.mark.django_db
def test_the_demo_ministries_raise_no_match_through_the_engine() -> None:
    from warden.demo import scenarios as demo
    from warden.flows.rescreening import ensure_demo_list, import_list
    from warden.screening.engine import screen_query

    ensure_demo_list(actor=system("test"))
    import_list(
        actor=system("test"), list_name="un", fmt="un-xml", path=FIXTURES / "un-kpe054.xml", rescreen="none"
    )
    for scenario in demo.SCENARIOS:
        name = scenario.end_user[0]
        if "Ministry" in name or "Defen" in name:
            doc = screen_query(Query(name=name, kind="organisation", country=scenario.destination))
            assert doc["matches"] == [], (name, doc["matches"])
    doc = screen_query(Query(name="Ministry of National Defence", kind="organisation", country="KP"))
    assert [m["entry"] for m in doc["matches"]] == ["KPe.054"] and doc["matches"][0]["score"] >= CERTAINTY
    # The list's weak alias reaches the matcher as weak through the stored entry.
    doc = screen_query(Query(name="MPAF", kind="organisation", country="KP"))
    assert [m["entry"] for m in doc["matches"]] == ["KPe.054"]
    assert doc["matches"][0]["score"] < CERTAINTY and "weak alias" in doc["matches"][0]["explanation"]
