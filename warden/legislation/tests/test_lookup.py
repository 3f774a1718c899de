"""The control-list look-up (warden.legislation.lookup) over the bundled list: rating numbers rank exact,
then prefix at a boundary (ML1 is not ML10), then word matches ignoring case and accents; only entries in
force on the day; each with the lists that carry it and its emerging-technology flags; bad queries refused."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from warden.legislation.lookup import LIMIT, clean_query, fold, search
from warden.lib.errors import InvalidInput
from warden.rules.reference import Reference

TODAY = dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def ref(bundle: dict[str, Any]) -> Reference:
    return Reference(copy.deepcopy(bundle))


def codes(ref: Reference, query: str, on: dt.date = TODAY) -> list[str]:
    return [e.code for e in search(ref, query, on).entries]


def test_an_exact_number_comes_first_then_its_sub_items(ref: Reference) -> None:
    found = codes(ref, "ML10")
    assert found[0] == "ML10"
    assert found[1:10] == [f"ML10.{c}" for c in "abcdefghi"]


def test_ml1_finds_ml1_and_its_sub_items_but_never_ml10_or_ml12(ref: Reference) -> None:
    found = codes(ref, "ML1")
    assert found[:6] == ["ML1", "ML1.a", "ML1.b", "ML1.c", "ML1.d", "ML1.e"]
    assert not any(c.startswith(("ML10", "ML11", "ML12")) for c in found)
    # After the number itself, the entries whose text names ML1 (ML16: "... for ML1 to ML4, ...").
    assert "ML16" in found[6:]


def test_numbers_are_read_in_any_case_and_spacing(ref: Reference) -> None:
    assert codes(ref, "ml 10.B")[0] == "ML10.b"
    assert codes(ref, "5a002")[0] == "5A002"


def test_an_incomplete_number_finds_every_entry_starting_with_it(ref: Reference) -> None:
    assert codes(ref, "5A00") == ["5A001", "5A002", "5A003", "5A004"]


def test_a_deeper_rating_finds_the_entry_it_falls_under(ref: Reference) -> None:
    assert codes(ref, "5A002.a.1")[0] == "5A002"
    assert codes(ref, "ML10.b.1")[0] == "ML10.b"


def test_words_find_titles_ignoring_case_and_accents(ref: Reference) -> None:
    plain = codes(ref, "unmanned aerial")
    assert plain[:2] == ["ML10", "ML10.b"]
    assert {"9A012", "5A101", "7A102"} <= set(plain)
    assert codes(ref, "UNMANNED AÉRIAL") == plain
    assert fold("Véhicules  AÉRIENS") == "vehicules aeriens"


def test_every_word_must_match_and_the_words_in_order_rank_first(bundle: dict[str, Any]) -> None:
    b = copy.deepcopy(bundle)
    b["control_list"]["national"] += [
        {
            "id": "XX9001",
            "title": "Ground stations for unmanned marine vehicles",
            "effective_from": "2020-01-01",
        },
        {"id": "XX9002", "title": "Marine vehicles, unmanned", "effective_from": "2020-01-01"},
        {"id": "XX9003", "title": "Unmanned marine vehicles", "effective_from": "2020-01-01"},
    ]
    ref = Reference(b)
    # The words as typed, in order, first (XX9001 and XX9003), then the same words apart (XX9002).
    assert codes(ref, "unmanned marine vehicles") == ["XX9001", "XX9003", "XX9002"]
    assert codes(ref, "unmanned marine submarine") == []


def test_a_word_may_be_the_start_of_a_longer_one_but_a_number_must_be_whole(ref: Reference) -> None:
    assert "ML10.b" in codes(ref, "vehic unman")
    assert codes(ref, "ML2")[0] == "ML2"
    assert "ML22" not in codes(ref, "ML2") and "ML22.a" not in codes(ref, "ML2")


def test_results_are_limited_to_twenty_and_say_how_many_matched(ref: Reference) -> None:
    found = search(ref, "equipment", TODAY)
    assert len(found.entries) == LIMIT and found.total > LIMIT and found.more


def test_an_entry_added_later_is_not_found_before_it_applies(ref: Reference) -> None:
    assert codes(ref, "3A501") == ["3A501"]
    assert codes(ref, "3A501", dt.date(2025, 11, 14)) == []
    assert "4A506" not in codes(ref, "quantum", dt.date(2025, 1, 1))


def test_each_entry_says_which_lists_carry_it(ref: Reference) -> None:
    def lists(code: str) -> tuple[str, ...]:
        return search(ref, code, TODAY).entries[0].lists

    assert lists("ML10") == ("EU Common Military List", "Wassenaar Arrangement Munitions List")
    assert lists("5A002")[0].startswith("EU dual-use list") and lists("5A002")[1] == "Wassenaar Arrangement"
    assert lists("9A101")[1] == "Missile Technology Control Regime (MTCR)"
    assert lists("0B001")[1] == "Nuclear Suppliers Group (NSG)"
    assert lists("1B226")[1] == "Nuclear Suppliers Group (NSG)"
    assert lists("2B350")[1] == "Australia Group (AG)"
    assert lists("3A501")[1] == "No regime list (an EU or national control)"
    assert lists("PL5001") == ("National control list",)


def test_emerging_technology_flags_show_on_the_entry_and_on_its_category(ref: Reference) -> None:
    ml10, ml10b = search(ref, "ML10", TODAY).entries[:2]
    assert [f.id for f in ml10.flags] == ["uav"] and ml10.flags[0].ratings == ("ML10.b",)
    assert ml10b.flags == ()  # ML10.a (manned aircraft) carries none
    assert [f.id for f in search(ref, "ML10.b", TODAY).entries[0].flags] == ["uav"]
    assert [f.id for f in search(ref, "4A506", TODAY).entries[0].flags] == ["quantum"]
    assert search(ref, "4A506", dt.date(2026, 1, 1)).entries[0].flags[0].id == "quantum"


def test_a_sub_item_names_its_category(ref: Reference) -> None:
    entry = search(ref, "ML10.b", TODAY).entries[0]
    assert entry.title == "unmanned aerial vehicles"
    assert entry.parent.startswith("ML10 Aircraft")
    assert entry.as_dict()["emerging_flags"] == [
        {"id": "uav", "title": "Unmanned aerial vehicles", "ratings": ["ML10.b"]}
    ]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Type a rating number"),
        ("   ", "Type a rating number"),
        (None, "Type a rating number"),
        ("x" * 101, "101 characters long; at most 100"),
        ("ML10\x00", "control or unprintable"),
        ("ML\x1b[2J", "control or unprintable"),
        ("ML\ud80010", "control or unprintable"),
    ],
)
def test_bad_queries_are_refused_with_a_clear_message(raw: str | None, words: str) -> None:
    with pytest.raises(InvalidInput, match=words.replace("[", r"\[")):
        clean_query(raw)


def test_a_query_of_punctuation_finds_nothing_rather_than_failing(ref: Reference) -> None:
    assert codes(ref, clean_query("%%% ***")) == []
    assert clean_query("  x" * 33) == ("  x" * 33).strip()


def test_everyday_words_find_the_entries_the_list_names_in_its_own_terms(ref: Reference) -> None:
    found = [e.code for e in search(ref, "night vision", dt.date(2026, 12, 1)).entries]
    assert found[:2] == ["ML15.c", "ML15.d"]  # image intensifier, infrared or thermal imaging
    drones = [e.code for e in search(ref, "drone", dt.date(2026, 12, 1)).entries]
    assert "ML10.b" in drones and "9A012" in drones
    # An everyday term found no entry of its own name: the direct words still decide when they match.
    direct = [e.code for e in search(ref, "armour", dt.date(2026, 12, 1)).entries]
    assert "ML13.d" in direct


def test_words_in_an_entrys_text_find_it_after_the_title_hits_with_the_snippet(
    bundle: dict[str, Any],
) -> None:
    b = copy.deepcopy(bundle)
    b["control_list"]["national"] += [
        {"id": "XX9101", "title": "Periscopes", "effective_from": "2020-01-01"},
        {
            "id": "XX9102",
            "title": "Optical sights",
            "text": "Sights for weapons, including periscopes with an image intensifier for armoured vehicles.",
            "effective_from": "2020-01-01",
        },
    ]
    ref = Reference(b)
    found = search(ref, "periscopes", TODAY).entries
    assert [e.code for e in found][:2] == ["XX9101", "XX9102"]  # the title first, then the text
    title_hit, text_hit = found[:2]
    assert (title_hit.match, text_hit.match) == ("title", "text")
    assert text_hit.snippet[1] == "periscopes" and "including" in text_hit.snippet[0]
    assert text_hit.as_dict()["snippet"].startswith("Sights for weapons, including periscopes")


def test_a_military_category_is_found_by_its_sub_items_words_and_a_sub_item_by_its_categorys(
    ref: Reference,
) -> None:
    found = search(ref, "suppressors calibre", TODAY).entries
    assert found[0].code == "ML1" and found[0].match == "text"  # "calibre" in the title, suppressors in e.
    assert found[0].snippet[1] == "suppressors"
    assert "ML10.d" in codes(ref, "aircraft components")
    # A word only in the category's title does not list each sub-item again.
    assert "ML10.a" not in codes(ref, "unmanned aerial")


def test_the_index_is_built_once_per_snapshot(ref: Reference) -> None:
    search(ref, "rifles", TODAY)
    index = ref.memo[("legislation.lookup.index",)]
    words = ref.memo[("legislation.lookup.words",)]
    search(ref, "radar", TODAY)
    assert (
        ref.memo[("legislation.lookup.index",)] is index and ref.memo[("legislation.lookup.words",)] is words
    )
