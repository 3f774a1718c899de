"""The matcher on its own (no database): transliteration, alignment, legal forms, false positives."""

from __future__ import annotations

import pytest

from warden.screening.matcher.evidence import dob_evidence
from warden.screening.matcher.index import ScreeningIndex
from warden.screening.matcher.normalise import normalise, script_of, to_latin
from warden.screening.matcher.records import Entry, Query
from warden.screening.matcher.score import compare_names, score_pair

T = 0.7  # the default threshold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Сергей Лавров", "sergey lavrov"),
        ("محمد بن سلمان", "mhmd bn slmn"),
        ("习近平", "xi jin ping"),
        ("김정은", "gim jeong eun"),
        ("バラク・オバマ", "baraku obama"),
        ("Nicolás Maduro", "nicolas maduro"),
    ],
)
def test_every_script_is_transliterated_to_latin(text: str, expected: str) -> None:
    assert " ".join(to_latin(text).replace("-", " ").replace("\u30fb", " ").split()) == expected


def test_script_is_detected() -> None:
    assert [script_of(s) for s in ("Obama", "Обама", "أوباما", "习近平", "김정은")] == [
        "latin",
        "cyrillic",
        "abjad",
        "cjk",
        "hangul",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Сергей Викторович Лавров", "Sergey Viktorovich Lavrov"),  # Cyrillic
        ("محمد بن سلمان", "Mohammed bin Salman"),  # Arabic: no vowels written
        ("习近平", "Xi Jinping"),  # CJK, syllables joined differently
        ("김정은", "Kim Jong Un"),  # Hangul, Revised vs McCune-Reischauer romanisation
        ("Барак Обама", "Barack Obama"),
    ],
)
def test_names_in_other_scripts_match_their_latin_form(a: str, b: str) -> None:
    assert score_pair(a, b, "person") >= T


def test_reordered_and_comma_inverted_names_match() -> None:
    assert score_pair("SALEK, ABDULHAI", "ABDULHAI SALEK", "person") >= 0.9
    assert score_pair("Lavrov Sergei", "Sergei Lavrov", "person") >= 0.9


def test_misspellings_within_the_edit_budget_match() -> None:
    assert score_pair("Emmanuel Macrone", "Emmanuel Macron", "person") >= T
    assert score_pair("Friedrich Lindenburg", "Friedrich Lindenberg", "person") >= T
    assert score_pair("ADBUL BARI", "ABDUL BARI", "person") >= T  # swapped letters


def test_joined_and_split_words_match() -> None:
    assert score_pair("SergeiLavrov", "Sergei Lavrov", "person") >= T
    assert score_pair("Gazprom Bank", "Gazprombank", "organisation") >= T


def test_legal_forms_are_equivalent_and_never_drive_a_match() -> None:
    assert score_pair("Siemens AG", "Siemens Aktiengesellschaft", "organisation") == 1.0
    assert score_pair("OOO Oboronnye Initsiativy", "Oboronnye Initsiativy LLC", "organisation") == 1.0
    assert score_pair("Volkswagen AG", "Siemens AG", "organisation") < 0.3
    assert score_pair("Alpha Trading LLC", "Beta Trading LLC", "organisation") < T
    assert normalise("Tactical Missiles Corporation JSC").legal_forms == ("jsc", "inc")


def test_abbreviations_are_expanded() -> None:
    assert score_pair("First Bank Intl", "First International Bank", "organisation") >= T
    assert score_pair("U.S. Department of State", "United States Department of State", "organisation") == 1.0
    assert score_pair("AT&T Inc.", "AT and T Inc.", "organisation") == 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("George Bush", "George Habbash"),  # watchman #115
        ("Barack Obama", "Michelle Obama"),
        ("Sergey Ivanov", "Sergey Viktorovich Lavrov"),
        ("Bashar al-Assad", "Hafez al-Assad"),  # a shared particle is not a match
        ("Mark Zuckermann", "Mark Zuckerberg"),
        ("김종은", "김정은"),  # same script: compared as written
    ],
)
def test_short_or_one_part_different_names_do_not_match(a: str, b: str) -> None:
    assert score_pair(a, b, "person") < T


def test_a_company_does_not_match_a_person_sharing_a_first_name() -> None:
    # watchman #338: "EMMA LLC" scored 100% against "emma daniels".
    index = ScreeningIndex()
    index.add(Entry(key="p1", names=["Emma Daniels"], kind="person"))
    assert index.screen(Query(name="EMMA LLC", kind="organisation"), threshold=T) == []
    # Even untyped: a legal form on one side and an extra surname on the other mean different parties.
    assert score_pair("EMMA LLC", "emma daniels") < T


def test_explanation_names_the_aligned_parts() -> None:
    res = compare_names(normalise("Putin Vladimir"), normalise("Vladimir Vladimirovich Putin"))
    text = res.explain("putin vladimir", "vladimir vladimirovich putin")
    assert "'putin'='putin'" in text and "'vladimir'='vladimir'" in text and "extra: vladimirovich" in text


def test_date_of_birth_and_country_are_evidence_not_filters() -> None:
    assert dob_evidence("1965", ["1966"]) == "close"
    assert dob_evidence("1965-02-01", ["1965"]) == "match"
    assert dob_evidence("1970", ["1965"]) == "mismatch"
    index = ScreeningIndex()
    index.add(
        Entry(key="e1", names=["Abdulhai Salek"], kind="person", dobs=("1965",), countries=frozenset({"AF"}))
    )
    same = index.screen(Query(name="Abdulhai Salek", kind="person", dob="1965", country="AF"))[0]
    other = index.screen(Query(name="Abdulhai Salek", kind="person", dob="1975", country="FR"))[0]
    assert same.features["date_of_birth"] == "match" and same.features["country"] == "match"
    assert other.features["date_of_birth"] == "mismatch" and other.features["country"] == "mismatch"
    assert 0.7 <= other.score < same.score <= 1.0  # still raised: a wrong date does not clear a name


def test_identifier_equality_is_found_even_with_another_name() -> None:
    index = ScreeningIndex()
    index.add(
        Entry(key="v1", names=["Ocean Star"], kind="organisation", identifiers=frozenset({"IMO 9123456"}))
    )
    hits = index.screen(
        Query(name="Blue Whale", kind="organisation", identifiers=("imo9123456",)), threshold=T
    )
    assert [h.entry.key for h in hits] == ["v1"] and hits[0].features["identifier"] == "match"


def test_index_finds_the_entry_through_any_alias_and_ranks_it_first() -> None:
    index = ScreeningIndex()
    index.add(
        Entry(key="a", names=["Korea Mining Development Trading Corporation", "KOMID"], kind="organisation")
    )
    index.add(Entry(key="b", names=["Korea Ryonbong General Corporation"], kind="organisation"))
    hits = index.screen(Query(name="Komid", kind="organisation"), threshold=T)
    assert [h.entry.key for h in hits] == ["a"] and hits[0].matched_name == "KOMID"
